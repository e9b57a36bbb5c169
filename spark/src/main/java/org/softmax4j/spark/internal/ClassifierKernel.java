package org.softmax4j.spark.internal;

import java.nio.DoubleBuffer;

import org.apache.spark.broadcast.Broadcast;

/**
 * The classifier over a block: the features of the block's rows packed into an off-heap block,
 * then one native call for the scores of all of them (the GEMM, split over the task's threads)
 * and one for their softmax. The native copy of the weights is opened on the first block and closed with the kernel.
 */
final class ClassifierKernel implements BlockKernel {
    private final ClassifierFunction function;
    private final Broadcast<Core.Parameters> model;
    private final ColumnKind kind;
    private final int features;
    private final int classes;
    private final String what;
    private final Block in = Block.of(false);
    private final Block scores = Block.of(false);
    private final Block proba = Block.of(false);
    private Core.Head head;

    ClassifierKernel(ClassifierFunction function, Broadcast<Core.Parameters> model, ColumnKind kind, int features,
            int classes, String what) {
        this.function = function;
        this.model = model;
        this.kind = kind;
        this.features = features;
        this.classes = classes;
        this.what = what;
    }

    @Override
    public void evaluate(Object[] inputs, int count, Object[] results) {
        if (count == 0) return;
        if (head == null) head = Core.head(model.value());
        in.ensure(Math.max(1, Math.multiplyExact(count, features)));
        scores.ensure(Math.multiplyExact(count, classes));
        proba.ensure(Math.multiplyExact(count, classes));
        DoubleBuffer x = in.doubleBuffer();
        for (int r = 0; r < count; r++) {
            function.checkedLength(inputs[r]);
            kind.copy(inputs[r], features, x, in.address(), r * features, what);
        }
        head.scoresAndProba(count, in.doubles(), scores.doubles(), proba.doubles());
        DoubleBuffer z = scores.doubleBuffer();
        DoubleBuffer p = proba.doubleBuffer();
        for (int r = 0; r < count; r++) results[r] = ClassifierFunction.result(z, p, r * classes, classes);
    }

    @Override
    public void close() {
        if (head != null) head.close();
        head = null;
        in.close();
        scores.close();
        proba.close();
    }
}
