package org.softmax4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softmax4j.Softmax;
import org.softmax4j.bench.Shape;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * {@code bench}: its options, its JSON lines and its PNG, on tiny shapes with millisecond
 * iterations measured in this JVM ({@code --forks 0}): these tests check the plumbing, never speed.
 */
class BenchCommandTest {
    @TempDir
    Path dir;

    private static final List<String> KEYS =
            List.of("op", "rows", "n", "dtype", "threads", "backend", "ns_per_element", "gb_per_s");
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** A quick run on tiny shapes: fast, and still every backend and thread count. */
    private static String[] tiny(String... more) {
        String[] base = {"bench", "--quick", "--shapes", "2x8,3x5", "--forks", "0", "--iteration-ms", "5", "--no-progress"};
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void quickRunWritesJsonLinesATableAndAPng() throws IOException {
        Path json = dir.resolve("r.jsonl"), png = dir.resolve("r.png");
        CliTest.Result r = CliTest.run(tiny("--json", json.toString(), "--plot", png.toString()));
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        boolean nativeOk = Softmax.nativeUnavailableCause().isEmpty();
        // native: 2 shapes × threads 1 and 2; java: 2 shapes × 1 thread.
        int expected = nativeOk ? 6 : 2;
        assertTrue(r.out().contains("softmax4j bench: " + expected + " cases"), r.out());
        assertTrue(r.out().contains("ns/element") && r.out().contains("2×8") && r.out().contains("3×5"), r.out());

        List<String> lines = Files.readAllLines(json);
        assertEquals(expected, lines.size(), String.join("\n", lines));
        Set<String> seen = new HashSet<>();
        for (String line : lines) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            assertEquals(KEYS, List.copyOf(o.keySet()), line);
            assertEquals("softmax", o.get("op").getAsString());
            assertEquals("float32", o.get("dtype").getAsString());
            Shape shape = new Shape(o.get("rows").getAsInt(), o.get("n").getAsInt());
            assertTrue(Set.of("2x8", "3x5").contains(shape.toString()), line);
            double ns = o.get("ns_per_element").getAsDouble(), gb = o.get("gb_per_s").getAsDouble();
            assertTrue(ns > 0 && gb > 0, line);
            assertEquals(8 / ns, gb, 1e-3 * gb, "float32 softmax moves 8 bytes per element: " + line);
            seen.add(o.get("backend").getAsString() + "/" + o.get("threads").getAsInt());
        }
        assertEquals(nativeOk ? Set.of("native/1", "native/2", "java/1") : Set.of("java/1"), seen);
        assertPng(png, 1);
        if (Files.getFileStore(json).supportsFileAttributeView("posix")) {
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(json)),
                    "readable like any new file, not private like the temporary file it was");
        }
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary files left behind");
        }
    }

    /** --threads chooses the native backend's thread counts, as on every command that computes. */
    @Test
    void threadsChoosesTheThreadCountsMeasured() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Softmax.nativeUnavailableCause().isEmpty(), "native backend");
        Path json = dir.resolve("t.jsonl");
        CliTest.Result r = CliTest.run(tiny("--backend", "native", "--threads", "3,1,3", "--json", json.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("softmax4j bench: 4 cases"), r.out());
        Set<Integer> threads = new HashSet<>();
        for (String line : Files.readAllLines(json)) threads.add(JsonParser.parseString(line).getAsJsonObject().get("threads").getAsInt());
        assertEquals(Set.of(1, 3), threads);
    }

    @Test
    void fromFilesTabulatesAndDrawsOnePanelPerOperationAndType() throws IOException {
        Path a = dir.resolve("ours.jsonl"), b = dir.resolve("peers.jsonl"), png = dir.resolve("all.png");
        Files.writeString(a, String.join("\n",
                line("softmax", 64, 1000, "float32", 1, "native", 0.5),
                line("softmax", 64, 1000, "float32", 2, "native", 0.3),
                line("softmax", 1, 10, "float32", 1, "native", 6.0),
                line("logSumExp", 64, 1000, "float64", 1, "java", 9.0)) + "\n\n");
        Files.writeString(b, line("softmax", 64, 1000, "float32", 1, "torch", 0.9) + "\n"
                + "{\"op\":\"softmax\",\"rows\":1,\"n\":10,\"dtype\":\"float32\",\"threads\":1,\"backend\":\"native\","
                + "\"ns_per_element\":5.0,\"gb_per_s\":1.6,\"kind\":\"matrix\"}\n");
        CliTest.Result r = CliTest.run("bench", "--from", a.toString(), "--from", b.toString(), "--plot", png.toString(),
                "--title", "test machine");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("torch"), r.out());
        assertTrue(r.out().contains("native matrix"), r.out());
        assertTrue(r.out().contains("logSumExp"), r.out());
        assertPng(png, 2); // two panels: softmax float32, logSumExp float64
    }

    @Test
    void jsonLinesRoundTrip() {
        BenchResult r = BenchResult.of("logSumExp", new Shape(4096, 1000), "float64", 2, "native", 4.096e6);
        assertEquals(1.0, r.nsPerElement(), 1e-12);
        assertEquals(8.0, r.gbPerS(), 1e-12, "log-sum-exp reads 8 bytes per float64 element");
        assertEquals(r, BenchResult.parse(r.toJson()));
        assertEquals(16, BenchResult.bytesPerElement("softmax", "float64"));
        assertEquals(4, BenchResult.bytesPerElement("logSumExp", "float32"));
    }

    @Test
    void badArgumentsAndInputsFailWithOneLineAndNoFiles() throws IOException {
        Path json = dir.resolve("r.jsonl"), png = dir.resolve("r.png");
        long t0 = System.nanoTime();
        CliTest.fails(CliTest.run(tiny("--json", dir.resolve("no/such/dir/r.jsonl").toString())),
                "the folder " + dir.resolve("no/such/dir") + " does not exist");
        CliTest.fails(CliTest.run(tiny("--threads", "0")), "--threads must be >= 1");
        CliTest.fails(CliTest.run("bench", "--from", dir.resolve("x.jsonl").toString(), "--threads", "1"), "--threads measures");
        CliTest.fails(CliTest.run(tiny("--plot", dir.toString())), "it is a folder");
        assertTrue(System.nanoTime() - t0 < 5e9, "output folders are checked before measuring");
        CliTest.fails(CliTest.run(tiny("--backend", "gpu", "--json", json.toString())), "--backend");
        CliTest.fails(CliTest.run(tiny("--forks", "-1", "--json", json.toString())), "--forks");
        CliTest.fails(CliTest.run(tiny("--shapes", "8", "--json", json.toString())), "ROWSxN");
        CliTest.fails(CliTest.run("bench", "--forks", "many"), "many");
        CliTest.fails(CliTest.run("bench", "--from", dir.resolve("missing.jsonl").toString()), "no such file");

        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, line("softmax", 1, 10, "float32", 1, "native", 6.0) + "\n{\"rows\": 1}\n");
        CliTest.fails(CliTest.run("bench", "--from", bad.toString(), "--json", json.toString(), "--plot", png.toString()),
                "bad.jsonl:2: missing key 'op'");
        Files.writeString(bad, "not json\n");
        CliTest.fails(CliTest.run("bench", "--from", bad.toString()), "bad.jsonl:1");
        Files.writeString(bad, line("softmax", 1, 10, "float16", 1, "native", 6.0));
        CliTest.fails(CliTest.run("bench", "--from", bad.toString()), "'dtype'");
        Files.writeString(bad, line("softmax", 1, 10, "float32", 1, "native", 6.0).replace("\"rows\":1", "\"rows\":1.5"));
        CliTest.fails(CliTest.run("bench", "--from", bad.toString()), "'rows' must be a positive integer");
        Files.writeString(bad, line("softmax", 1, 10, "float32", 1, "native", 6.0));
        CliTest.fails(CliTest.run("bench", "--from", bad.toString(), "--quick"), "--quick");

        assertFalse(Files.exists(json));
        assertFalse(Files.exists(png));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(bad), files.toList(), "no output or temporary files after failures");
        }
    }

    private static String line(String op, int rows, int n, String dtype, int threads, String backend, double ns) {
        return BenchResult.of(op, new Shape(rows, n), dtype, threads, backend, ns * rows * n).toJson();
    }

    /** A readable PNG, {@code panels} chart panels wide and high enough. */
    private static void assertPng(Path png, int panels) throws IOException {
        byte[] bytes = Files.readAllBytes(png);
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(bytes, 8), "PNG signature");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertNotNull(image, "ImageIO reads it");
        assertTrue(image.getWidth() >= 400 && image.getHeight() >= 300, image.getWidth() + "×" + image.getHeight());
        if (panels > 1) assertTrue(image.getWidth() > image.getHeight(), "panels side by side");
    }
}
