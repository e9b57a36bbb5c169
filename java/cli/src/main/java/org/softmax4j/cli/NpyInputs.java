package org.softmax4j.cli;

import org.softmax4j.io.Npy;

/** The rules every array a command computes on must meet. */
final class NpyInputs {
    private NpyInputs() {}

    /**
     * A float32 or float64 array of one row (1-D) or of rows (2-D).
     *
     * @throws IllegalArgumentException naming {@code name} and the problem, in one line
     */
    static void requireFloatRows(Npy.Array a, String name) {
        if (a.dtype() == Npy.DType.BOOL) {
            throw new IllegalArgumentException(name + ": dtype bool is not supported (float32 or float64 expected)");
        }
        if (a.dtype() != Npy.DType.FLOAT32 && a.dtype() != Npy.DType.FLOAT64) {
            throw new IllegalArgumentException(name + ": unsupported dtype '" + a.dtype().typestr()
                    + "' (float32 or float64 expected)");
        }
        if (a.ndim() != 1 && a.ndim() != 2) {
            throw new IllegalArgumentException(name + ": expected a 1-D or 2-D array, got shape " + a.shapeString());
        }
    }
}
