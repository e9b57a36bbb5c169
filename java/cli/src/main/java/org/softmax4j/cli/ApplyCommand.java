package org.softmax4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.softmax4j.Attention;
import org.softmax4j.AttentionMask;
import org.softmax4j.Batch;
import org.softmax4j.ElementType;
import org.softmax4j.Gauge;
import org.softmax4j.Scale;
import org.softmax4j.Softmax;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.softmax4j.internal.Outputs;
import org.softmax4j.io.Npy;

/**
 * {@code apply}: one operation over the last axis of 1-D or 2-D float32/float64 .npy files (rows
 * along axis 0). Every input of a call shares the first input's dtype, and so does the output.
 * Half precision: a float16 .npy, or with {@code --storage bfloat16} a uint16 .npy of bfloat16
 * bit patterns, for the operations the library takes half data for; the output is the same
 * (or float32 with {@code --out-dtype float32}). Nothing is written unless the whole
 * computation succeeded.
 *
 * <p>Each operation is one call of the library's {@link Batch} API, so the CLI has no
 * mathematics of its own.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
        customSynopsis = {
            "softmax4j apply --op OP --in X.npy --out Y.npy",
            "         [--temperature T | --alpha A] [--backend native|java] [--threads N]",
            "         [--tangent V.npy | --cotangent G.npy | --mask M.npy]",
            "         [--gauge mean|pin:K] [--in X2.npy ... --weights W,W,...]",
            "         [--scale C] [--causal-offset K] [--window W] [--bias B.npy]",
            "         [--storage bfloat16|float16] [--out-dtype float32]"},
        description = {"Apply an operation to .npy files (rows along axis 0, the operation along the last axis).",
                "Ops: softmax, log-softmax, logsumexp, jacobian, jvp (--tangent), vjp (--cotangent), "
                        + "log-softmax-vjp (--cotangent), inverse (--gauge), masked-softmax (--mask), "
                        + "combine (several --in, --weights), sigmoid, attention-softmax (--scale, --causal-offset, "
                        + "--window, --bias: softmax(C X + B) over the columns each row sees, exactly 0 elsewhere).",
                "Half precision (softmax, log-softmax, logsumexp, masked-softmax, attention-softmax): a float16 .npy, "
                        + "or bfloat16 bit patterns in a uint16 .npy with --storage bfloat16; computed in float32, "
                        + "written in the same type, or float32 with --out-dtype float32."})
final class ApplyCommand implements Callable<Integer> {

    enum Op {
        softmax, log_softmax, logsumexp, jacobian, jvp, vjp, log_softmax_vjp, inverse, masked_softmax,
        combine, sigmoid, attention_softmax;

        static Op parse(String s) {
            for (Op o : values()) {
                if (o.name().replace('_', '-').equals(s) || o.name().equals(s)) return o;
            }
            if (s.equals("log-sum-exp")) return logsumexp;
            throw new IllegalArgumentException("--op must be one of softmax, log-softmax, logsumexp, jacobian, "
                    + "jvp, vjp, log-softmax-vjp, inverse, masked-softmax, combine, sigmoid, attention-softmax; got '" + s + "'");
        }
    }

    @Option(names = "--op", required = true, paramLabel = "OP", description = "The operation (see above).")
    String op;

    @Option(names = "--in", required = true, paramLabel = "X.npy",
            description = "Input: 1-D or 2-D, float32 or float64, C order. Repeat for combine.")
    List<Path> in;

    @Option(names = "--out", required = true, paramLabel = "Y.npy", description = "Output file (replaced only on success).")
    Path out;

    @Option(names = "--temperature", paramLabel = "T", description = "Temperature τ > 0 (default 1).")
    Double temperature;

    @Option(names = "--alpha", paramLabel = "A",
            description = "Inverse temperature α, any real (α < 0 softmin, α = 0 uniform); instead of --temperature.")
    Double alpha;

    @Option(names = "--tangent", paramLabel = "V.npy", description = "jvp: the tangents, shaped like X.")
    Path tangent;

    @Option(names = "--cotangent", paramLabel = "G.npy", description = "vjp, log-softmax-vjp: the upstream gradient, shaped like X.")
    Path cotangent;

    @Option(names = "--mask", paramLabel = "M.npy", description = "masked-softmax: bool, shaped like X; true keeps an entry.")
    Path mask;

    @Option(names = "--gauge", paramLabel = "mean|pin:K", description = "inverse: zero-mean logits, or x_K = 0 (default mean).")
    String gauge = "mean";

    @Option(names = "--weights", paramLabel = "W", split = ",",
            description = "combine: one exponent per --in (default all 1).")
    double[] weights;

    @Option(names = "--scale", paramLabel = "C", description = "attention-softmax: the scale of the scores, finite (default 1).")
    Double attentionScale;

    @Option(names = "--causal-offset", paramLabel = "K",
            description = "attention-softmax: causal, row i sees columns j <= i + K (K: positions already cached).")
    Integer causalOffset;

    @Option(names = "--window", paramLabel = "W", description = "attention-softmax: also only j > i + K - W (needs --causal-offset).")
    Integer window;

    @Option(names = "--bias", paramLabel = "B.npy",
            description = "attention-softmax: additive bias, shaped like X, or one row (n,) added to every row.")
    Path bias;

    @Option(names = "--storage", paramLabel = "bfloat16|float16",
            description = "What a 16-bit input holds: bfloat16 reads a uint16 .npy as bfloat16 bit patterns "
                    + "(NumPy has no bfloat16 dtype); float16 is what a float16 .npy holds (the default for one).")
    String storage;

    @Option(names = "--out-dtype", paramLabel = "float32",
            description = "A half-precision input's output: float32 instead of the input's type.")
    String outDtype;

    @Mixin
    BackendOptions backend = new BackendOptions();

    @Override
    public Integer call() throws IOException {
        Op operation = Op.parse(op);
        Scale scale = scale();
        List<Path> inputs = new ArrayList<>(in);
        if (operation != Op.combine && inputs.size() != 1) {
            throw new IllegalArgumentException("--in is given " + inputs.size() + " times; only combine takes several");
        }
        if (operation != Op.attention_softmax && (attentionScale != null || causalOffset != null || window != null
                || bias != null)) {
            throw new IllegalArgumentException("--scale, --causal-offset, --window and --bias are for attention-softmax");
        }
        java.util.stream.Stream.of(tangent, cotangent, mask, bias).filter(java.util.Objects::nonNull).forEach(inputs::add);
        Outputs.check("--out", out, inputs.toArray(Path[]::new));
        Softmax s = backend.softmax();
        Npy.Array x = Npy.read(in.get(0));
        Operands o = new Operands(x, in.get(0).toString(), storage, outDtype);
        Npy.Array y = switch (operation) {
            case softmax -> o.run(o.shape, o.n, (bx, by) -> s.softmax(bx, by, scale));
            case log_softmax -> o.run(o.shape, o.n, (bx, by) -> s.logSoftmax(bx, by, scale));
            case logsumexp -> o.run(o.perRow(), 1, (bx, by) -> s.logSumExp(bx, by, scale));
            case sigmoid -> o.run(o.shape, o.n, (bx, by) -> s.sigmoid(bx, by, scale));
            case jacobian -> o.run(o.jacobianShape(), o.n * o.n, (bx, by) ->
                    s.jacobian(Softmax.From.LOGITS, bx, by, scale));
            case jvp -> {
                Batch v = o.like(require(tangent, "--tangent", operation), "--tangent");
                yield o.run(o.shape, o.n, (bx, by) -> s.softmaxJvp(Softmax.From.LOGITS, bx, v, by, scale));
            }
            case vjp -> {
                Batch g = o.like(require(cotangent, "--cotangent", operation), "--cotangent");
                yield o.run(o.shape, o.n, (bx, by) -> s.softmaxVjp(Softmax.From.LOGITS, bx, g, by, scale));
            }
            case log_softmax_vjp -> {
                Batch g = o.like(require(cotangent, "--cotangent", operation), "--cotangent");
                yield o.run(o.shape, o.n, (bx, by) -> s.logSoftmaxVjp(Softmax.From.LOGITS, bx, g, by, scale));
            }
            case inverse -> {
                Gauge gg = gauge(gauge);
                yield o.run(o.shape, o.n, (bx, by) -> s.inverse(bx, by, gg, scale));
            }
            case masked_softmax -> {
                Batch m = o.mask(require(mask, "--mask", operation));
                yield o.run(o.shape, o.n, (bx, by) -> s.maskedSoftmax(bx, m, by, scale));
            }
            case combine -> combine(s, o, x);
            case attention_softmax -> {
                if (temperature != null || alpha != null) {
                    throw new IllegalArgumentException("attention-softmax takes --scale, not --temperature or --alpha");
                }
                AttentionMask m = attentionMask();
                double c = attentionScale == null ? 1 : attentionScale;
                Batch b = bias == null ? null : o.bias(bias);
                Attention attention = Attention.on(s);
                yield o.run(o.shape, o.n, (bx, by) -> attention.softmax(bx, b, by, c, m));
            }
        };
        Npy.write(out, y);
        return 0;
    }

    private Scale scale() {
        if (temperature != null && alpha != null) {
            throw new IllegalArgumentException("--temperature and --alpha are exclusive (α = 1/τ)");
        }
        if (alpha != null) return Scale.alpha(alpha);
        return temperature != null ? Scale.temperature(temperature) : Scale.ONE;
    }

    private AttentionMask attentionMask() {
        if (causalOffset == null) {
            if (window != null) throw new IllegalArgumentException("--window needs --causal-offset");
            return AttentionMask.NONE;
        }
        AttentionMask m = AttentionMask.causal(causalOffset);
        return window == null ? m : m.window(window);
    }

    private static Path require(Path p, String option, Op op) {
        if (p == null) throw new IllegalArgumentException(op.name().replace('_', '-') + " needs " + option);
        return p;
    }

    static Gauge gauge(String g) {
        if (g.equals("mean")) return Gauge.zeroMean();
        if (g.startsWith("pin:")) {
            try {
                return Gauge.pinned(Integer.parseInt(g.substring(4)));
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
        }
        throw new IllegalArgumentException("--gauge must be mean or pin:K, got '" + g + "'");
    }

    /** combine: the factors of each row side by side (row r: P1 row r, P2 row r, ...). */
    private Npy.Array combine(Softmax s, Operands o, Npy.Array first) throws IOException {
        if (o.half != null) throw new IllegalArgumentException("combine takes float32 or float64 inputs, got " + o.half);
        int k = in.size();
        double[] w = weights != null ? weights : java.util.stream.DoubleStream.generate(() -> 1).limit(k).toArray();
        if (w.length != k) {
            throw new IllegalArgumentException("--weights has " + w.length + " values for " + k + " inputs");
        }
        List<Npy.Array> factors = new ArrayList<>();
        factors.add(first);
        for (int i = 1; i < k; i++) factors.add(o.check(Npy.read(in.get(i)), in.get(i).toString()));
        int rows = o.rows, n = o.n;
        Batch p;
        if (o.f32) {
            float[] all = new float[rows * k * n];
            for (int i = 0; i < k; i++) {
                float[] f = (float[]) factors.get(i).data();
                for (int r = 0; r < rows; r++) System.arraycopy(f, r * n, all, (r * k + i) * n, n);
            }
            p = Batch.of(all, rows, k * n);
        } else {
            double[] all = new double[rows * k * n];
            for (int i = 0; i < k; i++) {
                double[] f = (double[]) factors.get(i).data();
                for (int r = 0; r < rows; r++) System.arraycopy(f, r * n, all, (r * k + i) * n, n);
            }
            p = Batch.of(all, rows, k * n);
        }
        Batch wb = Batch.of(w, 1, k);
        return o.run(o.shape, n, (bx, by) -> s.combine(p, wb, by));
    }

    /** X's shape, dtype and data, and the arrays made to match it. */
    static final class Operands {
        final Npy.Array x;
        final String name;
        final boolean f32;
        /** The half type of a 16-bit input (null for float32 and float64). */
        final ElementType half;
        /** A half input's output in float32 rather than its own type. */
        final boolean float32Out;
        final int[] shape;
        final int rows;
        final int n;

        interface Call {
            void run(Batch x, Batch y);
        }

        /** float32 or float64 only (the commands other than apply). */
        Operands(Npy.Array x, String name) {
            this(requireFloatRows(x, name), name, null, null);
        }

        private static Npy.Array requireFloatRows(Npy.Array x, String name) {
            NpyInputs.requireFloatRows(x, name);
            return x;
        }

        Operands(Npy.Array x, String name, String storage, String outDtype) {
            this.half = halfType(x, name, storage);
            if (half == null) NpyInputs.requireFloatRows(x, name);
            if (x.ndim() != 1 && x.ndim() != 2) {
                throw new IllegalArgumentException(name + ": expected a 1-D or 2-D array, got shape " + x.shapeString());
            }
            if (outDtype != null && (half == null || !outDtype.equals("float32"))) {
                throw new IllegalArgumentException("--out-dtype float32 is for a float16 or bfloat16 input"
                        + (outDtype.equals("float32") ? "" : ", got '" + outDtype + "'"));
            }
            this.float32Out = outDtype != null;
            this.x = x;
            this.name = name;
            this.f32 = x.dtype() == Npy.DType.FLOAT32;
            this.shape = x.shape();
            this.rows = x.ndim() == 1 ? 1 : shape[0];
            this.n = shape[x.ndim() - 1];
        }

        /**
         * The half type a 16-bit input holds: float16 for a float16 .npy, bfloat16 (or float16)
         * for a uint16 one as --storage says; null for other dtypes, which take no --storage.
         */
        static ElementType halfType(Npy.Array x, String name, String storage) {
            ElementType named = null;
            if (storage != null) {
                named = switch (storage) {
                    case "bfloat16" -> ElementType.BFLOAT16;
                    case "float16" -> ElementType.FLOAT16;
                    default -> throw new IllegalArgumentException("--storage must be bfloat16 or float16, got '" + storage + "'");
                };
            }
            return switch (x.dtype()) {
                case FLOAT16 -> {
                    if (named == ElementType.BFLOAT16) {
                        throw new IllegalArgumentException(name + ": a float16 .npy holds float16, not bfloat16 "
                                + "(bfloat16 bit patterns go in a uint16 .npy)");
                    }
                    yield ElementType.FLOAT16;
                }
                case UINT16 -> {
                    if (named == null) {
                        throw new IllegalArgumentException(name + ": a uint16 .npy needs --storage bfloat16 (or float16) "
                                + "to say what its bit patterns are");
                    }
                    yield named;
                }
                default -> {
                    if (named != null) {
                        throw new IllegalArgumentException("--storage is for 16-bit inputs (float16, or uint16 bit "
                                + "patterns); " + name + " is " + x.dtype().numpyName());
                    }
                    yield null;
                }
            };
        }

        int[] perRow() {
            return x.ndim() == 1 ? new int[0] : new int[] {rows};
        }

        int[] jacobianShape() {
            return x.ndim() == 1 ? new int[] {n, n} : new int[] {rows, n, n};
        }

        /** Another input: same dtype and shape as X. */
        Npy.Array check(Npy.Array a, String what) {
            if (a.dtype() != x.dtype()) {
                throw new IllegalArgumentException(what + ": dtype " + a.dtype().numpyName() + " differs from "
                        + name + "'s " + x.dtype().numpyName() + " (all inputs share X's dtype)");
            }
            if (!java.util.Arrays.equals(a.shape(), shape)) {
                throw new IllegalArgumentException(what + ": shape " + a.shapeString() + " differs from " + name
                        + "'s " + x.shapeString());
            }
            return a;
        }

        Batch like(Path p, String what) throws IOException {
            return batch(check(Npy.read(p), what + " " + p).data());
        }

        /** An attention bias: X's dtype, shaped like X or one row (n,) broadcast to every row. */
        Batch bias(Path p) throws IOException {
            Npy.Array b = Npy.read(p);
            if (b.dtype() != x.dtype()) {
                throw new IllegalArgumentException("--bias " + p + ": dtype " + b.dtype().numpyName() + " differs from "
                        + name + "'s " + x.dtype().numpyName() + " (all inputs share X's dtype)");
            }
            boolean row = b.ndim() == 1 && b.shape()[0] == n;
            if (!row && !java.util.Arrays.equals(b.shape(), shape)) {
                throw new IllegalArgumentException("--bias " + p + ": shape " + b.shapeString() + ", expected "
                        + x.shapeString() + " or (" + n + ",)");
            }
            int r = row ? 1 : rows;
            if (b.data() instanceof short[] h) return Batch.of(h, half, r, n);
            return b.data() instanceof float[] f ? Batch.of(f, r, n) : Batch.of((double[]) b.data(), r, n);
        }

        Batch mask(Path p) throws IOException {
            Npy.Array m = Npy.read(p);
            if (m.dtype() != Npy.DType.BOOL) {
                throw new IllegalArgumentException("--mask " + p + ": dtype " + m.dtype().numpyName() + ", bool expected");
            }
            if (!java.util.Arrays.equals(m.shape(), shape)) {
                throw new IllegalArgumentException("--mask " + p + ": shape " + m.shapeString() + " differs from "
                        + name + "'s " + x.shapeString());
            }
            return Batch.of((boolean[]) m.data(), rows, n);
        }

        /**
         * Runs {@code call} from X into a new output of {@code outShape} and X's dtype, rows of
         * {@code outCols} elements.
         */
        Npy.Array run(int[] outShape, int outCols, Call call) {
            long size = 1;
            for (int d : outShape) size *= d;
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("the result would have " + size + " elements, more than an array holds");
            }
            if (half != null) {
                Batch bx = Batch.of((short[]) x.data(), half, rows, n);
                if (float32Out) {
                    float[] y = new float[(int) size];
                    call.run(bx, Batch.of(y, rows, outCols));
                    return Npy.Array.of(y, outShape);
                }
                short[] y = new short[(int) size];
                call.run(bx, Batch.of(y, half, rows, outCols));
                return Npy.Array.of(x.dtype(), y, outShape);
            }
            if (f32) {
                float[] y = new float[(int) size];
                call.run(Batch.of((float[]) x.data(), rows, n), Batch.of(y, rows, outCols));
                return Npy.Array.of(y, outShape);
            }
            double[] y = new double[(int) size];
            call.run(Batch.of((double[]) x.data(), rows, n), Batch.of(y, rows, outCols));
            return Npy.Array.of(y, outShape);
        }

        private Batch batch(Object data) {
            if (data instanceof short[] h) return Batch.of(h, half, rows, n);
            return data instanceof float[] f ? Batch.of(f, rows, n) : Batch.of((double[]) data, rows, n);
        }
    }
}
