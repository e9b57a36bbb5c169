package org.softmax4j.regression;

import org.softmax4j.Batch;
import org.softmax4j.backend.Kernel;
import org.softmax4j.backend.Op;
import org.softmax4j.backend.Route;

/**
 * The objective of the head on either backend, through the route like every other operation:
 * the log-probabilities of the scores (one linear call), the weighted cross-entropy and, for the
 * gradient, G in place of them (one call), then ∂L/∂W = Gᵀ X and ∂L/∂b = Σ G (one call). The L2
 * term is added by the caller on its double-precision weights.
 */
final class Head {
    private Head() {}

    /**
     * The data term of the objective for validated arguments. {@code z} is a rows × k workspace of
     * x's type; {@code dw} (k × d) and {@code db} (1 × k) receive the gradient of the data term,
     * or are both null for the loss alone. {@code scale} is {@link Objective#scale} of these rows.
     */
    static double dataLoss(Kernel kernel, Batch x, Batch labels, Batch w, Batch b, Objective objective,
            double scale, Batch z, Batch dw, Batch db) {
        int rows = x.rows();
        int d = w.cols();
        int k = w.rows();
        Route.run(kernel, Op.LINEAR_LOG_SOFTMAX, 0, rows, d, k, 1.0, 0, x, w, b, null, z, null);
        double[] cw = objective.classWeightsRaw();
        Batch classWeights = cw == null ? null : Batch.of(cw, 1, k);
        double[] loss = new double[1];
        Route.run(kernel, Op.CROSS_ENTROPY, dw != null ? Op.GRADIENT : 0, rows, 0, k, scale,
                objective.labelSmoothing(), labels, classWeights, null, null, z, Batch.of(loss, 1, 1));
        if (dw != null) Route.run(kernel, Op.LINEAR_GRADIENT, 0, rows, d, k, 1, 0, z, x, null, null, dw, db);
        return loss[0];
    }

    /**
     * The L2 term (λ/2)‖W‖² for the {@code count} weights from {@code w[wo]}; if {@code g} is not
     * null, adds its gradient λW into {@code g[go..]}.
     */
    static double l2(double lambda, double[] w, int wo, int count, double[] g, int go) {
        // No penalty is no term: not 0·‖W‖², which is NaN once a weight's square overflows.
        if (lambda == 0) return 0;
        double norm2 = 0;
        for (int i = 0; i < count; i++) {
            double v = w[wo + i];
            norm2 += v * v;
            if (g != null) g[go + i] += lambda * v;
        }
        return 0.5 * lambda * norm2;
    }
}
