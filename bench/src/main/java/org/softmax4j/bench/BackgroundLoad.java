package org.softmax4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Another process holding one core, for {@link BusyCoreBench}: a JVM of its own that spins one
 * thread. The benchmark starts it before its warm-up and stops it after its measurement; it also
 * stops by itself after {@link #LIMIT} or as soon as the process that started it is gone, so a
 * benchmark that dies cannot leave it behind.
 */
public final class BackgroundLoad implements AutoCloseable {

    /** The longest the load may run, whatever happens to the benchmark. */
    static final Duration LIMIT = Duration.ofMinutes(5);

    private final Process process;
    private final long started = System.nanoTime();

    private BackgroundLoad(Process process) {
        this.process = process;
    }

    /** Starts the load and returns once it spins. */
    public static BackgroundLoad start() throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                BackgroundLoad.class.getName(), Long.toString(LIMIT.toSeconds()),
                Long.toString(ProcessHandle.current().pid()))
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"spinning".equals(line)) {
            p.destroyForcibly();
            throw new IOException("the background load did not start: " + line);
        }
        return new BackgroundLoad(p);
    }

    /** Stops the load and says how much of a core it held (printed with JMH's output). */
    @Override
    public void close() {
        Duration cpu = process.info().totalCpuDuration().orElse(Duration.ZERO);
        double wall = (System.nanoTime() - started) / 1e9;
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        System.err.printf("background load: %.1f s of CPU in %.1f s (%.0f%% of one core)%n",
                cpu.toMillis() / 1e3, wall, 100 * cpu.toMillis() / 1e3 / wall);
    }

    /** The load itself: {@code BackgroundLoad SECONDS PARENT_PID}. */
    public static void main(String[] args) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[0]));
        ProcessHandle parent = ProcessHandle.of(Long.parseLong(args[1])).orElse(null);
        System.out.println("spinning");
        System.out.flush();
        long x = 1;
        while (parent != null && parent.isAlive() && System.nanoTime() < deadline) {
            for (int i = 0; i < 1 << 24; i++) x = x * 6364136223846793005L + 1442695040888963407L;
        }
        System.exit(x == 42 ? 1 : 0);  // uses x, so the loop is not optimised away
    }
}
