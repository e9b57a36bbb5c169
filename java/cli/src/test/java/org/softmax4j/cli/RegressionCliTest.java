package org.softmax4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softmax4j.Batch;
import org.softmax4j.Softmax;
import org.softmax4j.regression.SoftmaxClassifier;
import org.softmax4j.io.Npy;

/** {@code dataset}, {@code train} and {@code predict}: results, output, and the one-line error contract. */
class RegressionCliTest {
    @TempDir
    Path dir;

    static CliTest.Result run(String... args) {
        return CliTest.run(args);
    }

    /** Two well-separated blobs in 2-D, label first, with a header. */
    private Path smallCsv(String name, int rows, long seed) throws IOException {
        java.util.Random r = new java.util.Random(seed);
        StringBuilder sb = new StringBuilder("label,x,y\n");
        for (int i = 0; i < rows; i++) {
            int c = i % 3;
            sb.append(c).append(',').append(3 * c + r.nextGaussian() * 0.3).append(',').append(-2 * c + r.nextGaussian() * 0.3).append('\n');
        }
        Path p = dir.resolve(name);
        Files.writeString(p, sb);
        return p;
    }

    @Test
    void trainsPredictsAndReportsAccuracy() throws IOException {
        Path train = smallCsv("train.csv", 60, 1);
        Path test = smallCsv("test.csv", 30, 2);
        Path model = dir.resolve("m.npz");
        CliTest.Result r = run("train", "--data", train.toString(), "--test", test.toString(), "--label-column", "0",
                "--epochs", "50", "--l2", "0.1", "--seed", "3", "--out", model.toString());
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertTrue(lines[1].startsWith("epoch 1  loss "), lines[1]);
        assertEquals("test accuracy: 1.0000", lines[lines.length - 1]);
        assertTrue(r.out().contains("train accuracy: 1.0000"), r.out());
        assertEquals("", r.err(), "no progress bar: stderr is not a terminal (TrainLogTest)");

        // predict on float32 and float64 inputs, against the library.
        float[] x = {0, 0, 3, -2, 6, -4.5f};
        Path in = dir.resolve("x.npy");
        Npy.write(in, Npy.Array.of(x, 3, 2));
        Path out = dir.resolve("p.npy");
        CliTest.Result p = run("predict", "--model", model.toString(), "--in", in.toString(), "--out", out.toString(),
                "--backend", "java");
        assertEquals(0, p.code(), p.err());
        Npy.Array y = Npy.read(out);
        assertEquals(Npy.DType.FLOAT32, y.dtype());
        assertArrayEquals(new int[] {3, 3}, y.shape());
        float[] expected = new float[9];
        try (SoftmaxClassifier m = SoftmaxClassifier.load(model, Softmax.java())) {
            m.predictProba(Batch.of(x, 3, m.features()), Batch.of(expected, 3, m.classes()));
            assertArrayEquals(new int[] {0, 1, 2}, m.predict(Batch.of(x, 3, m.features())));
        }
        assertArrayEquals(expected, (float[]) y.data());

        Path v = dir.resolve("v.npy");
        Npy.write(v, Npy.Array.of(new double[] {6, -4}, 2));
        Path lp = dir.resolve("lp.npy");
        assertEquals(0, run("predict", "--model", model.toString(), "--in", v.toString(), "--out", lp.toString(), "--log").code());
        Npy.Array l = Npy.read(lp);
        assertEquals(Npy.DType.FLOAT64, l.dtype());
        assertArrayEquals(new int[] {3}, l.shape());
        double[] logs = (double[]) l.data();
        assertTrue(logs[2] > logs[0] && logs[2] <= 0);
    }

    @Test
    void datasetWritesTheDigitsSplitThatTrainTakes() throws IOException {
        Path d = dir.resolve("digits");
        CliTest.Result r = run("dataset", "digits", "--out-dir", d.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(1347, Files.readAllLines(d.resolve("train.csv")).size());
        assertEquals(450, Files.readAllLines(d.resolve("test.csv")).size());
        assertTrue(r.out().contains("CC BY 4.0"));
        CliTest.Result t = run("train", "--data", d.resolve("train.csv").toString(), "--test", d.resolve("test.csv").toString(),
                "--epochs", "30", "--no-progress", "--out", dir.resolve("digits.npz").toString());
        assertEquals(0, t.code(), t.err());
        String last = t.out().strip().substring(t.out().strip().lastIndexOf('\n') + 1);
        assertTrue(last.matches("test accuracy: 0\\.\\d{4}"), last);
        assertTrue(Double.parseDouble(last.substring(15)) > 0.85, last);
        assertEquals("", t.err());
    }

    @Test
    void failuresAreOneLineAndLeaveNoFile() throws IOException {
        Path train = smallCsv("train.csv", 12, 1);
        Path model = dir.resolve("m.npz");
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "1,2,0\n1,2\n");
        CliTest.fails(run("train", "--data", bad.toString(), "--out", model.toString()), "bad.csv:2: expected 3 values");
        CliTest.fails(run("train", "--data", dir.resolve("none.csv").toString(), "--out", model.toString()), "no such file");
        CliTest.fails(run("train", "--data", train.toString(), "--label-column", "x", "--out", model.toString()), "--label-column");
        CliTest.fails(run("train", "--data", train.toString(), "--label-column", "1", "--out", model.toString()),
                "is not a non-negative integer");
        CliTest.fails(run("train", "--data", train.toString(), "--label-column", "0", "--l2", "-1", "--out", model.toString()), "l2");
        CliTest.fails(run("train", "--data", train.toString(), "--label-column", "0", "--epochs", "-3", "--out", model.toString()), "maxEpochs");
        Path wide = dir.resolve("wide.csv");
        Files.writeString(wide, "0,1,2,3\n");
        CliTest.fails(run("train", "--data", train.toString(), "--label-column", "0", "--test", wide.toString(),
                "--out", model.toString()), "3 features, the training data has 2");
        Path nine = dir.resolve("nine.csv");
        Files.writeString(nine, "9,1,2\n");
        CliTest.fails(run("train", "--data", train.toString(), "--label-column", "0", "--test", nine.toString(),
                "--out", model.toString()), "label 9 is not a class");
        CliTest.fails(run("train", "--data", train.toString(), "--label-column", "0", "--no-progress",
                "--out", dir.resolve("no/dir/m.npz").toString()), "cannot write " + dir.resolve("no/dir/m.npz")
                + ": the folder " + dir.resolve("no/dir") + " does not exist");
        CliTest.fails(run("train", "--data", train.toString()), "--out");
        assertFalse(Files.exists(model));

        assertEquals(0, run("train", "--data", train.toString(), "--label-column", "0", "--epochs", "5", "--no-progress",
                "--out", model.toString()).code());
        Path x3 = dir.resolve("x3.npy");
        Npy.write(x3, Npy.Array.of(new float[] {1, 2, 3}, 1, 3));
        Path p = dir.resolve("p.npy");
        CliTest.fails(run("predict", "--model", model.toString(), "--in", x3.toString(), "--out", p.toString()),
                "the model takes 2 features");
        Path x2 = dir.resolve("x2.npy");
        Npy.write(x2, Npy.Array.of(new float[] {1, 2}, 2));
        CliTest.fails(run("predict", "--model", model.toString(), "--in", x2.toString(), "--out", p.toString(),
                "--temperature", "0"), "temperature");
        CliTest.fails(run("predict", "--model", dir.resolve("none.npz").toString(), "--in", x2.toString(), "--out", p.toString()),
                "no such file");
        CliTest.fails(run("predict", "--model", bad.toString(), "--in", x2.toString(), "--out", p.toString()), "not a .npz model file");
        CliTest.fails(run("predict", "--model", model.toString(), "--in", bad.toString(), "--out", p.toString()), "not a .npy file");
        assertFalse(Files.exists(p));
        CliTest.fails(run("dataset", "mnist", "--out-dir", dir.toString()), "unknown data set 'mnist'");
        Path file = dir.resolve("afile");
        Files.writeString(file, "");
        CliTest.fails(run("dataset", "digits", "--out-dir", file.toString()), "cannot write to " + file
                + ": it is a file, not a folder");
        try (var files = Files.list(dir)) {
            assertEquals(0, files.filter(f -> f.getFileName().toString().endsWith(".tmp")).count(), "no temporary files");
        }
    }
}
