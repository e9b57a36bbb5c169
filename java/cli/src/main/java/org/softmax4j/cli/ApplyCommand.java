package org.softmax4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.softmax4j.Softmax;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code apply}: one operation over the last axis of a 1-D or 2-D float32/float64 .npy file.
 * The output has the input's dtype; its shape is the input's, or one value per row for
 * log-sum-exp. Nothing is written unless the whole computation succeeded.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Apply an operation to a .npy file (rows along axis 0, the operation along the last axis).")
final class ApplyCommand implements Callable<Integer> {

    enum Op {
        softmax, log_softmax, logsumexp;

        static Op parse(String s) {
            return switch (s) {
                case "softmax" -> softmax;
                case "log-softmax", "log_softmax" -> log_softmax;
                case "logsumexp", "log-sum-exp" -> logsumexp;
                default -> throw new IllegalArgumentException(
                        "--op must be softmax, log-softmax or logsumexp, got '" + s + "'");
            };
        }
    }

    @Option(names = "--op", required = true, paramLabel = "OP",
            description = "softmax, log-softmax or logsumexp.")
    String op;

    @Option(names = "--in", required = true, paramLabel = "X.npy", description = "Input: 1-D or 2-D, float32 or float64, C order.")
    Path in;

    @Option(names = "--out", required = true, paramLabel = "Y.npy", description = "Output file (replaced only on success).")
    Path out;

    @Option(names = "--temperature", paramLabel = "T", description = "Temperature τ > 0 (default: ${DEFAULT-VALUE}).")
    double temperature = 1.0;

    @Mixin
    BackendOptions backend = new BackendOptions();

    @Override
    public Integer call() throws IOException {
        Op operation = Op.parse(op);
        // Writing over the input would destroy it even when the result is not what was wanted.
        if (Files.exists(out) && Files.exists(in) && Files.isSameFile(in, out)) {
            throw new IllegalArgumentException("--out " + out + " is the input file; write the result elsewhere");
        }
        Softmax s = backend.softmax();
        Npy.Array x = Npy.read(in);
        Npy.Array y = apply(s, operation, x, temperature, in.toString());
        try {
            Npy.write(out, y);
        } catch (IOException e) {
            throw new IOException("cannot write " + out + ": " + Main.oneLine(e), e);
        }
        return 0;
    }

    /** The computation, separate from the files. */
    static Npy.Array apply(Softmax s, Op op, Npy.Array x, double temperature, String name) {
        if (x.dtype() == Npy.DType.BOOL) {
            throw new IllegalArgumentException(name + ": dtype bool is not supported (float32 or float64 expected)");
        }
        if (x.ndim() != 1 && x.ndim() != 2) {
            throw new IllegalArgumentException(name + ": expected a 1-D or 2-D array, got shape " + x.shapeString());
        }
        int[] shape = x.shape();
        int rows = x.ndim() == 1 ? 1 : shape[0];
        int n = shape[x.ndim() - 1];
        int[] outShape = op == Op.logsumexp ? (x.ndim() == 1 ? new int[0] : new int[] {rows}) : shape;
        int outSize = op == Op.logsumexp ? rows : rows * n;
        if (x.dtype() == Npy.DType.FLOAT32) {
            float[] in = (float[]) x.data();
            float[] y = new float[outSize];
            switch (op) {
                case softmax -> s.softmax(rows, n, in, 0, n, y, 0, n, temperature);
                case log_softmax -> s.logSoftmax(rows, n, in, 0, n, y, 0, n, temperature);
                case logsumexp -> s.logSumExp(rows, n, in, 0, n, y, 0, temperature);
            }
            return Npy.Array.of(y, outShape);
        }
        double[] in = (double[]) x.data();
        double[] y = new double[outSize];
        switch (op) {
            case softmax -> s.softmax(rows, n, in, 0, n, y, 0, n, temperature);
            case log_softmax -> s.logSoftmax(rows, n, in, 0, n, y, 0, n, temperature);
            case logsumexp -> s.logSumExp(rows, n, in, 0, n, y, 0, temperature);
        }
        return Npy.Array.of(y, outShape);
    }
}
