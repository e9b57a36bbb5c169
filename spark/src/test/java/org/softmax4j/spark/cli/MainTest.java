package org.softmax4j.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softmax4j.Batch;
import org.softmax4j.Scale;
import org.softmax4j.Softmax;
import org.softmax4j.regression.Dataset;
import org.softmax4j.regression.SoftmaxClassifier;
import org.softmax4j.spark.TestSpark;

/** bin/softmax4j-spark's commands, run in the test JVM on the shared local session. */
class MainTest {
    @TempDir
    static Path dir;
    static Path train;
    static Path test;

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    static void csv(Dataset d, Path file, boolean header) throws Exception {
        StringBuilder b = new StringBuilder();
        if (header) {
            for (int c = 0; c < d.features(); c++) b.append("p").append(c).append(',');
            b.append("label\n");
        }
        double[] x = d.x();
        int[] y = d.labels();
        for (int r = 0; r < d.rows(); r++) {
            for (int c = 0; c < d.features(); c++) b.append((int) x[r * d.features() + c]).append(',');
            b.append(y[r]).append('\n');
        }
        Files.writeString(file, b);
    }

    @BeforeAll
    static void data() throws Exception {
        TestSpark.get();
        train = dir.resolve("train.csv");
        test = dir.resolve("test.csv");
        csv(Dataset.digitsTrain(), train, true);
        csv(Dataset.digitsTest(), test, false);
    }

    /** The digits fit: the loss per iteration, then accuracies near the core's 0.9267 (docs/regression.md). */
    @Test
    void trainScoreAndLogSumExp() throws Exception {
        Path model = dir.resolve("model.npz");
        Result r = run("train", "--data", train.toString(), "--test", test.toString(), "--l2", "0.01", "--max-iter", "300", "--out", model.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.startsWith("iteration 1  loss "), r.out);
        String last = r.out.strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.matches("test accuracy: 0\\.9[0-9]{3}"), last);
        double acc = Double.parseDouble(last.substring("test accuracy: ".length()));
        assertEquals(0.9267, acc, 0.01);

        // score: one line of probabilities per input row, in input order, as the core computes them.
        Path x = dir.resolve("x.csv");
        Dataset t = Dataset.digitsTest();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < t.rows(); i++) {
            for (int c = 0; c < t.features(); c++) b.append(c > 0 ? "," : "").append((int) t.x()[i * t.features() + c]);
            b.append('\n');
        }
        Files.writeString(x, b);
        Path p = dir.resolve("p.csv");
        r = run("score", "--model", model.toString(), "--data", x.toString(), "--out", p.toString());
        assertEquals(0, r.code, r.err);
        List<String> lines = Files.readAllLines(p);
        assertEquals(t.rows(), lines.size());
        try (SoftmaxClassifier c = SoftmaxClassifier.load(model)) {
            double[] probs = new double[t.rows() * 10];
            c.predictProba(Batch.of(t.x(), t.rows(), t.features()), Batch.of(probs, t.rows(), 10));
            for (int i = 0; i < t.rows(); i++) {
                String[] v = lines.get(i).split(",");
                assertEquals(10, v.length);
                for (int j = 0; j < 10; j++) assertEquals(probs[i * 10 + j], Double.parseDouble(v[j]), 1e-12, "row " + i);
            }
        }

        // logsumexp of a column against the core's.
        r = run("logsumexp", "--data", train.toString(), "--column", "20", "--temperature", "2");
        assertEquals(0, r.code, r.err);
        Dataset d = Dataset.digitsTrain();
        double[] col = new double[d.rows()];
        for (int i = 0; i < d.rows(); i++) col[i] = d.x()[i * d.features() + 20];
        double[] lse = new double[1];
        Softmax.get().logSumExp(Batch.of(col, 1, col.length), Batch.of(lse, 1, 1), Scale.temperature(2));
        assertEquals(lse[0], Double.parseDouble(r.out.strip()), 1e-12 * Math.abs(lse[0]));
    }

    @Test
    void badInputGetsOneLineAndNoOutput() throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "1,2,0\n3,oops,1\n");
        Path out = dir.resolve("never.npz");
        Result r = run("train", "--data", bad.toString(), "--out", out.toString());
        assertEquals(1, r.code);
        assertEquals("softmax4j-spark: " + bad + ": column _c1 holds 'oops', not a number", r.err.strip());
        assertFalse(Files.exists(out));

        r = run("logsumexp", "--data", dir.resolve("missing.csv").toString(), "--column", "0");
        assertEquals(1, r.code);
        assertEquals("softmax4j-spark: " + dir.resolve("missing.csv") + ": no such file", r.err.strip());

        Path ok = dir.resolve("ok.csv");
        Files.writeString(ok, "1,2\n3,4\n");
        r = run("logsumexp", "--data", ok.toString(), "--column", "5");
        assertEquals(1, r.code);
        assertEquals("softmax4j-spark: --column 5: " + ok + " has 2 columns", r.err.strip());

        r = run("score", "--model", dir.resolve("nothing").toString(), "--data", ok.toString(), "--out", dir.resolve("p2.csv").toString());
        assertEquals(1, r.code);
        assertTrue(r.err.strip().endsWith("nothing: no such model (a .npz file or a Spark ML model directory)"), r.err);
        assertEquals(1, r.err.strip().lines().count(), r.err);
        assertFalse(Files.exists(dir.resolve("p2.csv")));

        r = run("train", "--data", ok.toString(), "--l2", "-1", "--out", out.toString());
        assertEquals(1, r.code);
        assertEquals("softmax4j-spark: --l2 must be finite and >= 0, got -1.0", r.err.strip());
    }

    private static List<Path> files() throws Exception {
        try (var s = Files.walk(dir)) {
            return s.sorted().toList();
        }
    }

    /**
     * A refusal before any work: the message of the core's command line, nothing on stdout, no
     * file made or removed. The data file named does not exist, so a command that read before
     * checking its output would fail with "no such file" instead.
     */
    private static void refusedBeforeWork(String message, String... args) throws Exception {
        List<Path> before = files();
        Result r = run(args);
        assertEquals(1, r.code, String.join(" ", args));
        assertEquals("softmax4j-spark: " + message, r.err.strip(), String.join(" ", args));
        assertEquals("", r.out, "started working");
        assertEquals(before, files(), "no file made or removed");
    }

    @Test
    void trainChecksItsModelFileBeforeAnyWork() throws Exception {
        String missing = dir.resolve("missing-data.csv").toString();
        Path noFolder = dir.resolve("no-such-folder/m.npz");
        refusedBeforeWork("cannot write " + noFolder + ": the folder " + noFolder.getParent() + " does not exist",
                "train", "--data", missing, "--out", noFolder.toString());
        Path underFile = train.resolve("m.npz");
        refusedBeforeWork("cannot write " + underFile + ": " + train + " is a file, not a folder",
                "train", "--data", missing, "--out", underFile.toString());
        Path folder = Files.createDirectories(dir.resolve("a-folder.npz"));
        refusedBeforeWork("cannot write " + folder + ": it is a folder", "train", "--data", missing, "--out", folder.toString());
        Path data = Files.copy(train, dir.resolve("data.npz"));
        refusedBeforeWork("--out " + data + " is the input file " + data + "; write the result elsewhere",
                "train", "--data", data.toString(), "--out", data.toString());
        Files.delete(data);
    }

    @Test
    void trainChecksItsModelFolderBeforeAnyWork() throws Exception {
        String missing = dir.resolve("missing-data.csv").toString();
        Path noFolder = dir.resolve("no-such-folder/model");
        refusedBeforeWork("cannot write to " + noFolder + ": the folder " + noFolder.getParent() + " does not exist",
                "train", "--data", missing, "--out", noFolder.toString());
        refusedBeforeWork("cannot write to " + train + ": it is a file, not a folder",
                "train", "--data", missing, "--out", train.toString());
        // Replacing the folder would delete the data inside it.
        Path holder = Files.createDirectories(dir.resolve("holder"));
        Path inside = Files.copy(train, holder.resolve("train.csv"));
        refusedBeforeWork("--out " + holder + " holds the input " + inside + "; write the model elsewhere",
                "train", "--data", inside.toString(), "--out", holder.toString());
        assertTrue(Files.exists(inside));
        // A folder of other files is not replaced by a model (a mistyped --out).
        Path notes = Files.writeString(holder.resolve("notes.txt"), "mine");
        refusedBeforeWork("--out " + holder + " is a folder that holds no Spark ML model (no metadata/); write the model elsewhere",
                "train", "--data", train.toString(), "--out", holder.toString());
        assertTrue(Files.exists(notes));
    }

    /** A Spark ML model folder replaces the old one whole, leaving nothing beside it. */
    @Test
    void trainReplacesAModelFolderWhole() throws Exception {
        Path model = Files.createDirectories(dir.resolve("spark-model"));
        Files.createDirectories(model.resolve("metadata"));
        Path stale = Files.writeString(model.resolve("stale"), "from an earlier model");
        List<Path> before = files();
        Result r = run("train", "--data", train.toString(), "--max-iter", "3", "--out", model.toString());
        assertEquals(0, r.code, r.err);
        assertFalse(Files.exists(stale));
        List<Path> after = files();
        for (Path p : after) {
            if (!p.startsWith(model)) assertTrue(before.contains(p), "left beside the model: " + p);
        }
        var loaded = org.softmax4j.spark.ml.SoftmaxRegressionModel.load(model.toString());
        assertEquals(64, loaded.numFeatures());
        assertEquals(10, loaded.numClasses());
    }

    @Test
    void scoreChecksItsOutputBeforeAnyWork() throws Exception {
        Path model = dir.resolve("score-model.npz");
        assertEquals(0, run("train", "--data", train.toString(), "--max-iter", "2", "--out", model.toString()).code);
        String missing = dir.resolve("missing-data.csv").toString();
        Path noFolder = dir.resolve("no-such-folder/p.csv");
        refusedBeforeWork("cannot write " + noFolder + ": the folder " + noFolder.getParent() + " does not exist",
                "score", "--model", model.toString(), "--data", missing, "--out", noFolder.toString());
        Path underFile = train.resolve("p.csv");
        refusedBeforeWork("cannot write " + underFile + ": " + train + " is a file, not a folder",
                "score", "--model", model.toString(), "--data", missing, "--out", underFile.toString());
        Path folder = Files.createDirectories(dir.resolve("p-folder.csv"));
        refusedBeforeWork("cannot write " + folder + ": it is a folder",
                "score", "--model", model.toString(), "--data", missing, "--out", folder.toString());
        refusedBeforeWork("--out " + test + " is the input file " + test + "; write the result elsewhere",
                "score", "--model", model.toString(), "--data", test.toString(), "--out", test.toString());
        refusedBeforeWork("--out " + model + " is the input file " + model + "; write the result elsewhere",
                "score", "--model", model.toString(), "--data", test.toString(), "--out", model.toString());
    }
}
