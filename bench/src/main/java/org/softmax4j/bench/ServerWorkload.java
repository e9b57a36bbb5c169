package org.softmax4j.bench;

import java.util.Random;

import org.softmax4j.Batch;
import org.softmax4j.Softmax;
import org.softmax4j.regression.SoftmaxClassifier;

/**
 * The requests of the server benchmarks ({@link CallersBench}, {@link BusyCoreBench}), written
 * {@code softmax:ROWSxN} (the float32 softmax of a batch, heap arrays) or
 * {@code predictProba:ROWSxDxK} (a classifier head of K classes over D features on a batch of
 * ROWS, float32). The model and a template of the input are shared by all callers, as in a
 * service; each caller has its own copy of the input and its own output.
 *
 * <p>Only public API, so that the same benchmarks measure any version of the library.
 */
final class ServerWorkload implements AutoCloseable {

    /** The workloads: classifier batches, a vocabulary-sized row, a head. */
    static final String[] ALL = {"softmax:64x1000", "softmax:256x1000", "softmax:4096x1000",
        "softmax:1x128256", "predictProba:256x512x1000"};

    private final Softmax softmax;
    private final int rows, n, classes;
    private final float[] input;
    private final SoftmaxClassifier head;  // null for softmax

    private ServerWorkload(Softmax softmax, int rows, int n, int classes, SoftmaxClassifier head) {
        this.softmax = softmax;
        this.rows = rows;
        this.n = n;
        this.classes = classes;
        this.head = head;
        this.input = Operands.floats(rows * n);
    }

    /** Parses {@code spec} and prepares what all callers share. */
    static ServerWorkload of(String spec, Softmax softmax) {
        String[] kindAndShape = spec.split(":", 2);
        if (kindAndShape.length != 2) throw bad(spec);
        String[] dims = kindAndShape[1].split("x");
        try {
            switch (kindAndShape[0]) {
                case "softmax" -> {
                    if (dims.length != 2) throw bad(spec);
                    Shape s = Shape.parse(kindAndShape[1]);
                    return new ServerWorkload(softmax, s.rows(), s.n(), 0, null);
                }
                case "predictProba" -> {
                    if (dims.length != 3) throw bad(spec);
                    int rows = Integer.parseInt(dims[0]), d = Integer.parseInt(dims[1]), k = Integer.parseInt(dims[2]);
                    Random r = new Random(0x4ead);
                    double[] w = new double[k * d], b = new double[k];
                    for (int i = 0; i < w.length; i++) w[i] = r.nextGaussian() / Math.sqrt(d);
                    for (int i = 0; i < b.length; i++) b[i] = r.nextGaussian();
                    return new ServerWorkload(softmax, rows, d, k, SoftmaxClassifier.of(k, d, w, b, softmax));
                }
                default -> throw bad(spec);
            }
        } catch (NumberFormatException e) {
            throw bad(spec);
        }
    }

    private static IllegalArgumentException bad(String spec) {
        return new IllegalArgumentException(
                "a workload is softmax:ROWSxN or predictProba:ROWSxDxK, e.g. softmax:256x1000; got '" + spec + "'");
    }

    /** One caller's buffers; {@link #call()} is one request. */
    final class Caller {
        private final float[] x = input.clone();
        private final float[] y = new float[rows * (head == null ? n : classes)];
        private final Batch xs = Batch.of(x, rows, n), ys = Batch.of(y, rows, head == null ? n : classes);

        float[] call() {
            if (head == null) {
                softmax.softmax(rows, n, x, y);
            } else {
                head.predictProba(xs, ys);
            }
            return y;
        }
    }

    @Override
    public void close() {
        if (head != null) head.close();
    }

    /**
     * Applies a policy of the benchmarks: {@code default} (the library's own), {@code 1} (one
     * thread per call) or {@code all} (every call on all the cores the default may use).
     */
    static void applyPolicy(Softmax s, String policy) {
        s.setThreads(0);
        switch (policy) {
            case "default" -> { }
            case "1" -> s.setThreads(1);
            case "all" -> s.setThreads(s.threads());
            default -> throw new IllegalArgumentException("policy must be default, 1 or all, got '" + policy + "'");
        }
    }
}
