package org.softmax4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.softmax4j.Batch;
import org.softmax4j.Sampler;
import org.softmax4j.Softmax;
import org.softmax4j.internal.Outputs;
import org.softmax4j.io.Npy;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sample}: one token per row of a 1-D or 2-D float32/float64 logits file, with the
 * library's {@link Sampler} (docs/sampling.md). Tokens are int64, shape {@code (rows,)} or
 * {@code ()} for one row; with {@code --logprobs N}, an {@code .npz} of the log-probabilities
 * under the raw log-softmax. Nothing is written unless everything succeeded.
 */
@Command(name = "sample", mixinStandardHelpOptions = true,
        customSynopsis = {
            "softmax4j sample --in LOGITS.npy --out TOKENS.npy [--seed S] [--step N]",
            "         [--temperature T] [--top-k K] [--top-p P] [--min-p M]",
            "         [--repetition-penalty R] [--presence-penalty A]",
            "         [--frequency-penalty F] [--history H.npy]",
            "         [--logprobs N --logprobs-out LP.npz]",
            "         [--backend native|java] [--threads N]"},
        description = {"Draw one token per row of logits: penalties -> logit bias -> temperature -> top-k -> "
                + "top-p -> min-p -> draw, with Philox random numbers keyed on (seed, row, step): the same tokens "
                + "on every backend and thread count. A row holding NaN or +inf, or all -inf, gives -1."})
final class SampleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--in", required = true, paramLabel = "LOGITS.npy", description = "Logits: 1-D or 2-D, float32 or float64.")
    Path in;

    @Option(names = "--out", required = true, paramLabel = "TOKENS.npy",
            description = "Tokens: int64, shape (rows,), or () for 1-D logits (replaced only on success).")
    Path out;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the random numbers (default 0, said on stderr).")
    Long seed;

    @Option(names = "--step", paramLabel = "N", description = "The step, in [0, 2^53): a new one per generated token (default 0).")
    long step;

    @Option(names = "--temperature", paramLabel = "T", description = "T >= 0; 0 is greedy (default 1).")
    double temperature = 1;

    @Option(names = "--top-k", paramLabel = "K", description = "Keep the K largest logits and their ties (default 0: off).")
    int topK;

    @Option(names = "--top-p", paramLabel = "P", description = "Nucleus sampling, P in (0, 1] (default 1: off).")
    double topP = 1;

    @Option(names = "--min-p", paramLabel = "M", description = "Keep tokens with p >= M p_max, M in [0, 1] (default 0: off).")
    double minP;

    @Option(names = "--repetition-penalty", paramLabel = "R", description = "R > 0 (default 1: off).")
    double repetition = 1;

    @Option(names = "--presence-penalty", paramLabel = "A", description = "A (default 0: off).")
    double presence;

    @Option(names = "--frequency-penalty", paramLabel = "F", description = "F (default 0: off).")
    double frequency;

    @Option(names = "--history", paramLabel = "H.npy",
            description = "The tokens so far, for the penalties: int32 or int64, (rows, h) (or (h,) for 1-D logits), padded with -1.")
    Path history;

    @Option(names = "--logprobs", paramLabel = "N", description = "Also the N most likely ids and log-probabilities (needs --logprobs-out).")
    Integer logprobs;

    @Option(names = "--logprobs-out", paramLabel = "LP.npz",
            description = "token_logprob (rows,), top_ids (rows, N), top_logprobs (rows, N), under the raw log-softmax.")
    Path logprobsOut;

    @Mixin
    BackendOptions backend = new BackendOptions();

    @Override
    public Integer call() throws IOException {
        if ((logprobs == null) != (logprobsOut == null)) {
            throw new IllegalArgumentException("--logprobs and --logprobs-out go together");
        }
        Outputs.check("--out", out, in, history);
        if (logprobsOut != null) {
            Outputs.check("--logprobs-out", logprobsOut, in, history);
            if (logprobsOut.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("--logprobs-out and --out name the same file");
            }
        }
        Softmax s = backend.softmax();
        Npy.Array x = Npy.read(in);
        NpyInputs.requireFloatRows(x, in.toString());
        boolean oneRow = x.ndim() == 1;
        int rows = oneRow ? 1 : x.shape()[0];
        int n = x.shape()[x.ndim() - 1];
        if (n == 0) throw new IllegalArgumentException(in + ": rows are empty (shape " + x.shapeString() + ")");
        if (logprobs != null && (logprobs < 1 || logprobs > n)) {
            throw new IllegalArgumentException("--logprobs must be in [1, " + n + "], got " + logprobs);
        }
        Sampler sampler = Sampler.builder(n).temperature(temperature).topK(topK).topP(topP).minP(minP)
                .repetitionPenalty(repetition).presencePenalty(presence).frequencyPenalty(frequency)
                .seed(seed == null ? 0 : seed).build().on(s);
        Batch logits = x.data() instanceof float[] f ? Batch.of(f, rows, n) : Batch.of((double[]) x.data(), rows, n);
        Batch hist = history == null ? null : history(rows, oneRow);
        int[] tokens = new int[rows];
        Batch tokenBatch = Batch.of(tokens, rows, 1);
        sampler.sample(logits, hist, step, tokenBatch);
        int[] perRow = oneRow ? new int[0] : new int[] {rows};
        Map<String, Npy.Array> lp = null;
        if (logprobs != null) {
            int k = logprobs;
            int[] ids = new int[rows * k];
            int[] topShape = oneRow ? new int[] {k} : new int[] {rows, k};
            lp = new LinkedHashMap<>();
            // The log-probabilities in the logits' own type: row r of `all` is the token's, then the top k.
            boolean f32 = x.dtype() == Npy.DType.FLOAT32;
            int w = k + 1;
            Object all = f32 ? new float[rows * w] : new double[rows * w];
            sampler.topLogprobs(logits, tokenBatch, Batch.of(ids, rows, k),
                    f32 ? Batch.of((float[]) all, rows, w) : Batch.of((double[]) all, rows, w));
            Object token = f32 ? new float[rows] : new double[rows];
            Object top = f32 ? new float[rows * k] : new double[rows * k];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(all, r * w, token, r, 1);
                System.arraycopy(all, r * w + 1, top, r * k, k);
            }
            lp.put("token_logprob", floats(token, perRow));
            lp.put("top_ids", Npy.Array.of(widen(ids), topShape));
            lp.put("top_logprobs", floats(top, topShape));
        }
        // Everything is computed (an error above is the only line on stderr): say the seed, write
        // the log-probabilities, then the tokens.
        if (seed == null) spec.commandLine().getErr().println("softmax4j sample: no --seed given, used seed 0");
        if (lp != null) Npy.writeNpz(logprobsOut, lp);
        Npy.write(out, Npy.Array.of(widen(tokens), perRow));
        return 0;
    }

    /** H.npy as rows × h int32 ids (the library checks each is a token id or −1). */
    private Batch history(int rows, boolean oneRow) throws IOException {
        Npy.Array h = Npy.read(history);
        if (h.dtype() != Npy.DType.INT32 && h.dtype() != Npy.DType.INT64) {
            throw new IllegalArgumentException("--history " + history + ": dtype " + h.dtype().numpyName()
                    + ", int32 or int64 expected");
        }
        boolean shapeOk = h.ndim() == 2 ? h.shape()[0] == rows : oneRow && h.ndim() == 1;
        if (!shapeOk) {
            throw new IllegalArgumentException("--history " + history + ": shape " + h.shapeString() + ", expected ("
                    + rows + ", h)" + (oneRow ? " or (h,)" : ""));
        }
        int width = h.shape()[h.ndim() - 1];
        int[] ids;
        if (h.data() instanceof int[] i) {
            ids = i;
        } else {
            long[] l = (long[]) h.data();
            ids = new int[l.length];
            for (int i = 0; i < l.length; i++) {
                if (l[i] < -1 || l[i] > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("--history " + history + ": id " + l[i] + " at " + i
                            + " is not a token id or -1");
                }
                ids[i] = (int) l[i];
            }
        }
        return Batch.of(ids, rows, width);
    }

    private static Npy.Array floats(Object data, int... shape) {
        return data instanceof float[] f ? Npy.Array.of(f, shape) : Npy.Array.of((double[]) data, shape);
    }

    private static long[] widen(int[] a) {
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) l[i] = a[i];
        return l;
    }
}
