package org.softmax4j.spark.internal;

import org.softmax4j.spark.internal.Core.RowOp;

/**
 * Softmax, log-softmax or log-sum-exp over a block of rows: consecutive rows of the same length
 * go into the input block together and are computed by one native call, so a column of
 * fixed-length rows costs one call per block. A null row gives a null result.
 */
final class RowOpKernel implements BlockKernel {
    /** Elements a block holds before a run is cut: 2 MB of doubles, well inside L2 + L3. */
    static final int BLOCK_ELEMENTS = 1 << 18;

    private final RowOp op;
    private final ColumnKind kind;
    private final double temperature;
    private final String what;
    private final Block in;
    private final Block out;

    RowOpKernel(RowOp op, ColumnKind kind, double temperature, String what) {
        this.op = op;
        this.kind = kind;
        this.temperature = temperature;
        this.what = what;
        this.in = Block.of(kind.single());
        this.out = Block.of(kind.single());
    }

    @Override
    public void evaluate(Object[] inputs, int count, Object[] results) {
        int i = 0;
        while (i < count) {
            if (inputs[i] == null) {
                results[i++] = null;
                continue;
            }
            int n = kind.length(inputs[i]);
            // The run: following non-null rows of the same length, as many as the block holds.
            int limit = Math.max(1, BLOCK_ELEMENTS / Math.max(1, n));
            int end = i + 1;
            while (end < count && end - i < limit && inputs[end] != null && kind.length(inputs[end]) == n) end++;
            compute(inputs, results, i, end - i, n);
            i = end;
        }
    }

    private void compute(Object[] inputs, Object[] results, int first, int rows, int n) {
        int elements = Math.multiplyExact(rows, n);
        int outElements = op.reduces() ? rows : elements;
        in.ensure(Math.max(1, elements));
        out.ensure(Math.max(1, outElements));
        if (kind.single()) {
            for (int r = 0; r < rows; r++) {
                kind.copy(inputs[first + r], n, in.floatBuffer(), in.address(), r * n, what);
            }
            Core.rows(op, rows, n, in.floats(), out.floats(), temperature);
            for (int r = 0; r < rows; r++) {
                results[first + r] = op.reduces() ? kind.scalarResult(out.floatBuffer().get(r))
                        : kind.rowResult(out.floatBuffer(), r * n, n);
            }
        } else {
            for (int r = 0; r < rows; r++) {
                kind.copy(inputs[first + r], n, in.doubleBuffer(), in.address(), r * n, what);
            }
            Core.rows(op, rows, n, in.doubles(), out.doubles(), temperature);
            for (int r = 0; r < rows; r++) {
                results[first + r] = op.reduces() ? kind.scalarResult(out.doubleBuffer().get(r))
                        : kind.rowResult(out.doubleBuffer(), r * n, n);
            }
        }
    }

    @Override
    public void close() {
        in.close();
        out.close();
    }
}
