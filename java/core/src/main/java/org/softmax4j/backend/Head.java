package org.softmax4j.backend;

import org.softmax4j.Batch;
import org.softmax4j.storage.Storage;

/**
 * The Java kernel of the regression head, the reference for {@code native/src/regression.cpp}:
 * the scores as a plain loop in double precision, the row operation by {@link Reference}, and
 * the cross-entropy and its gradient in the same steps and order as the native code, so that the
 * two differ only by rounding.
 */
final class Head {
    private Head() {}

    /**
     * y = op(a (x Wᵀ + b)): each score in double (Σ x_c w_jc, then + b_j), rounded once to y's
     * type, and the row operation applied to the rounded scores, as the native kernel does in
     * place.
     */
    static void linear(Op op, int rows, int d, int k, double a, Batch x, Batch w, Batch b, Batch y) {
        double[] weights = new double[Math.multiplyExact(k, d)];
        double[] row = new double[d];
        for (int j = 0; j < k; j++) {
            Operations.read(w, j, row);
            System.arraycopy(row, 0, weights, j * d, d);
        }
        double[] bias = new double[k];
        if (b != null) Operations.read(b, 0, bias);
        boolean f32 = y.type() == org.softmax4j.ElementType.FLOAT32;
        double[] z = new double[k];
        double[] out = new double[k];
        for (int r = 0; r < rows; r++) {
            Operations.read(x, r, row);
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) s += row[c] * weights[j * d + c];
                z[j] = f32 ? (float) (bias[j] + s) : bias[j] + s;
            }
            switch (op) {
                case LINEAR_SOFTMAX -> Reference.softmax(z, k, a, out);
                case LINEAR_LOG_SOFTMAX -> Reference.logSoftmax(z, k, a, out);
                default -> System.arraycopy(z, 0, out, 0, k);
            }
            Operations.write(y, r, out);
        }
    }

    /**
     * The weighted cross-entropy of the log-probabilities in z against the labels, times
     * {@code scale}, into {@code loss}; with {@code grad}, z is overwritten with
     * G = scale·s_r·(exp(z) − t).
     */
    static void crossEntropy(boolean grad, int rows, int k, double scale, double eps, Batch labels,
            Batch classWeights, Batch z, Batch loss) {
        Storage ls = Storage.of(labels);
        double[] cw = null;
        if (classWeights != null) {
            cw = new double[k];
            Operations.read(classWeights, 0, cw);
        }
        double off = eps / k;
        double on = 1 - eps + off;
        double total = 0;
        double[] zr = new double[k];
        for (int r = 0; r < rows; r++) {
            int y = (int) ls.get(labels.offset() + (long) r * labels.stride());
            Operations.read(z, r, zr);
            double s = cw != null ? cw[y] : 1;
            // Terms with a zero target weight are left out, not evaluated as 0·(−∞) = NaN where
            // a class's probability underflows (as the native code does).
            double ce = 0;
            if (eps != 1) ce -= (1 - eps) * zr[y];
            if (off != 0) {
                double sumLogP = 0;
                for (int j = 0; j < k; j++) sumLogP += zr[j];
                ce -= off * sumLogP;
            }
            total += s * ce;
            if (grad) {
                double g = scale * s;
                for (int j = 0; j < k; j++) zr[j] = g * (Math.exp(zr[j]) - (j == y ? on : off));
                Operations.write(z, r, zr);
            }
        }
        Operations.write(loss, 0, new double[] {total * scale});
    }

    /** dW = Gᵀ x, row by row of x (dW_j += G_rj · x_r), and db = the column sums of G. */
    static void gradient(int rows, int d, int k, Batch g, Batch x, Batch dw, Batch db) {
        double[] gw = new double[Math.multiplyExact(k, d)];
        double[] gb = new double[k];
        double[] gr = new double[k];
        double[] xr = new double[d];
        for (int r = 0; r < rows; r++) {
            Operations.read(g, r, gr);
            Operations.read(x, r, xr);
            for (int j = 0; j < k; j++) {
                gb[j] += gr[j];
                if (gr[j] == 0) continue;
                for (int c = 0; c < d; c++) gw[j * d + c] += gr[j] * xr[c];
            }
        }
        double[] row = new double[d];
        for (int j = 0; j < k; j++) {
            System.arraycopy(gw, j * d, row, 0, d);
            Operations.write(dw, j, row);
        }
        Operations.write(db, 0, gb);
    }
}
