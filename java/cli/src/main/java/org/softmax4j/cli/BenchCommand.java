package org.softmax4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

import org.softmax4j.Softmax;
import org.softmax4j.bench.Shape;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import org.softmax4j.internal.AtomicFiles;
import org.softmax4j.internal.Outputs;

/**
 * {@code bench}: a short run of the JMH suite on this machine (see {@link BenchSuite} for how and
 * why it uses JMH), printed as a table, optionally saved as JSON lines and drawn as a chart.
 * With {@code --from}, it tabulates and draws earlier results instead (its own, or those of
 * {@code bench/jmh_report.py} and {@code bench/compare.py}), which is how README's chart is made.
 *
 * <p>Every output file is written whole or not at all; their folders are checked before the
 * (minutes-long) measurement starts.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        customSynopsis = {
            "softmax4j bench [--quick] [--json F] [--plot F.png] [--title TEXT]",
            "         [--backend native|java|all] [--threads N,N...] [--forks N]",
            "         [--no-progress]",
            "       softmax4j bench --from F [--from F ...] [--plot F.png] [--title TEXT]"},
        description = {"Measure softmax4j on this machine: a short JMH run of bench/'s suite.",
                "Default: every operation and dtype, native with 1 and 2 threads (--threads) on 6 shapes and pure Java on 3 "
                        + "(about 2 minutes); --quick: softmax, float32, 4 shapes (about 20 seconds)."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "Softmax on float32 only, four shapes, shorter iterations.")
    boolean quick;

    @Option(names = "--json", paramLabel = "F", description = "Also write the results as JSON lines to F.")
    Path json;

    @Option(names = "--plot", paramLabel = "F.png", description = "Also draw ns per element by shape, log scale, to the PNG file F.png.")
    Path plot;

    @Option(names = "--from", paramLabel = "F", description = {"Do not measure: read results from these JSON-lines files "
            + "(this command's --json, bench/jmh_report.py, bench/compare.py) and tabulate and draw them. Repeatable."})
    List<Path> from = new ArrayList<>();

    @Option(names = "--backend", paramLabel = "native|java|all",
            description = "Which backends to measure (default: all; java alone if native cannot load).")
    String backend = "all";

    @Option(names = "--threads", paramLabel = "N", split = ",",
            description = "OpenMP thread counts to measure the native backend with (default: 1,2).")
    List<Integer> threads;

    @Option(names = "--forks", paramLabel = "N",
            description = "JVMs per case (default: ${DEFAULT-VALUE}); 0 measures in this JVM, faster but less trustworthy.")
    int forks = 1;

    @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Show a progress bar on stderr when it is a terminal (default); --no-progress hides it.")
    boolean progress;

    @Option(names = "--title", paramLabel = "TEXT",
            description = "Added to each chart panel's title (default: the machine and date when measuring, nothing with --from).")
    String title;

    /** For tests and experiments: other shapes than the suite's. */
    @Option(names = "--shapes", hidden = true, split = ",", paramLabel = "RxN")
    List<String> shapes;

    /** For tests and experiments: the length of each JMH iteration. */
    @Option(names = "--iteration-ms", hidden = true, paramLabel = "MS")
    Integer iterationMillis;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path[] inputs = from.toArray(Path[]::new);
        if (json != null) Outputs.check("--json", json, inputs);
        if (plot != null) Outputs.check("--plot", plot, inputs);
        List<BenchResult> results;
        String about;
        if (!from.isEmpty()) {
            for (String o : new String[] {"--quick", "--backend", "--threads", "--forks", "--shapes", "--iteration-ms"}) {
                if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                    throw new IllegalArgumentException(o + " measures; --from only reads results");
                }
            }
            results = new ArrayList<>();
            for (Path f : from) results.addAll(BenchResult.read(f));
            about = "results from " + String.join(", ", from.stream().map(Path::toString).toList());
        } else {
            BenchSuite suite = suite(out);
            about = String.format("JMH, %d fork%s, %d × %d ms warm-up + %d × %d ms measured per case, median",
                    suite.forks(), suite.forks() == 1 ? "" : "s", BenchSuite.WARMUP_ITERATIONS, suite.iterationMillis(),
                    BenchSuite.MEASURED_ITERATIONS, suite.iterationMillis());
            out.printf("softmax4j bench: %d cases (%s)%n", suite.cases(), about);
            out.flush();
            results = measure(suite);
        }
        results = latest(results);
        printTable(out, results, about);

        byte[] jsonBytes = json == null ? null : jsonLines(results);
        String subtitle = title != null ? title : from.isEmpty() ? machine() : "";
        byte[] pngBytes = plot == null ? null : BenchChart.png(results, subtitle);
        if (json != null) AtomicFiles.write(json, jsonBytes);
        if (plot != null) AtomicFiles.write(plot, pngBytes);
        return 0;
    }

    private BenchSuite suite(PrintWriter out) {
        if (forks < 0) throw new IllegalArgumentException("--forks must be >= 0, got " + forks);
        if (iterationMillis != null && iterationMillis < 1) {
            throw new IllegalArgumentException("--iteration-ms must be >= 1, got " + iterationMillis);
        }
        List<String> shapeList = null;
        if (shapes != null) shapeList = shapes.stream().map(s -> Shape.parse(s).toString()).distinct().toList();
        boolean nativeOk = Softmax.nativeUnavailableCause().isEmpty();
        List<String> backends = switch (backend) {
            case "all" -> nativeOk ? List.of("native", "java") : List.of("java");
            case "native", "java" -> List.of(backend);
            default -> throw new IllegalArgumentException("--backend must be native, java or all, got '" + backend + "'");
        };
        if (backends.contains("native") && !nativeOk) Softmax.nativeBackend(); // throws, naming the cause
        if (!nativeOk && backend.equals("all")) {
            out.println("native backend unavailable (" + Main.oneLine(Softmax.nativeUnavailableCause().get())
                    + "): measuring pure Java only");
        }
        if (threads != null) {
            for (int t : threads) if (t < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + t);
        }
        List<Integer> threadList = threads == null ? BenchSuite.THREADS : threads.stream().distinct().toList();
        return BenchSuite.of(quick, backends, shapeList, threadList, forks, iterationMillis);
    }

    private List<BenchResult> measure(BenchSuite suite) throws Exception {
        if (!(progress && Main.of(spec).errIsTerminal)) return suite.run(c -> {}, () -> {});
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("bench").setInitialMax(suite.cases())
                .setStyle(ProgressBarStyle.UNICODE_BLOCK).setUpdateIntervalMillis(250).setMaxRenderedLength(110)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
            return suite.run(bar::setExtraMessage, bar::step);
        }
    }

    /** One result per (op, dtype, shape, backend, kind, threads): the last one read wins. */
    private static List<BenchResult> latest(List<BenchResult> results) {
        Map<List<Object>, BenchResult> byKey = new LinkedHashMap<>();
        for (BenchResult r : results) {
            List<Object> key = new ArrayList<>(List.of(r.op(), r.dtype(), r.shape(), r.backend(), r.threads()));
            key.add(Objects.toString(r.kind()));
            byKey.remove(key);
            byKey.put(key, r);
        }
        return new ArrayList<>(byKey.values());
    }

    static void printTable(PrintWriter out, List<BenchResult> results, String about) {
        List<BenchResult> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparing((BenchResult r) -> BenchResult.OPS.indexOf(r.op()))
                .thenComparing(BenchResult::dtype).thenComparing(BenchResult::shape)
                .thenComparing(BenchResult.DISPLAY_ORDER));
        TextTable table = new TextTable(4).row("op", "dtype", "shape", "backend", "threads", "ns/element", "GB/s", "vs java");
        for (BenchResult r : sorted) {
            BenchResult java = sorted.stream().filter(j -> j.backend().equals("java") && j.op().equals(r.op())
                    && j.dtype().equals(r.dtype()) && j.shape().equals(r.shape())).findFirst().orElse(null);
            table.row(r.op(), r.dtype(), r.shape().toString().replace('x', '×'),
                    r.backend() + (r.kind() != null ? " " + r.kind() : ""), String.valueOf(r.threads()),
                    String.format("%.4g", r.nsPerElement()), String.format("%.3g", r.gbPerS()),
                    java == null ? "" : String.format("%.2f×", java.nsPerElement() / r.nsPerElement()));
        }
        table.print(out, "");
        out.println("(" + about + "; GB/s counts each element read and written once, read only for logSumExp)");
        out.flush();
    }

    static byte[] jsonLines(List<BenchResult> results) {
        StringBuilder sb = new StringBuilder();
        for (BenchResult r : results) sb.append(r.toJson()).append('\n');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }


    /** What the chart says about where it was measured. */
    private static String machine() {
        return String.format("%d CPUs, Java %s, %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), LocalDate.now());
    }
}
