package org.softmax4j.cli;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.softmax4j.bench.Shape;
import org.softmax4j.bench.SoftmaxBench;

/**
 * The short suite behind {@code bin/softmax4j bench}: {@link SoftmaxBench}, the JMH suite's own
 * benchmark, run through JMH's {@link Runner} with short iterations.
 *
 * <p>Why JMH rather than a loop with {@code System.nanoTime()}: the CLI then measures exactly
 * what {@code bench/} measures (same setup, same calls, JMH's blackholes and dead-code
 * protection), and each case runs in a fresh JVM by default, so one case's JIT profile (say,
 * float64 on the Java backend) cannot slow down the next. What is short is only the sampling:
 * one 1-fork warm-up iteration and three measured ones per case, reported as their median —
 * enough to see where the time goes, not for claims (bench/README.md has the full settings).
 *
 * @param parts what to run: each part is one JMH run over a grid of parameters
 * @param forks JMH forks per case; 0 runs every case in this JVM
 * @param iterationMillis length of each warm-up and measured iteration
 */
record BenchSuite(List<Part> parts, int forks, int iterationMillis) {

    static final List<String> ALL_SHAPES = List.of(SoftmaxBench.SHAPES);
    /** The shapes the pure-Java backend runs on by default: it takes ~100 ms on the largest. */
    static final List<String> JAVA_SHAPES = List.of("1x10", "64x1000", "4096x1000");
    static final List<String> QUICK_SHAPES = List.of("1x10", "64x1000", "4096x1000", "32x128256");
    static final int WARMUP_ITERATIONS = 1, MEASURED_ITERATIONS = 3;
    /** The native backend's thread counts by default: one core, and this machine's two. */
    static final List<Integer> THREADS = List.of(1, 2);

    /** One backend over the product of ops × dtypes × shapes × threads. */
    record Part(String backend, List<String> ops, List<String> dtypes, List<String> shapes, List<Integer> threads) {
        int cases() {
            return ops.size() * dtypes.size() * shapes.size() * threads.size();
        }
    }

    /**
     * The default suite (every op and dtype, native on all shapes with each of {@code threads},
     * Java on the smaller shapes) or the quick one (softmax, float32, four shapes); {@code shapes},
     * if not null, replaces the shapes of every part.
     */
    static BenchSuite of(boolean quick, List<String> backends, List<String> shapes, List<Integer> threads, int forks,
            Integer iterationMillis) {
        List<String> ops = quick ? List.of("softmax") : BenchResult.OPS;
        List<String> dtypes = quick ? List.of("float32") : BenchResult.DTYPES;
        List<Part> parts = new ArrayList<>();
        for (String b : backends) {
            List<String> s = shapes != null ? shapes
                    : b.equals("java") ? JAVA_SHAPES : quick ? QUICK_SHAPES : ALL_SHAPES;
            // The Java backend is single-threaded: a second thread count would only repeat it.
            parts.add(new Part(b, ops, dtypes, s, b.equals("java") ? List.of(1) : threads));
        }
        return new BenchSuite(parts, forks, iterationMillis != null ? iterationMillis : quick ? 100 : 200);
    }

    int cases() {
        return parts.stream().mapToInt(Part::cases).sum();
    }

    /** What one case looks like in progress messages. */
    static String describe(BenchmarkParams p) {
        return p.getParam("op") + " " + p.getParam("dtype") + " " + p.getParam("shape").replace('x', '×') + " "
                + p.getParam("backend") + (p.getParam("backend").equals("java") ? "" : " ×" + p.getParam("threads"));
    }

    /**
     * Runs every case. {@code onStart} hears of each case as it starts, {@code onEnd} when it has
     * finished; JMH's own report is kept out of sight, and its last lines are attached to a
     * failure.
     */
    List<BenchResult> run(Consumer<String> onStart, Runnable onEnd) throws RunnerException {
        List<BenchResult> results = new ArrayList<>();
        for (Part part : parts) {
            Quiet out = new Quiet(onStart, onEnd);
            Options options = new OptionsBuilder()
                    .include("^" + SoftmaxBench.class.getName().replace(".", "\\.") + "\\.")
                    .param("backend", part.backend())
                    .param("op", part.ops().toArray(String[]::new))
                    .param("dtype", part.dtypes().toArray(String[]::new))
                    .param("shape", part.shapes().toArray(String[]::new))
                    .param("threads", part.threads().stream().map(String::valueOf).toArray(String[]::new))
                    .forks(forks)
                    .warmupIterations(WARMUP_ITERATIONS)
                    .warmupTime(TimeValue.milliseconds(iterationMillis))
                    .measurementIterations(MEASURED_ITERATIONS)
                    .measurementTime(TimeValue.milliseconds(iterationMillis))
                    .timeUnit(TimeUnit.NANOSECONDS)
                    .shouldFailOnError(true)
                    .build();
            try {
                for (RunResult r : new Runner(options, out).run()) {
                    BenchmarkParams p = r.getParams();
                    double median = r.getPrimaryResult().getStatistics().getPercentile(50);
                    results.add(BenchResult.of(p.getParam("op"), Shape.parse(p.getParam("shape")), p.getParam("dtype"),
                            Integer.parseInt(p.getParam("threads")), p.getParam("backend"), median));
                }
            } catch (RunnerException e) {
                throw new RunnerException(out.failure(e), e);
            }
        }
        return results;
    }

    /** JMH's report, swallowed but for progress callbacks and the tail kept for errors. */
    private static final class Quiet implements OutputFormat {
        private final Consumer<String> onStart;
        private final Runnable onEnd;
        private final Deque<String> tail = new ArrayDeque<>();
        private final StringBuilder line = new StringBuilder();

        Quiet(Consumer<String> onStart, Runnable onEnd) {
            this.onStart = onStart;
            this.onEnd = onEnd;
        }

        /** The most telling line JMH printed before it failed: the benchmark's exception, if any. */
        String failure(RunnerException e) {
            for (String l : tail) {
                String s = l.strip();
                if (s.matches("^[\\w.$]+(Exception|Error)(: .*)?$")) return s;
            }
            return Main.oneLine(e);
        }

        @Override public void startBenchmark(BenchmarkParams params) { onStart.accept(describe(params)); }
        @Override public void endBenchmark(BenchmarkResult result) { onEnd.run(); }
        @Override public void iteration(BenchmarkParams b, IterationParams i, int n) {}
        @Override public void iterationResult(BenchmarkParams b, IterationParams i, int n, IterationResult r) {}
        @Override public void startRun() {}
        @Override public void endRun(java.util.Collection<RunResult> result) {}
        @Override public void print(String s) { for (char c : s.toCharArray()) write(c); }
        @Override public void println(String s) { print(s); write('\n'); }
        @Override public void verbosePrintln(String s) {}
        @Override public void flush() {}
        @Override public void close() {}
        @Override public void write(byte[] b) { for (byte x : b) write(x); }

        @Override
        public void write(int b) {
            if (b != '\n') {
                if (line.length() < 1000) line.append((char) b);
                return;
            }
            tail.addLast(line.toString());
            line.setLength(0);
            if (tail.size() > 200) tail.removeFirst();
        }
    }
}
