package org.softmax4j.spark.internal;

import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;

/**
 * What a task does before it computes natively, and what it owns: the core's thread count
 * follows the task's CPUs, and native resources are closed when the task ends, whether it
 * succeeds, fails or is killed (Spark runs completion listeners in every case).
 *
 * <h2>Threads</h2>
 * The Spark configuration {@value #THREADS_CONF} chooses:
 * <ul>
 *   <li>{@code task} (the default): {@code TaskContext.get().cpus()} threads, i.e.
 *       {@code spark.task.cpus}, so that the tasks an executor runs at once never start more
 *       native threads than the cores they were given;</li>
 *   <li>{@code core}: leave the core's own policy ({@code Softmax.setThreads}, {@code OMP_NUM_THREADS});</li>
 *   <li>a positive number: that many.</li>
 * </ul>
 * The core's count is process-wide (one per executor JVM), which suits Spark: every task of an
 * executor is given the same number of CPUs.
 */
public final class TaskResources {
    /** The Spark configuration key of the thread policy. */
    public static final String THREADS_CONF = "spark.softmax4j.threads";

    private TaskResources() {}

    /** Sets the core's threads for the current task as {@value #THREADS_CONF} says. */
    public static void useTaskThreads() {
        TaskContext ctx = TaskContext.get();
        int want = threadsFor(ctx == null ? 0 : ctx.cpus(), SparkEnv.get() == null ? null
                : SparkEnv.get().conf().get(THREADS_CONF, "task"));
        if (want > 0 && Core.threads() != want) Core.setThreads(want);
    }

    /** The thread count for a task with {@code cpus} CPUs under a policy value (0: leave alone). */
    static int threadsFor(int cpus, String policy) {
        if (policy == null || policy.equals("task")) return Math.max(0, cpus);
        if (policy.equals("core")) return 0;
        try {
            int n = Integer.parseInt(policy.trim());
            if (n > 0) return n;
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException(THREADS_CONF + " must be task, core or a positive number, got " + policy);
    }

    /**
     * Registers {@code resource} to be closed when the current task ends (if there is one), and
     * returns it. Closing must be idempotent: the owner usually closes it earlier.
     */
    public static <T extends AutoCloseable> T closeAtTaskEnd(T resource) {
        TaskContext ctx = TaskContext.get();
        if (ctx != null) {
            ctx.addTaskCompletionListener(new org.apache.spark.util.TaskCompletionListener() {
                @Override
                public void onTaskCompletion(TaskContext context) {
                    try {
                        resource.close();
                    } catch (Exception e) {
                        throw new IllegalStateException("closing " + resource, e);
                    }
                }
            });
        }
        return resource;
    }
}
