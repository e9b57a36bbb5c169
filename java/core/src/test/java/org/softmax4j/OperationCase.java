package org.softmax4j;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One call of a public entry point that takes batches, with arguments drawn near and across every
 * boundary the API documents: shapes (negative, empty, large enough for threads), each operand's
 * storage kind (mixed between operands at times), offset, stride, rows and columns (off by one),
 * capacity, position and slack, element type, read-only or foreign-order storage, memory freed
 * before or after the batch is made, nulls, an output over an input (exactly, or shifted), the
 * scale (temperatures and α of every sign, NaN, ±∞, subnormal), the op's parameters (k, the
 * gauge, the weights of a product, labels) and values (NaN, ±∞, ±0, subnormals, huge, near-ties).
 *
 * <p>{@link #violations()} states, independently of the library's code and from the README's
 * error table, which exceptions the call may throw: none for a valid call.
 */
final class OperationCase {

    /** The entry points: every public operation of Softmax on batches, and the classifier's. */
    enum Entry {
        SOFTMAX, LOG_SOFTMAX, LOG_SUM_EXP, JACOBIAN, SOFTMAX_JVP, SOFTMAX_VJP, LOG_SOFTMAX_VJP, LOG_SUM_EXP_VJP,
        LOG_SUM_EXP_VJP_SAVED, JACOBIAN_TIMES, INVERSE, COMBINE, SIGMOID, MASKED_SOFTMAX, MASKED_LOG_SOFTMAX,
        MASKED_LOG_SUM_EXP, PREDICT_PROBA, LOG_PROBA, SCORES, PREDICT, LOSS, GRADIENT;

        boolean head() {
            return ordinal() >= PREDICT_PROBA.ordinal();
        }

        boolean hasFrom() {
            return this == JACOBIAN || this == SOFTMAX_JVP || this == SOFTMAX_VJP || this == LOG_SOFTMAX_VJP
                    || this == JACOBIAN_TIMES;
        }

        boolean masked() {
            return this == MASKED_SOFTMAX || this == MASKED_LOG_SOFTMAX || this == MASKED_LOG_SUM_EXP;
        }

        /** The entry points that take bfloat16 and float16 data. */
        boolean takesHalf() {
            return this == SOFTMAX || this == LOG_SOFTMAX || this == LOG_SUM_EXP || masked();
        }
    }

    /**
     * The kinds whose storage this JVM can make: every {@link Kind} whose adapter makes a
     * one-element batch here. A kind that needs what this run lacks (MemorySegments need
     * JDK 22+ and the packaged jar's versioned classes) is left out here and covered where it
     * can run.
     */
    static List<Kind> kindsHere() {
        return KINDS_HERE;
    }

    /** The storages of {@link #kindsHere()}. */
    static List<TestStorage> storagesHere() {
        return STORAGES_HERE;
    }

    private static final List<Kind> KINDS_HERE = new ArrayList<>();
    private static final List<TestStorage> STORAGES_HERE = new ArrayList<>();

    static {
        for (Kind k : Kind.values()) {
            try (TestStorage.Stored s = k.store(new double[] {1}, 1, 1, 0, 1, true)) {
                s.batch();
                KINDS_HERE.add(k);
                if (!STORAGES_HERE.contains(k.storage)) STORAGES_HERE.add(k.storage);
            } catch (RuntimeException | LinkageError e) {
                // Not here (an adapter that cannot run in this JVM fails as it likes): see
                // kindsHere(). The sweeps print the kinds they ran, so a kind left out shows.
            }
        }
    }

    /** Widths per row, for the call's n and k (for the head: n = features d, k = classes). */
    enum W { N, ONE, NN, NK, KN, K }

    /** How many rows an operand has: the call's, k (the head's weights), or one. */
    enum R { ROWS, K, ONE }

    /**
     * One operand as the entry point declares it: whether it is an output, whether an output may
     * be exactly its region (in place), and whether it must hold the call's data type or is a mask.
     */
    record Spec(String name, boolean output, W width, R rows, boolean mask, boolean inPlace) {}

    /** One operand of a case: where it lives and how its batch is laid out. */
    static final class Operand {
        Spec spec;
        TestStorage kind;
        ElementType type;
        Allocation.Variant variant = Allocation.Variant.NORMAL;
        boolean nul;
        /** −1, or the index of the input whose allocation this output shares. */
        int aliasOf = -1;
        long offset;
        int rows;
        int cols;
        int stride;
        int capacity;
        int position;
        int extra;
        double[] values;
        /** Matrices: rows, cols and stride of the allocation. */
        int mRows;
        int mCols;
        int mStride;

        boolean matrix() {
            return kind == TestStorage.MATRIX;
        }
    }

    final Entry entry;
    final TestStorage kind;
    final ElementType type;
    final List<Operand> operands = new ArrayList<>();
    boolean fromOutput;
    int rows;
    int n;
    int k;
    /** The scale: a temperature (if {@code !alpha}), α, or absent (the two-argument form). */
    boolean noScale;
    boolean alpha;
    double scaleValue = 1;
    /** inverse: 0 zero mean, 1 pinned, 2 LSE; the pin or the LSE value. */
    int gauge;
    int pin;
    double gaugeLse;
    boolean nullGauge;
    double[] weights;
    boolean nullWeights;
    /** The head: the model's weights and bias, the labels. */
    Operand modelW;
    Operand modelB;
    int[] labels;
    boolean nullLabels;
    int labelsOffset;

    private OperationCase(Entry entry, TestStorage kind, ElementType type) {
        this.entry = entry;
        this.kind = kind;
        this.type = type;
    }

    static final double[] TEMPERATURES = BoundaryCase.TEMPERATURES;
    static final double[] ALPHAS = {1, -1, 0, 0.5, -2, 40, -40, 1e-50, -1e-50, Double.MIN_VALUE, 1e300, -1e300,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 1e-46, 3e38};

    /** The operands of an entry, in the order its public method takes them. */
    static List<Spec> specs(Entry e, boolean fromOutput) {
        String in = fromOutput ? "y" : "x";
        return switch (e) {
            case SOFTMAX, LOG_SOFTMAX -> List.of(input("x", W.N), output("y", W.N));
            case LOG_SUM_EXP -> List.of(input("x", W.N), output("out", W.ONE));
            case JACOBIAN -> List.of(input(in, W.N), output("jacobian", W.NN));
            case SOFTMAX_JVP -> List.of(input(in, W.N), input("v", W.N), output("out", W.N));
            case SOFTMAX_VJP -> List.of(input(in, W.N), input("g", W.N), output("out", W.N));
            case LOG_SOFTMAX_VJP -> List.of(input(fromOutput ? "logProbabilities" : "x", W.N), input("g", W.N),
                    output("out", W.N));
            case LOG_SUM_EXP_VJP -> List.of(input("x", W.N), input("g", W.ONE), output("out", W.N));
            case LOG_SUM_EXP_VJP_SAVED -> List.of(input("x", W.N), input("lse", W.ONE), input("g", W.ONE),
                    output("out", W.N));
            case JACOBIAN_TIMES -> List.of(input(in, W.N), input("tangents", W.NK), output("out", W.NK));
            case INVERSE -> List.of(input("p", W.N), output("x", W.N));
            case COMBINE -> List.of(input("p", W.KN), output("out", W.N));
            case SIGMOID -> List.of(input("z", W.N), output("out", W.N));
            case MASKED_SOFTMAX, MASKED_LOG_SOFTMAX -> List.of(input("x", W.N),
                    new Spec("mask", false, W.N, R.ROWS, true, false), output("y", W.N));
            case MASKED_LOG_SUM_EXP -> List.of(input("x", W.N), new Spec("mask", false, W.N, R.ROWS, true, false),
                    output("out", W.ONE));
            case PREDICT_PROBA, LOG_PROBA, SCORES -> List.of(new Spec("x", false, W.N, R.ROWS, false, false),
                    output("y", W.K));
            case PREDICT, LOSS, GRADIENT -> List.of(new Spec("x", false, W.N, R.ROWS, false, false));
        };
    }

    private static Spec input(String name, W width) {
        return new Spec(name, false, width, R.ROWS, false, true);
    }

    private static Spec output(String name, W width) {
        return new Spec(name, true, width, R.ROWS, false, false);
    }

    /**
     * Percent of cases large enough for the native driver to split rows over threads (4 by
     * default; {@code -Dsoftmax4j.fuzz.largePercent} for the long run, where they cost most of
     * the time: 1 % of 10⁵ cases is still 10³ large ones per entry point).
     */
    static final int LARGE_PERCENT = Integer.getInteger("softmax4j.fuzz.largePercent", 4);

    /** Largest storage an operand allocates, in elements. */
    private static final int MAX_STORAGE = 1 << 17;

    static OperationCase draw(Entry entry, TestStorage kind, ElementType type, Choices c) {
        OperationCase k = new OperationCase(entry, kind, type);
        k.fromOutput = entry.hasFrom() && c.chance(50);
        if (entry == Entry.LOG_SUM_EXP_VJP_SAVED) k.fromOutput = true;
        boolean large = c.chance(LARGE_PERCENT);
        if (large && (entry == Entry.JACOBIAN || entry == Entry.JACOBIAN_TIMES)) {
            k.rows = c.between(2, 40);
            k.n = c.between(20, 60);
        } else if (large) {
            k.rows = c.between(2, 40);
            k.n = c.between(1500, 3000);
        } else {
            k.rows = c.chance(3) ? c.pick(-1, Integer.MIN_VALUE) : c.between(0, 6);
            k.n = c.chance(3) ? c.pick(-1, Integer.MIN_VALUE) : c.between(0, 12);
        }
        k.k = switch (entry) {
            case JACOBIAN_TIMES -> c.chance(4) ? -1 : c.between(0, 4);
            case COMBINE -> c.between(0, 3);
            default -> entry.head() ? c.between(c.chance(3) ? 0 : 1, large ? 30 : 6) : 0;
        };
        if (entry == Entry.COMBINE) {
            k.weights = new double[k.k];
            for (int i = 0; i < k.k; i++) k.weights[i] = c.chance(5) ? c.pick(Double.NaN, Double.POSITIVE_INFINITY) : c.pick(1, -1, 0, 2, 0.5);
            k.nullWeights = c.chance(2);
        }
        if (entry == Entry.INVERSE) {
            k.gauge = c.between(0, 2);
            k.pin = c.chance(10) ? Math.max(k.n, 0) + c.between(0, 2) : c.between(0, Math.max(k.n - 1, 0));
            k.gaugeLse = c.pick(0, 1, -3);
            k.nullGauge = c.chance(2);
        }
        k.noScale = (entry == Entry.SOFTMAX || entry == Entry.LOG_SOFTMAX || entry == Entry.LOG_SUM_EXP
                || entry == Entry.PREDICT_PROBA || entry == Entry.LOG_PROBA) && c.chance(20);
        k.alpha = c.chance(50);
        k.scaleValue = k.alpha ? (c.chance(60) ? c.pick(ALPHAS) : c.ordinary() * 3)
                : (c.chance(60) ? c.pick(TEMPERATURES) : Math.exp(c.between(-4605, 4605) / 1000.0));
        if (entry == Entry.COMBINE || entry == Entry.SCORES || entry == Entry.PREDICT || entry == Entry.LOSS
                || entry == Entry.GRADIENT) {
            k.noScale = true;
        }
        int specialPercent = c.pick(0, 0, 0, 2, 10, 40);
        double scale = c.pick(1, 1, 1, 30, 1e4, 1e-3);
        List<Spec> specs = specs(entry, k.fromOutput);
        boolean mixed = c.chance(15);
        boolean[] in = new boolean[specs.size()];
        for (int i = 0; i < specs.size(); i++) {
            Spec s = specs.get(i);
            Operand o = new Operand();
            o.spec = s;
            List<TestStorage> kinds = storagesHere();
            o.kind = mixed ? kinds.get(c.between(0, kinds.size() - 1)) : kind;
            if (s.mask() && o.kind == TestStorage.MATRIX) o.kind = TestStorage.POINTER;
            o.type = s.mask() ? ElementType.BOOL : type;
            if (!s.mask() && c.chance(3)) o.type = type == ElementType.FLOAT32 ? ElementType.FLOAT64 : ElementType.FLOAT32;
            if (s.mask() && c.chance(2)) o.type = type;  // a mask of the wrong type
            if (o.type != ElementType.FLOAT32 && o.type != ElementType.FLOAT64 && o.kind == TestStorage.MATRIX) {
                o.kind = TestStorage.POINTER;
            }
            o.nul = c.chance(2);
            long wantRows = rowsOf(k, s.rows);
            long wantCols = widthOf(k, s.width);
            o.rows = (int) Math.max(-1, Math.min(Integer.MAX_VALUE, wantRows));
            o.cols = (int) Math.max(-1, Math.min(Integer.MAX_VALUE, wantCols));
            if (c.chance(5)) o.rows += c.pick(-1, 1);
            if (c.chance(5)) o.cols += c.pick(-1, 1);
            if (s.output() && i > 0 && c.chance(12)) {
                // An output over an input's storage: the same region, or shifted, or restrided.
                int from = c.between(0, i - 1);
                Operand src = k.operands.get(from);
                if (!src.matrix() && src.kind == o.kind && !src.nul && Allocation.guarded(src.kind, src.type)) {
                    o.aliasOf = from;
                    o.kind = src.kind;
                    o.type = src.type;
                }
            }
            o.stride = stride(Math.max(o.cols, 0), c);
            if (o.aliasOf >= 0) {
                Operand src = k.operands.get(o.aliasOf);
                o.offset = c.chance(50) ? src.offset : src.offset + c.between(-2, 3);
                if (c.chance(60)) o.stride = src.stride;
                o.variant = Allocation.Variant.NORMAL;
            } else {
                o.offset = offset(c);
                variant(o, c);
                // Half storage is made through its test adapter, which has no unusable variants.
                if (o.type.isHalf()) o.variant = Allocation.Variant.NORMAL;
            }
            if (o.matrix()) {
                if (o.cols > MAX_STORAGE) return retry(entry, kind, type, c);
                o.offset = 0;
                o.mRows = Math.max(o.rows, 0);
                o.mCols = Math.max(o.cols, 0);
                o.mStride = o.mCols + (c.chance(70) ? 0 : c.between(1, 3));
                o.rows = o.mRows;
                o.cols = o.mCols;
                o.stride = o.mStride;
                o.capacity = o.mRows * o.mStride;
                if ((long) o.mRows * o.mStride > MAX_STORAGE) return retry(entry, kind, type, c);
            } else if (o.aliasOf < 0) {
                long need = o.offset + BoundaryCase.span(o.rows, o.cols, o.stride);
                o.capacity = capacity(need, c);
                boolean positioned = o.kind != TestStorage.ARRAY;
                o.position = positioned ? c.between(0, 3) : 0;
                o.extra = positioned ? c.between(0, 2) : 0;
            } else {
                o.capacity = k.operands.get(o.aliasOf).capacity;
            }
            if (o.aliasOf < 0) o.values = s.mask() ? flags(o.capacity, c) : values(o.capacity, specialPercent, scale, c);
            in[i] = true;
            k.operands.add(o);
        }
        if (k.fromOutput && c.chance(50)) plausible(k);
        if (entry.head()) {
            k.modelW = new Operand();
            k.modelW.spec = new Spec("weights", false, W.N, R.K, false, false);
            k.modelB = new Operand();
            k.modelB.spec = new Spec("bias", false, W.K, R.ONE, false, false);
            ElementType wt = c.chance(50) ? type : (type == ElementType.FLOAT32 ? ElementType.FLOAT64 : ElementType.FLOAT32);
            for (Operand o : new Operand[] {k.modelW, k.modelB}) {
                o.kind = kind == TestStorage.MATRIX ? TestStorage.ARRAY : kind;
                o.type = wt;
                o.rows = (int) rowsOf(k, o.spec.rows());
                o.cols = Math.max(0, (int) widthOf(k, o.spec.width()));
                o.stride = o.cols;
                o.capacity = Math.max(0, o.rows) * o.cols;
                if (o.capacity > MAX_STORAGE) return retry(entry, kind, type, c);
                o.values = values(o.capacity, c.chance(90) ? 0 : 5, 0.5, c);
            }
            if (c.chance(3)) k.modelB.cols += 1;
            if (c.chance(3)) k.modelB.type = k.modelB.type == ElementType.FLOAT32 ? ElementType.FLOAT64 : ElementType.FLOAT32;
            k.modelB.stride = k.modelB.cols;
            k.modelB.capacity = k.modelB.cols;
            k.modelB.values = values(k.modelB.capacity, 0, 0.5, c);
            if (entry == Entry.PREDICT || entry == Entry.LOSS || entry == Entry.GRADIENT) {
                int want = Math.max(k.rows, 0);
                k.labelsOffset = entry == Entry.PREDICT ? c.between(0, 2) : 0;
                k.labels = new int[Math.max(0, want + k.labelsOffset + (c.chance(5) ? -1 : c.between(0, 2)))];
                for (int i = 0; i < k.labels.length; i++) {
                    k.labels[i] = c.chance(3) ? c.pick(-1, k.k) : c.between(0, Math.max(k.k - 1, 0));
                }
                k.nullLabels = c.chance(2);
            }
        }
        return k;
    }

    /**
     * A derivative from the forward pass's output: make the first operand's rows what a forward
     * pass gives (softmax rows; log-softmax rows for the log-softmax VJP), so that the numeric
     * oracle applies ({@link NativeTolerance}); the other half of such cases keeps arbitrary
     * values, for the structural checks.
     */
    private static void plausible(OperationCase k) {
        Operand o = k.operands.get(0);
        if (o.nul || o.aliasOf >= 0 || o.rows < 0 || o.cols < 1 || o.stride < o.cols || o.offset < 0) return;
        if (o.offset + BoundaryCase.span(o.rows, o.cols, o.stride) > o.values.length) return;
        boolean log = k.entry == Entry.LOG_SOFTMAX_VJP;
        double[] row = new double[o.cols];
        for (int r = 0; r < o.rows; r++) {
            int at = (int) (o.offset + (long) r * o.stride);
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < o.cols; j++) {
                double v = o.values[at + j];
                row[j] = Double.isFinite(v) ? Math.max(-100, Math.min(100, v)) : 0;
                m = Math.max(m, row[j]);
            }
            double sum = 0;
            for (int j = 0; j < o.cols; j++) sum += Math.exp(row[j] - m);
            for (int j = 0; j < o.cols; j++) {
                o.values[at + j] = log ? row[j] - m - Math.log(sum) : Math.exp(row[j] - m) / sum;
            }
        }
    }

    /** A deep copy: the same decisions, operands copied (for the reference run). */
    static OperationCase copyOf(OperationCase c) {
        OperationCase d = new OperationCase(c.entry, c.kind, c.type);
        for (Operand o : c.operands) d.operands.add(copy(o));
        d.fromOutput = c.fromOutput;
        d.rows = c.rows;
        d.n = c.n;
        d.k = c.k;
        d.noScale = c.noScale;
        d.alpha = c.alpha;
        d.scaleValue = c.scaleValue;
        d.gauge = c.gauge;
        d.pin = c.pin;
        d.gaugeLse = c.gaugeLse;
        d.nullGauge = c.nullGauge;
        d.weights = c.weights == null ? null : c.weights.clone();
        d.nullWeights = c.nullWeights;
        d.modelW = c.modelW == null ? null : copy(c.modelW);
        d.modelB = c.modelB == null ? null : copy(c.modelB);
        d.labels = c.labels == null ? null : c.labels.clone();
        d.nullLabels = c.nullLabels;
        d.labelsOffset = c.labelsOffset;
        return d;
    }

    private static Operand copy(Operand o) {
        Operand p = new Operand();
        p.spec = o.spec;
        p.kind = o.kind;
        p.type = o.type;
        p.variant = o.variant;
        p.nul = o.nul;
        p.aliasOf = o.aliasOf;
        p.offset = o.offset;
        p.rows = o.rows;
        p.cols = o.cols;
        p.stride = o.stride;
        p.capacity = o.capacity;
        p.position = o.position;
        p.extra = o.extra;
        p.values = o.values == null ? null : o.values.clone();
        p.mRows = o.mRows;
        p.mCols = o.mCols;
        p.mStride = o.mStride;
        return p;
    }

    /** A case that would allocate too much: draw again (the fuzzer's data moves on). */
    private static OperationCase retry(Entry entry, TestStorage kind, ElementType type, Choices c) {
        return draw(entry, kind, type, c);
    }

    private static void variant(Operand o, Choices c) {
        boolean buffer = o.kind == TestStorage.HEAP_BUFFER || o.kind == TestStorage.DIRECT_BUFFER;
        if (buffer && c.chance(4)) o.variant = Allocation.Variant.READ_ONLY;
        if (o.kind == TestStorage.DIRECT_BUFFER && o.type != ElementType.BOOL && c.chance(3)) {
            o.variant = Allocation.Variant.FOREIGN_ORDER;
        }
        boolean freeable = o.kind == TestStorage.MATRIX || o.kind == TestStorage.POINTER;
        if (freeable && c.chance(4)) o.variant = c.chance(50) ? Allocation.Variant.CLOSED_BEFORE : Allocation.Variant.CLOSED_AFTER;
    }

    static long rowsOf(OperationCase k, R r) {
        return switch (r) {
            case ROWS -> k.rows;
            case K -> k.k;
            case ONE -> 1;
        };
    }

    static long widthOf(OperationCase k, W w) {
        long n = k.n;
        long kk = k.k;
        return switch (w) {
            case N -> n;
            case ONE -> 1;
            case NN -> n * n;
            case NK, KN -> n * kk;
            case K -> kk;
        };
    }

    private static int stride(int cols, Choices c) {
        int k = c.between(0, 99);
        if (k < 85) return (int) Math.min(Integer.MAX_VALUE, (long) cols + c.between(0, 3));
        if (k < 93) return cols - c.between(1, 2);
        return c.pick(Integer.MAX_VALUE, 1 << 20, -1);
    }

    private static long offset(Choices c) {
        int k = c.between(0, 99);
        if (k < 90) return c.between(0, 4);
        if (k < 95) return c.pick(-1, Integer.MIN_VALUE);
        return c.pick(Integer.MAX_VALUE, 1 << 20);
    }

    private static int capacity(long need, Choices c) {
        // A region larger than any case allocates (a huge stride or offset) is out of bounds
        // whatever the capacity: a small one tests that as well, without filling 2^17 values.
        if (need > MAX_STORAGE) return c.between(0, 64);
        long cap = need + c.between(-2, 3);
        if (c.chance(4)) cap = c.between(0, 8);
        return (int) Math.max(0, Math.min(cap, MAX_STORAGE));
    }

    private static double[] flags(int count, Choices c) {
        double[] f = new double[count];
        int keep = c.pick(0, 30, 70, 100);
        for (int i = 0; i < count; i++) f[i] = c.between(1, 100) <= keep ? 1 : 0;
        return f;
    }

    /** Data: a density of special values, then ordinary values at one scale, with near-ties. */
    static double[] values(int count, int specialPercent, double scale, Choices c) {
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            int k = c.between(0, 99);
            if (k < specialPercent) {
                v[i] = c.pick(BoundaryCase.SPECIALS);
            } else if (k >= 94 && i > 0) {
                v[i] = Math.nextUp(v[i - 1]);
            } else {
                v[i] = c.ordinary() * scale;
            }
        }
        return v;
    }

    /** True if every value of the data operands is finite and moderate: the numeric oracle applies. */
    boolean ordinary() {
        for (Operand o : allOperands()) {
            if (o.spec.mask() || o.values == null) continue;
            // The values a valid call reads: its rows (what lies around them is never read).
            boolean laidOut = o.rows >= 0 && o.cols >= 0 && o.stride >= o.cols && o.offset >= 0
                    && o.offset + BoundaryCase.span(o.rows, o.cols, o.stride) <= o.values.length;
            if (!laidOut) {
                for (double v : o.values) if (!(Math.abs(v) <= 100)) return false;
                continue;
            }
            for (int r = 0; r < o.rows; r++) {
                for (int j = 0; j < o.cols; j++) {
                    if (!(Math.abs(o.values[(int) (o.offset + (long) r * o.stride + j)]) <= 100)) return false;
                }
            }
        }
        if (!noScale) {
            double a = alpha ? scaleValue : 1 / scaleValue;
            if (!(Math.abs(a) <= 10)) return false;
        }
        return true;
    }

    /** The inverse temperature of a valid scale. */
    double alphaValue() {
        return noScale ? 1 : alpha ? scaleValue : 1 / scaleValue;
    }

    /**
     * The exceptions this call may throw, from the documented rules alone: empty if the call is
     * valid. More than one when several rules are broken, since the order of the checks is not
     * part of the contract.
     */
    Set<Class<? extends RuntimeException>> violations() {
        Set<Class<? extends RuntimeException>> v = new LinkedHashSet<>();
        // Each batch as it is made.
        for (Operand o : allOperands()) {
            if (o.nul) {
                v.add(NullPointerException.class);
                continue;
            }
            layoutViolations(o, v);
        }
        if (!noScale) {
            if (alpha ? Double.isNaN(scaleValue) : !(scaleValue > 0 && scaleValue < Double.POSITIVE_INFINITY)) {
                v.add(IllegalArgumentException.class);
            }
        }
        if (entry == Entry.JACOBIAN_TIMES && k < 0) v.add(IllegalArgumentException.class);
        if (entry == Entry.COMBINE) {
            if (nullWeights) v.add(NullPointerException.class);
            else for (double w : weights) if (!Double.isFinite(w)) v.add(IllegalArgumentException.class);
        }
        if (entry == Entry.INVERSE) {
            if (nullGauge) v.add(NullPointerException.class);
            Operand p = operands.get(0);
            if (gauge == 1 && !p.nul && p.cols > 0 && pin >= p.cols) v.add(IllegalArgumentException.class);
            if (!noScale && !v.contains(IllegalArgumentException.class)) {
                double a = alphaValue();
                if (a == 0 || (dataType() == ElementType.FLOAT32 && (float) a == 0)) v.add(IllegalArgumentException.class);
            }
        }
        if (entry.head()) headViolations(v);
        // The call: shapes, types, writability, overlap. (Which rule fires first is not part of
        // the contract, so a broken layout above does not hide these.) The call's sizes come
        // from its operands, as the API takes them: rows and n from the first input (n from the
        // output for a product), k from the op's parameter, the head's from its model.
        long[] size = callSizes();
        ElementType data = null;
        for (Operand o : operands) {
            if (o.nul || size == null) continue;
            long wantRows = rowsOf(o.spec.rows(), size);
            long wantCols = widthOf(o.spec.width(), size);
            if (o.rows != wantRows || o.cols != wantCols) v.add(IllegalArgumentException.class);
        }
        for (Operand o : operands) {
            if (o.nul) continue;
            if (o.spec.mask()) {
                if (o.type != ElementType.BOOL) v.add(IllegalArgumentException.class);
            } else if (data == null) {
                data = o.type;
            } else if (o.type != data && !(data.isHalf() && o.spec.output() && o.type == ElementType.FLOAT32)) {
                // Every data operand holds the first one's type; a half input's output may be float32.
                v.add(IllegalArgumentException.class);
            }
            // An output over an input's storage is as writable as that storage.
            Allocation.Variant var = o.aliasOf >= 0 ? operands.get(o.aliasOf).variant : o.variant;
            if (o.spec.output() && var == Allocation.Variant.READ_ONLY) v.add(IllegalArgumentException.class);
        }
        // Half data only for the operations that take it (the head's x included).
        if (data != null && data.isHalf() && !entry.takesHalf()) v.add(IllegalArgumentException.class);
        for (Operand o : operands) {
            if (o.aliasOf < 0 || o.nul) continue;
            Operand src = operands.get(o.aliasOf);
            if (overlapsBadly(o, src)) v.add(IllegalArgumentException.class);
        }
        return v;
    }

    /**
     * (rows, n, k) of the call as the API derives them from its operands; null if an operand
     * they come from is missing (the call then throws NullPointerException).
     */
    long[] callSizes() {
        Operand first = operands.get(0);
        if (first.nul) return null;
        if (entry.head()) return new long[] {first.rows, modelW.cols, modelW.rows};
        if (entry == Entry.COMBINE) {
            Operand out = operands.get(operands.size() - 1);
            if (out.nul || nullWeights) return null;
            return new long[] {first.rows, out.cols, weights.length};
        }
        return new long[] {first.rows, first.cols, k};
    }

    static long rowsOf(R r, long[] size) {
        return switch (r) {
            case ROWS -> size[0];
            case K -> size[2];
            case ONE -> 1;
        };
    }

    static long widthOf(W w, long[] size) {
        long n = size[1];
        long kk = size[2];
        return switch (w) {
            case N -> n;
            case ONE -> 1;
            case NN -> n * n;
            case NK, KN -> n * kk;
            case K -> kk;
        };
    }

    /** Inputs and outputs, then the model's weights and bias. */
    List<Operand> allOperands() {
        List<Operand> all = new ArrayList<>(operands);
        if (modelW != null) {
            all.add(modelW);
            all.add(modelB);
        }
        return all;
    }

    private ElementType dataType() {
        for (Operand o : operands) if (!o.spec.mask()) return o.type;
        return type;
    }

    private void layoutViolations(Operand o, Set<Class<? extends RuntimeException>> v) {
        Allocation.Variant var = o.aliasOf >= 0 ? operands.get(o.aliasOf).variant : o.variant;
        if (var == Allocation.Variant.CLOSED_BEFORE) {
            v.add(o.kind == TestStorage.POINTER ? NullPointerException.class : IllegalStateException.class);
            return;
        }
        if (var == Allocation.Variant.CLOSED_AFTER) {
            v.add(o.kind == TestStorage.POINTER ? NullPointerException.class : IllegalStateException.class);
        }
        if (var == Allocation.Variant.READ_ONLY && o.kind == TestStorage.HEAP_BUFFER) {
            v.add(IllegalArgumentException.class);
            return;
        }
        if (var == Allocation.Variant.FOREIGN_ORDER && o.type != ElementType.BOOL) {
            v.add(IllegalArgumentException.class);
            return;
        }
        if (o.matrix()) return;
        if (o.rows < 0 || o.cols < 0 || o.stride < o.cols) {
            v.add(IllegalArgumentException.class);
            return;
        }
        long span = BoundaryCase.span(o.rows, o.cols, o.stride);
        if (o.offset < 0 || o.offset > o.capacity || span > o.capacity - o.offset) v.add(IndexOutOfBoundsException.class);
    }

    private void headViolations(Set<Class<? extends RuntimeException>> v) {
        // The model, as SoftmaxClassifier.of checks it: classes >= 1, a 1 × k bias of W's type,
        // finite values.
        if (k < 1) v.add(IllegalArgumentException.class);
        if (modelB.rows != 1 || modelB.cols != k || modelB.type != modelW.type) v.add(IllegalArgumentException.class);
        if (modelW.type.isHalf()) v.add(IllegalArgumentException.class);
        for (Operand o : new Operand[] {modelW, modelB}) {
            for (double x : o.values) {
                double stored = TestSupport.stored(o.type, x);
                if (!Double.isFinite(stored)) v.add(IllegalArgumentException.class);
            }
        }
        if (entry == Entry.PREDICT || entry == Entry.LOSS || entry == Entry.GRADIENT) {
            if (nullLabels) {
                v.add(NullPointerException.class);
            } else {
                int xr = Math.max(operands.get(0).rows, 0);
                if (labels.length - labelsOffset < xr) {
                    v.add(IndexOutOfBoundsException.class);
                } else if (entry != Entry.PREDICT) {
                    for (int r = 0; r < xr; r++) {
                        if (labels[r] < 0 || labels[r] >= k) v.add(IllegalArgumentException.class);
                    }
                }
            }
        }
    }

    /**
     * An output sharing an input's storage intersects it other than as an in-place call (the
     * same start, stride and width, where the operation allows it); empty regions overlap nothing.
     */
    boolean overlapsBadly(Operand out, Operand in) {
        long outSpan = BoundaryCase.span(out.rows, out.cols, out.stride);
        long inSpan = BoundaryCase.span(in.rows, in.cols, in.stride);
        if (outSpan == 0 || inSpan == 0) return false;
        long a = out.offset, b = in.offset;
        if (a + outSpan <= b || b + inSpan <= a) return false;
        return !(in.spec.inPlace() && a == b && out.stride == in.stride && out.cols == in.cols);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(entry).append(' ').append(kind).append(' ').append(type).append(fromOutput ? " fromOutput" : "")
                .append(" rows=").append(rows).append(" n=").append(n).append(" k=").append(k)
                .append(noScale ? " noScale" : alpha ? " alpha=" + scaleValue : " tau=" + scaleValue);
        for (Operand o : allOperands()) {
            sb.append(" | ").append(o.spec.name()).append(':').append(o.kind).append('/').append(o.type);
            if (o.nul) {
                sb.append(" null");
                continue;
            }
            if (o.aliasOf >= 0) sb.append(" alias").append(o.aliasOf);
            if (o.variant != Allocation.Variant.NORMAL) sb.append(' ').append(o.variant);
            sb.append(" off=").append(o.offset).append(' ').append(o.rows).append('x').append(o.cols).append(" ld=")
                    .append(o.stride).append(" cap=").append(o.capacity).append(" pos=").append(o.position);
        }
        if (weights != null) sb.append(" weights=").append(java.util.Arrays.toString(weights));
        if (nullWeights) sb.append(" nullWeights");
        if (entry == Entry.INVERSE) sb.append(" gauge=").append(gauge).append(" pin=").append(pin).append(nullGauge ? " null" : "");
        if (labels != null) sb.append(" labels=").append(nullLabels ? "null" : java.util.Arrays.toString(labels));
        return sb.toString();
    }
}
