package org.softmax4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The Python side agrees with the Java side: {@code jmh_report.py} reads what this JMH build
 * writes, and {@code compare.py} prints the same keys. Runs where python3 (with numpy, for
 * compare.py) is installed; the timings are milliseconds long and meaningless.
 */
class ScriptsTest {
    @TempDir
    Path dir;

    private static final String KEYS = "[\"op\", \"rows\", \"n\", \"dtype\", \"threads\", \"backend\", \"ns_per_element\", \"gb_per_s\"]";
    private static final Pattern NS = Pattern.compile("\"ns_per_element\":([0-9.e+-]+)");

    /**
     * SoftmaxBench on {@code backend} and OnnxRuntimeBench, float32 softmax on 2×8, one thread, in
     * this JVM, their JSON written to {@code json}: each one's median in ns per element, keyed by
     * the backend name jmh_report.py gives it.
     */
    private static Map<String, Double> softmaxAndOnnxRuntime(String backend, Path json) throws Exception {
        Collection<RunResult> runs = new Runner(new OptionsBuilder()
                .include("(SoftmaxBench|OnnxRuntimeBench)")
                .param("shape", "2x8").param("op", "softmax").param("dtype", "float32").param("threads", "1")
                .param("backend", backend)
                .forks(0).warmupIterations(1).measurementIterations(2)
                .warmupTime(TimeValue.milliseconds(5)).measurementTime(TimeValue.milliseconds(5))
                .timeUnit(TimeUnit.NANOSECONDS).shouldFailOnError(true).verbosity(VerboseMode.SILENT)
                .resultFormat(ResultFormatType.JSON).result(json.toString()).build()).run();
        Map<String, Double> perElement = new TreeMap<>();
        for (RunResult r : runs) {
            perElement.put(r.getParams().getBenchmark().contains("OnnxRuntime") ? "onnxruntime" : backend,
                    r.getPrimaryResult().getStatistics().getPercentile(50) / 16);
        }
        return perElement;
    }

    @Test
    void jmhReportTurnsJmhJsonIntoJsonLines() throws Exception {
        assumeTrue(python("import json").code == 0, "python3 is not installed");
        Path json = dir.resolve("r.json");
        Map<String, Double> expected = softmaxAndOnnxRuntime("java", json);
        Result report = python(null, "jmh_report.py", json.toString());
        assertEquals(0, report.code, report.out);
        List<String> lines = report.out.lines().toList();
        assertEquals(2, lines.size(), report.out);
        for (String line : lines) {
            Result keys = python("import json, sys; print(json.dumps(list(json.loads(sys.argv[1]))))", line);
            assertEquals(KEYS, keys.out.strip(), line);
            String backend = line.contains("onnxruntime") ? "onnxruntime" : "java";
            Matcher m = NS.matcher(line);
            assertTrue(m.find(), line);
            assertEquals(expected.get(backend), Double.parseDouble(m.group(1)), 1e-3 * expected.get(backend), line);
        }
        Result md = python(null, "jmh_report.py", "--markdown", json.toString());
        assertEquals(0, md.code, md.out);
        assertTrue(md.out.contains("| 2×8 |"), md.out);
    }

    @Test
    void jmhReportReadsEachOperationOverTheCopyOfTheSameRun() throws Exception {
        assumeTrue(python("import json").code == 0, "python3 is not installed");
        Path results = dir.resolve("r.jsonl");
        Files.writeString(results, String.join("\n",
                "{\"op\":\"copy\",\"rows\":4096,\"n\":1000,\"dtype\":\"float32\",\"threads\":1,\"backend\":\"native\",\"ns_per_element\":0.16,\"gb_per_s\":50}",
                "{\"op\":\"softmax\",\"rows\":4096,\"n\":1000,\"dtype\":\"float32\",\"threads\":1,\"backend\":\"native\",\"ns_per_element\":0.2,\"gb_per_s\":40}",
                "{\"op\":\"logSumExp\",\"rows\":4096,\"n\":1000,\"dtype\":\"float32\",\"threads\":1,\"backend\":\"native\",\"ns_per_element\":0.08,\"gb_per_s\":50}",
                // No copy at 2 threads: no ratio row for it.
                "{\"op\":\"softmax\",\"rows\":4096,\"n\":1000,\"dtype\":\"float32\",\"threads\":2,\"backend\":\"native\",\"ns_per_element\":0.1,\"gb_per_s\":80}",
                ""));
        Result md = python(null, "jmh_report.py", "--markdown", results.toString());
        assertEquals(0, md.code, md.out);
        // 0.2 / 0.16 and 0.08 / 0.16; logSoftmax was not measured.
        assertTrue(md.out.contains("| native | float32 | 4096×1000 | 1 | 0.16 | 1.25× |  | 0.50× |"), md.out);
        assertEquals(1, md.out.lines().filter(l -> l.startsWith("| native | float32 |")).count(), md.out);
    }

    @Test
    void targetsReportTakesEachIterationsRatioOfAPairedRun() throws Exception {
        assumeTrue(python("import json").code == 0, "python3 is not installed");
        Path json = dir.resolve("paired.json");
        Collection<RunResult> runs = new Runner(new OptionsBuilder()
                .include("PairedBench")
                .param("pair", "logSoftmax/softmax").param("shape", "2x8").param("threads", "1")
                .forks(0).warmupIterations(1).measurementIterations(3)
                .warmupTime(TimeValue.milliseconds(5)).measurementTime(TimeValue.milliseconds(5))
                .shouldFailOnError(true).verbosity(VerboseMode.SILENT)
                .resultFormat(ResultFormatType.JSON).result(json.toString()).build()).run();
        // The median over the iterations of a / b, each side's time in that iteration.
        List<Double> ratios = new ArrayList<>();
        for (RunResult r : runs) {
            for (var b : r.getBenchmarkResults()) {
                for (var it : b.getIterationResults()) {
                    ratios.add(it.getSecondaryResults().get("a").getScore() / it.getSecondaryResults().get("b").getScore());
                }
            }
        }
        assertEquals(3, ratios.size());
        double median = ratios.stream().sorted().toList().get(1);
        Result md = python(null, "targets_report.py", dir.toString());
        assertEquals(0, md.code, md.out);
        String row = md.out.lines().filter(l -> l.startsWith("| logSoftmax/softmax | 2×8 | 1 |")).findFirst().orElse("");
        assertTrue(row.contains(String.format(Locale.ROOT, "**%.3f**", median)) && row.contains("| 1 × 3 | ≤ 1.1 |"), md.out);
        assertTrue(row.endsWith(median <= 1.1 ? "| yes |" : "| no |"), row);

        // ONNX Runtime from forks of their own: the ratio of the two medians, each rounded as
        // jmh_report.py rounds ns per element (4 significant digits).
        Map<String, Double> ns = new TreeMap<>();
        softmaxAndOnnxRuntime("native", dir.resolve("separate.json"))
                .forEach((backend, perElement) -> ns.put(backend, Double.parseDouble(String.format(Locale.ROOT, "%.4g", perElement))));
        md = python(null, "targets_report.py", dir.toString());
        assertEquals(0, md.code, md.out);
        String ort = md.out.lines().filter(l -> l.startsWith("| softmax ÷ ONNX Runtime | 2×8 | 1 |")).findFirst().orElse("");
        double ratio = ns.get("native") / ns.get("onnxruntime");
        assertTrue(ort.contains(String.format(Locale.ROOT, "**%.3f**", ratio)), md.out);
        assertTrue(ort.endsWith(ratio < 1 ? "| yes |" : "| no |"), ort);
    }

    @Test
    void compareDotPyPrintsTheSameFormat() throws Exception {
        assumeTrue(python("import numpy").code == 0, "python3 with numpy is not installed");
        Result r = python(null, "compare.py", "--backends", "numpy", "--ops", "softmax,logSumExp", "--dtypes", "float64",
                "--shapes", "2x8", "--batch-ms", "1", "--samples", "3");
        assertEquals(0, r.code, r.out);
        List<String> lines = r.out.lines().filter(l -> l.startsWith("{")).toList();
        assertEquals(2, lines.size(), r.out);
        for (String line : lines) {
            assertEquals(KEYS, python("import json, sys; print(json.dumps(list(json.loads(sys.argv[1]))))", line).out.strip());
            assertTrue(line.contains("\"backend\":\"numpy\"") && line.contains("\"rows\":2"), line);
        }
    }

    record Result(int code, String out) {}

    /** python3 -c CODE ARGS, or python3 SCRIPT ARGS (a file in bench/) when code is null; stdout only. */
    private Result python(String code, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("python3"));
        if (code != null) {
            cmd.add("-c");
            cmd.add(code);
        } else {
            cmd.add(Path.of(System.getProperty("basedir", "."), args[0]).toString());
            args = java.util.Arrays.copyOfRange(args, 1, args.length);
        }
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(dir.resolve("stderr.txt").toFile()).start();
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) p.destroyForcibly();
        String err = Files.exists(dir.resolve("stderr.txt")) ? Files.readString(dir.resolve("stderr.txt")) : "";
        return new Result(p.exitValue(), p.exitValue() == 0 ? out : out + err);
    }
}
