package org.softmax4j.spark.internal;

import java.nio.DoubleBuffer;

import org.apache.spark.broadcast.Broadcast;

/**
 * The classifier over a block: the features of the block's rows packed into an off-heap block,
 * then one native call (the GEMM and the log-softmax, split over the task's threads) for all of
 * them. The native copy of the weights is opened on the first block and closed with the kernel.
 */
final class ClassifierKernel implements BlockKernel {
    private final ClassifierFunction function;
    private final Broadcast<Core.Parameters> model;
    private final ColumnKind kind;
    private final int features;
    private final int classes;
    private final String what;
    private final Block in = Block.of(false);
    private final Block out = Block.of(false);
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
        out.ensure(Math.multiplyExact(count, classes));
        DoubleBuffer x = in.doubleBuffer();
        for (int r = 0; r < count; r++) {
            function.checkedLength(inputs[r]);
            kind.copy(inputs[r], features, x, in.address(), r * features, what);
        }
        head.logProba(count, in.doubles(), out.doubles());
        DoubleBuffer y = out.doubleBuffer();
        for (int r = 0; r < count; r++) {
            double[] logP = new double[classes];
            y.get(r * classes, logP, 0, classes);
            results[r] = ClassifierFunction.result(logP);
        }
    }

    @Override
    public void close() {
        if (head != null) head.close();
        head = null;
        in.close();
        out.close();
    }
}
