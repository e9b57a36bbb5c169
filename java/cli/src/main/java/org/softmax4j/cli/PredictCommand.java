package org.softmax4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.softmax4j.Batch;
import org.softmax4j.Scale;
import org.softmax4j.internal.Outputs;
import org.softmax4j.regression.SoftmaxClassifier;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.softmax4j.io.Npy;

/**
 * {@code predict}: class probabilities of a trained model for the rows of a .npy file. A 2-D
 * input (rows, features) gives (rows, classes), a 1-D input (features,) gives (classes,), in the
 * input's dtype (float32 or float64). Nothing is written unless the computation succeeded.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        customSynopsis = {
            "softmax4j predict --model MODEL.npz --in X.npy --out P.npy",
            "         [--temperature T] [--log] [--backend native|java] [--threads N]"},
        description = "Class probabilities of a trained model (softmax4j train) for the rows of a .npy file.")
final class PredictCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "MODEL.npz", description = "A model saved by train.")
    Path model;

    @Option(names = "--in", required = true, paramLabel = "X.npy", description = "Inputs: (rows, features) or (features,), float32 or float64.")
    Path in;

    @Option(names = "--out", required = true, paramLabel = "P.npy", description = "Output file (replaced only on success).")
    Path out;

    @Option(names = "--temperature", paramLabel = "T", description = "Temperature τ > 0 (default: ${DEFAULT-VALUE}).")
    double temperature = 1.0;

    @Option(names = "--log", description = "Write log-probabilities instead.")
    boolean log;

    @Mixin
    BackendOptions backend = new BackendOptions();

    @Override
    public Integer call() throws IOException {
        Outputs.check("--out", out, model, in);
        var s = backend.softmax();
        Npy.Array x = Npy.read(in);
        Npy.Array p;
        try (SoftmaxClassifier m = SoftmaxClassifier.load(model, s)) {
            p = predict(m, x, temperature, log, in.toString());
        }
        Npy.write(out, p);
        return 0;
    }

    static Npy.Array predict(SoftmaxClassifier m, Npy.Array x, double temperature, boolean log, String name) {
        NpyInputs.requireFloatRows(x, name);
        int[] shape = x.shape();
        int rows = x.ndim() == 1 ? 1 : shape[0];
        int d = shape[x.ndim() - 1];
        if (d != m.features()) {
            throw new IllegalArgumentException(name + ": rows of " + d + " values, the model takes " + m.features()
                    + " features");
        }
        int k = m.classes();
        int[] outShape = x.ndim() == 1 ? new int[] {k} : new int[] {rows, k};
        if (x.dtype() == Npy.DType.FLOAT32) {
            float[] y = new float[Math.multiplyExact(rows, k)];
            call(m, log, Batch.of((float[]) x.data(), rows, d), Batch.of(y, rows, k), temperature);
            return Npy.Array.of(y, outShape);
        }
        double[] y = new double[Math.multiplyExact(rows, k)];
        call(m, log, Batch.of((double[]) x.data(), rows, d), Batch.of(y, rows, k), temperature);
        return Npy.Array.of(y, outShape);
    }

    private static void call(SoftmaxClassifier m, boolean log, Batch x, Batch y, double temperature) {
        if (log) m.logProba(x, y, Scale.temperature(temperature));
        else m.predictProba(x, y, Scale.temperature(temperature));
    }
}
