package org.softmax4j.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Random;

import org.softmax4j.FloatMatrix;
import org.softmax4j.Batch;
import org.softmax4j.Scale;
import org.softmax4j.Softmax;
import org.softmax4j.regression.Dataset;
import org.softmax4j.regression.SoftmaxClassifier;
import org.softmax4j.regression.SoftmaxRegression;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The demo: softmax, log-softmax and log-sum-exp of a few rows, a temperature sweep, and the
 * native backend against the pure-Java one on a 4096 × 1000 float32 batch.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        customSynopsis = "softmax4j [demo [--backend native|java] [--threads N]]",
        description = "Run the demo on an embedded example (the default command).")
final class DemoCommand implements Runnable {

    private static final String[] CLASSES = {"cat", "dog", "fox", "owl"};

    /** Three rows of classifier scores: confident, undecided, and huge-but-finite. */
    private static final float[] LOGITS = {
        3.2f, 1.1f, 0.4f, -1.0f,
        0.5f, 0.4f, 0.3f, 0.2f,
        1e4f, 1e4f - 1f, 0f, -1e4f,
    };

    @Mixin
    BackendOptions backend = new BackendOptions();

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        run(spec.commandLine().getOut());
    }

    void run(PrintWriter out) {
        Softmax s = backend.softmax();
        int rows = 3, n = 4;
        out.println("softmax4j demo — backend: " + describe(s));
        out.println();
        out.println("Logits (3 rows × 4 classes):");
        printRows(out, LOGITS, rows, n, "%.1f");

        float[] p = new float[rows * n];
        float[] lp = new float[rows * n];
        float[] lse = new float[rows];
        s.softmax(rows, n, LOGITS, p);
        s.logSoftmax(rows, n, LOGITS, lp);
        s.logSumExp(rows, n, LOGITS, lse);
        out.println("softmax  S(x)_i = exp(x_i) / Σ_j exp(x_j):");
        printRows(out, p, rows, n, "%.4f");
        out.println("log-softmax  x_i − LSE(x):");
        printRows(out, lp, rows, n, "%.4f");
        out.println("log-sum-exp  LSE(x) = log Σ_j exp(x_j)   (row 3 is exact, not overflow):");
        for (int r = 0; r < rows; r++) out.printf("  row %d: %.6f%n", r + 1, lse[r]);
        out.println();

        out.println("Temperature sweep on row 1, S(x/τ): small τ sharpens, large τ flattens");
        TextTable sweep = new TextTable(1);
        sweep.row(header("τ", "entropy (nats)"));
        for (double tau : new double[] {0.1, 1, 10}) {
            float[] q = new float[n];
            s.softmax(Batch.of(LOGITS, 1, n), Batch.of(q, 1, n), Scale.temperature(tau));
            double h = 0;
            for (float v : q) if (v > 0) h -= v * Math.log(v);
            String[] cells = Arrays.copyOf(cells(String.valueOf(tau), "%.4f", q), n + 2);
            cells[n + 1] = String.format("%.4f", h);
            sweep.row(cells);
        }
        sweep.print(out, "  ");
        out.printf("  (uniform over %d classes would have entropy %.4f)%n", n, Math.log(n));
        out.println();

        classifier(out, s);
        timing(out);
    }

    /** The softmax-regression head, trained on the shipped digits and asked about one test image. */
    private static void classifier(PrintWriter out, Softmax s) {
        Dataset train = Dataset.digitsTrain();
        Dataset test = Dataset.digitsTest();
        long t0 = System.nanoTime();
        try (SoftmaxClassifier model = SoftmaxRegression.create().withL2(0.01).withBackend(s).fit(train)) {
            double seconds = (System.nanoTime() - t0) / 1e9;
            out.printf("Softmax regression P = S(x Wᵀ + b) on the UCI digits (8×8 images, %d classes), L-BFGS, λ = 0.01:%n",
                    train.classes());
            out.printf("  trained on %d images in %.2f s; test accuracy %.4f on %d more%n", train.rows(), seconds,
                    test.accuracy(model), test.rows());
            int d = test.features();
            double[] first = Arrays.copyOf(test.x(), d);
            double[] p = new double[model.classes()];
            model.predictProba(Batch.of(first, 1, d), Batch.of(p, 1, p.length));
            int best = 0;
            for (int j = 1; j < p.length; j++) if (p[j] > p[best]) best = j;
            out.printf("  first test image (labelled %d): predicted %d with probability %.4f%n%n", test.labels()[0], best,
                    p[best]);
        }
    }

    /**
     * An informal timing (medians of a few runs) to show the order of magnitude; the JMH suite
     * in bench/ is what the speed claims rest on.
     */
    private static void timing(PrintWriter out) {
        int rows = 4096, n = 1000;
        float[] x = new float[rows * n];
        Random r = new Random(1);
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * 3);
        float[] y = new float[rows * n];
        double elements = (double) rows * n;
        out.printf("Softmax of a %d × %d float32 batch (median of repeated runs; informal, see bench/ for JMH):%n", rows, n);
        double javaNs = median(9, () -> Softmax.java().softmax(rows, n, x, y));
        if (Softmax.nativeUnavailableCause().isPresent()) {
            out.printf("  pure Java          %8.2f ms  %6.2f ns/element%n", javaNs / 1e6, javaNs / elements);
            out.println("  native             unavailable: " + Softmax.nativeUnavailableCause().get());
            return;
        }
        Softmax nat = Softmax.nativeBackend();
        double arrayNs = median(41, () -> nat.softmax(rows, n, x, y));
        double matrixNs;
        try (FloatMatrix mx = FloatMatrix.of(rows, n, x); FloatMatrix my = FloatMatrix.allocate(rows, n)) {
            Batch bx = Batch.of(mx);
            Batch by = Batch.of(my);
            matrixNs = median(41, () -> nat.softmax(bx, by));
        }
        out.printf("  native, off-heap   %8.2f ms  %6.3f ns/element  %6.1f× faster than pure Java%n",
                matrixNs / 1e6, matrixNs / elements, javaNs / matrixNs);
        out.printf("  native, float[]    %8.2f ms  %6.3f ns/element  %6.1f× faster than pure Java%n",
                arrayNs / 1e6, arrayNs / elements, javaNs / arrayNs);
        out.printf("  pure Java          %8.2f ms  %6.3f ns/element%n", javaNs / 1e6, javaNs / elements);
        out.printf("  (%d OpenMP threads; change with --threads N, here or on any command that computes,%n"
                + "   or with Softmax.setThreads(n) in Java)%n", nat.threads());
    }

    private static double median(int runs, Runnable body) {
        body.run(); // first run: JIT, page faults
        body.run();
        long[] t = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            body.run();
            t[i] = System.nanoTime() - t0;
        }
        Arrays.sort(t);
        return t[runs / 2];
    }

    static String describe(Softmax s) {
        if (s.backend() == Softmax.Backend.NATIVE) {
            return "native (" + Softmax.nativeInfo().kernels() + " kernels, "
                    + s.threads() + " threads)";
        }
        return "pure Java" + Softmax.nativeUnavailableCause().map(c -> " (native unavailable: "
                + Main.oneLine(c) + ")").orElse("");
    }

    /** The header of a table of classes: a label column, the classes, then {@code more}. */
    private static String[] header(String label, String... more) {
        String[] h = new String[CLASSES.length + 1 + more.length];
        h[0] = label;
        System.arraycopy(CLASSES, 0, h, 1, CLASSES.length);
        System.arraycopy(more, 0, h, CLASSES.length + 1, more.length);
        return h;
    }

    private static String[] cells(String label, String fmt, float[] v) {
        String[] c = new String[v.length + 1];
        c[0] = label;
        for (int i = 0; i < v.length; i++) c[i + 1] = String.format(fmt, v[i]);
        return c;
    }

    /** Rows of values under the class names, each column as wide as its widest value. */
    private static void printRows(PrintWriter out, float[] v, int rows, int n, String fmt) {
        TextTable t = new TextTable(1);
        t.row(header(""));
        for (int r = 0; r < rows; r++) t.row(cells("row " + (r + 1), fmt, Arrays.copyOfRange(v, r * n, r * n + n)));
        t.print(out, "  ");
    }
}
