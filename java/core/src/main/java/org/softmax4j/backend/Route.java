package org.softmax4j.backend;

import org.softmax4j.Batch;
import org.softmax4j.ElementType;

/**
 * The one way into a kernel. Every public operation (the row operations, derivatives, seed and
 * masked operations of {@code Softmax}, and the regression head) describes its call here: the
 * {@link Op}, its sizes and scalars, and its operands in the op's slots. The route checks every
 * operand against the op's declared roles, in a fixed order, through {@link Checks}, and only
 * then calls {@link Kernel#run}. Nothing is written when a check fails, and nothing is allocated.
 *
 * <p>Order of the checks: missing operands; memory that is gone; shapes (rows and width per
 * row); element types; writable outputs; overlap of each output with every other operand; the
 * scale.
 */
public final class Route {
    private Route() {}

    /**
     * Validates, then computes.
     *
     * @param kernel the backend's kernel
     * @param op the operation
     * @param flags {@link Op#FROM_OUTPUT}, {@link Op#GRADIENT} or 0
     * @param rows rows of the call, &ge; 0
     * @param n elements per input row, &ge; 0
     * @param k the op's k (&ge; 0; 0 where it has none)
     * @param a the inverse temperature (not NaN), or the loss scale
     * @param param the op's extra scalar
     */
    public static void run(Kernel kernel, Op op, int flags, int rows, int n, int k, double a, double param,
            Batch in0, Batch in1, Batch in2, Batch in3, Batch out0, Batch out1) {
        // Small enough for the JIT to inline into each operation, where op is a constant: the pair
        // checks then fold to the operation's own, and the general loops are not reached.
        if (op.pair()) {
            checkPair(op, (flags & Op.FROM_OUTPUT) != 0, rows, n, k, a, in0, out0);
        } else {
            checkRoles(op, flags, rows, n, k, a, in0, in1, in2, in3, out0, out1);
        }
        kernel.run(op, flags, rows, n, k, a, param, in0, in1, in2, in3, out0, out1);
    }

    /** The checks of every role of {@code op}, in the order of the class comment. */
    private static void checkRoles(Op op, int flags, int rows, int n, int k, double a, Batch in0, Batch in1,
            Batch in2, Batch in3, Batch out0, Batch out1) {
        boolean fromOutput = (flags & Op.FROM_OUTPUT) != 0;
        int roles = op.roleCount();
        // Missing operands first (NullPointerException), then each operand on its own.
        for (int i = 0; i < roles; i++) {
            Op.Role r = op.role(i);
            if (r.present(fromOutput) && !r.optional()) {
                Checks.notNull(pick(r.slot(), in0, in1, in2, in3, out0, out1), r.name(fromOutput));
            }
        }
        String firstData = null;
        ElementType dataType = null;
        for (int i = 0; i < roles; i++) {
            Op.Role r = op.role(i);
            Batch b = pick(r.slot(), in0, in1, in2, in3, out0, out1);
            if (b == null || !r.present(fromOutput)) continue;
            String name = r.name(fromOutput);
            Checks.live(name, b);
            Checks.shape(name, b, rows(r, rows, k, flags), width(r, b, n, k));
            switch (r.kind()) {
                case DATA -> {
                    Checks.dataType(op, name, b, r.output(), firstData, dataType);
                    if (dataType == null) {
                        firstData = name;
                        dataType = b.type();
                    }
                }
                case BOOL -> Checks.type(name, b, ElementType.BOOL);
                case INT32 -> Checks.type(name, b, ElementType.INT32);
                case FLOAT64 -> Checks.type(name, b, ElementType.FLOAT64);
            }
            if (r.output()) Checks.writable(name, b);
        }
        for (int i = 0; i < roles; i++) {
            Op.Role o = op.role(i);
            Batch out = pick(o.slot(), in0, in1, in2, in3, out0, out1);
            if (!o.output() || out == null) continue;
            for (int j = 0; j < roles; j++) {
                Op.Role r = op.role(j);
                Batch other = pick(r.slot(), in0, in1, in2, in3, out0, out1);
                if (j == i || other == null || !r.present(fromOutput) || (r.output() && j < i)) continue;
                Checks.overlap(o.name(fromOutput), out, rows(o, rows, k, flags), width(o, out, n, k), r.name(fromOutput),
                        other, rows(r, rows, k, flags), width(r, other, n, k), !r.output() && r.mayAlias());
            }
        }
        if (op.inverts()) Checks.invertible(a, dataType);
    }

    /**
     * The checks of {@link #checkRoles} for an op with one data input and one data output
     * ({@link Op#pair()}), in the same order with the same rules and messages, written out: the
     * loops over the roles, with their switches, are too large for the JIT to inline into the
     * operations, so the op was not a constant there and they ran at every call (most of a
     * small call's validation time).
     */
    private static void checkPair(Op op, boolean fromOutput, int rows, int n, int k, double a, Batch in,
            Batch out) {
        Op.Role ri = op.role(0), ro = op.role(1);
        String inName = ri.name(fromOutput), outName = ro.name(fromOutput);
        Checks.notNull(in, inName);
        Checks.notNull(out, outName);
        Checks.live(inName, in);
        long inWidth = width(ri, in, n, k);
        Checks.shape(inName, in, rows, inWidth);
        Checks.dataType(op, inName, in, false, null, null);
        Checks.live(outName, out);
        long outWidth = width(ro, out, n, k);
        Checks.shape(outName, out, rows, outWidth);
        Checks.dataType(op, outName, out, true, inName, in.type());
        Checks.writable(outName, out);
        Checks.overlap(outName, out, rows, outWidth, inName, in, rows, inWidth, ri.mayAlias());
        if (op.inverts()) Checks.invertible(a, in.type());
    }

    private static long rows(Op.Role r, int rows, int k, int flags) {
        return switch (r.rows()) {
            case BATCH -> rows;
            case K -> k;
            case ONE -> 1;
            case BATCH_OR_BROADCAST -> (flags & Op.BROADCAST) != 0 ? 1 : rows;
        };
    }

    private static long width(Op.Role r, Batch b, int n, int k) {
        return r.width() == Op.Width.OWN ? b.cols() : r.width().of(n, k);
    }

    private static Batch pick(int slot, Batch in0, Batch in1, Batch in2, Batch in3, Batch out0, Batch out1) {
        return switch (slot) {
            case 0 -> in0;
            case 1 -> in1;
            case 2 -> in2;
            case 3 -> in3;
            case 4 -> out0;
            default -> out1;
        };
    }
}
