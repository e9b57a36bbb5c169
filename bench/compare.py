#!/usr/bin/env python3
"""softmax4j's suite on Python peers: SciPy, NumPy and PyTorch, printed as the suite's JSON lines.

    python3 bench/compare.py [--quick] [--backends scipy,numpy,torch] > peers.jsonl
    /usr/bin/python3 bench/compare.py --suite inference > inference-peers.jsonl

Backends (each skipped, with a note on stderr, if it does not import):
  scipy  scipy.special.softmax / log_softmax / logsumexp along the last axis: the library call as
         users make it (it allocates its result and temporaries; NumPy ufuncs are single-threaded,
         so it is measured at threads=1 only).
  numpy  the same mathematics written with NumPy ufuncs into preallocated buffers (out=): NumPy's
         best case, also single-threaded.
  torch  torch.softmax / log_softmax / logsumexp(dim=-1) on tensors sharing NumPy's memory, writing
         into a preallocated out= tensor, with torch.set_num_threads(1) and (2). Also bfloat16
         and float16 (--dtypes bfloat16,float16; torch only, the others are skipped): the logits
         rounded to the type in a torch tensor, the output in the same type, as a language
         model's half-precision logits are; the peer of HalfBench.
         On Debian: apt-get install -y python3-torch, then run this script with /usr/bin/python3.

--suite inference measures PyTorch (only) on the cases of SamplerBench and AttentionBench, as
Hugging Face's generation code does them (transformers' logits warpers), float32, one call per
token step:
  sampler    greedy: argmax. topK50: scores / 0.8, torch.topk's K-th value, masked_fill below it
             with -inf, softmax, torch.multinomial. topP0.9: scores / 0.8, ascending torch.sort,
             softmax + cumsum, drop the cumulative mass <= 1 - P (the most likely kept), scatter the
             mask back, masked_fill, softmax, multinomial. minP0.05: scores / 0.8, softmax, drop
             p < M max p (TopP's scatter as transformers does it), softmax, multinomial. One row
             of 128,256 N(0, 2^2) logits, at each of --threads.
  attention  2048 x 2048 N(0, 1) scores, scale 0.125, into preallocated tensors: causal (scores
             times scale, masked_fill_ of a prebuilt upper-triangular mask with -inf, softmax),
             unmasked (times scale, softmax) and softmax (softmax alone).
It prints {"bench", "case", "rows", "n", "dtype", "threads", "backend", "us_per_call"} lines,
which bench/inference_report.py tabulates beside the JMH results.

Timing: for each case, calls are grouped into batches of about --batch-ms (after a warm-up of
the same length); the result is the median over --samples batches of the time per call, divided
by rows * n. Progress and versions go to stderr. Inputs are N(0, 3^2) logits, as in the JMH suite.

On some machines OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are set and slow NumPy down; to measure,
unset them for this command only:  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 bench/compare.py
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np

import result_format as fmt

QUICK_SHAPES = ((1, 10), (64, 1000), (4096, 1000), (32, 128256))


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def scipy_calls():
    from scipy import special

    def make(op, x, threads):
        if op == "softmax":
            return lambda: special.softmax(x, axis=-1)
        if op == "logSoftmax":
            return lambda: special.log_softmax(x, axis=-1)
        return lambda: special.logsumexp(x, axis=-1)
    return make


def numpy_calls():
    def make(op, x, threads):
        y = np.empty_like(x)
        rows = x.shape[0]
        m = np.empty((rows, 1), x.dtype)
        s = np.empty((rows, 1), x.dtype)

        def shifted_exp():
            np.max(x, axis=-1, keepdims=True, out=m)
            np.subtract(x, m, out=y)
            np.exp(y, out=y)
            np.sum(y, axis=-1, keepdims=True, out=s)

        if op == "softmax":
            def softmax():
                shifted_exp()
                return np.divide(y, s, out=y)
            return softmax
        if op == "logSoftmax":
            def log_softmax():
                shifted_exp()
                np.log(s, out=s)
                np.add(s, m, out=s)
                return np.subtract(x, s, out=y)
            return log_softmax

        def logsumexp():
            shifted_exp()
            np.log(s, out=s)
            return np.add(s, m, out=s)
        return logsumexp
    return make


def torch_calls():
    import torch
    torch.set_num_interop_threads(1)

    def make(op, x, threads, dtype=None):
        torch.set_num_threads(threads)
        t = torch.from_numpy(x)
        if dtype in fmt.HALF_DTYPES:  # NumPy has no bfloat16: float32 logits, rounded by torch
            t = t.to(getattr(torch, dtype))
        if op == "logSumExp":
            out = torch.empty(x.shape[0], dtype=t.dtype)
            return lambda: torch.logsumexp(t, -1, out=out)
        out = torch.empty_like(t)
        f = torch.softmax if op == "softmax" else torch.log_softmax
        return lambda: f(t, -1, out=out)
    return make


def torch_inference_cases(thread_counts):
    """(bench, case, rows, n, threads, make) for --suite inference; make() returns the call."""
    import torch
    torch.set_num_interop_threads(1)
    inf = float("-inf")
    t_inv = 0.8

    def warp(case, scores):
        s = scores / t_inv
        if case == "topK50":
            kth = torch.topk(s, 50)[0][..., -1, None]
            return s.masked_fill(s < kth, inf)
        if case == "topP0.9":
            sorted_logits, sorted_indices = torch.sort(s, descending=False)
            cumulative = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
            remove = cumulative <= (1 - 0.9)
            remove[..., -1:] = 0
            remove = remove.scatter(1, sorted_indices, remove)
            return s.masked_fill(remove, inf)
        if case == "minP0.05":
            probs = torch.softmax(s, dim=-1)
            top, _ = probs.max(dim=-1, keepdim=True)
            remove = probs < 0.05 * top
            sorted_indices = torch.argsort(s, descending=True, dim=-1)
            sorted_remove = torch.gather(remove, dim=-1, index=sorted_indices)
            sorted_remove[..., :1] = False
            remove = sorted_remove.scatter(1, sorted_indices, sorted_remove)
            return s.masked_fill(remove, inf)
        raise ValueError(case)

    def sampler(case, x):
        def call():
            if case == "greedy":
                return torch.argmax(x, dim=-1)
            return torch.multinomial(torch.softmax(warp(case, x), dim=-1), num_samples=1)
        return call

    rng = np.random.default_rng(0x5A3)
    vocab = 128256
    cases = []
    for threads in thread_counts:
        for case in ("greedy", "topK50", "topP0.9", "minP0.05"):
            def make(case=case):
                return sampler(case, torch.from_numpy((2 * rng.standard_normal((1, vocab))).astype("float32")))
            cases.append(("SamplerBench", case, 1, vocab, threads, make))
    size = 2048
    for threads in thread_counts:
        for case in ("causal", "unmasked", "softmax"):
            def make(case=case):
                s = torch.from_numpy(rng.standard_normal((size, size)).astype("float32"))
                z = torch.empty_like(s)
                y = torch.empty_like(s)
                mask = torch.ones(size, size, dtype=torch.bool).triu_(1)  # True above the diagonal
                if case == "softmax":
                    return lambda: torch.softmax(s, -1, out=y)

                def attention():
                    torch.mul(s, 0.125, out=z)
                    if case == "causal":
                        z.masked_fill_(mask, inf)
                    return torch.softmax(z, -1, out=y)
                return attention
            cases.append(("AttentionBench", case, size, size, threads, make))
    return cases


def inference(a):
    """--suite inference: the torch peers of SamplerBench and AttentionBench (see the module doc)."""
    import torch
    threads = [int(t) for t in a.threads.split(",")]
    log(versions(["torch"]))
    cases = torch_inference_cases(threads)
    for i, (bench, case, rows, n, t, make) in enumerate(cases, 1):
        torch.set_num_threads(t)
        ns = median_ns(make(), a.batch_ms, a.samples)
        r = {"bench": bench, "case": case, "rows": rows, "n": n, "dtype": "float32", "threads": t,
             "backend": "torch", "us_per_call": float(f"{ns / 1e3:.4g}")}
        print(fmt.line(r), flush=True)
        log(f"[{i}/{len(cases)}] {bench} {case} {rows}x{n} threads={t}: {r['us_per_call']:.4g} us")


BACKENDS = {"scipy": (scipy_calls, False), "numpy": (numpy_calls, False), "torch": (torch_calls, True)}
# Backends that take the 16-bit dtypes (fmt.HALF_DTYPES).
HALF_BACKENDS = ("torch",)


def median_ns(call, batch_ms, samples):
    call()
    t0 = time.perf_counter_ns()
    call()
    once = max(time.perf_counter_ns() - t0, 1)
    k = max(1, int(batch_ms * 1e6 / once))
    end = time.perf_counter_ns() + batch_ms * 1e6
    while time.perf_counter_ns() < end:  # warm-up
        call()
    per_call = []
    for _ in range(samples):
        t0 = time.perf_counter_ns()
        for _ in range(k):
            call()
        per_call.append((time.perf_counter_ns() - t0) / k)
    return statistics.median(per_call)


def parse_shapes(s):
    return tuple(tuple(int(v) for v in p.lower().replace("×", "x").split("x")) for p in s.split(","))


def versions(names):
    v = [f"python {sys.version.split()[0]}", f"numpy {np.__version__}"]
    for name in names:
        if name == "scipy":
            import scipy
            v.append(f"scipy {scipy.__version__}")
        if name == "torch":
            import torch
            v.append(f"torch {torch.__version__}")
    return ", ".join(v)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--suite", choices=("softmax", "inference"), default="softmax",
                    help="softmax: the suite below; inference: PyTorch's sampler and attention (module doc)")
    ap.add_argument("--quick", action="store_true", help="softmax, float32, four shapes, shorter batches")
    ap.add_argument("--backends", default="scipy,numpy,torch")
    ap.add_argument("--ops", default=",".join(fmt.OPS))
    ap.add_argument("--dtypes", default=",".join(fmt.DTYPES))
    ap.add_argument("--shapes", default=",".join(f"{r}x{n}" for r, n in fmt.SHAPES), help="e.g. 64x1000,1x10")
    ap.add_argument("--threads", default="1,2", help="thread counts for torch (scipy and numpy: 1)")
    ap.add_argument("--batch-ms", type=float, default=25)
    ap.add_argument("--samples", type=int, default=15)
    a = ap.parse_args()
    if a.suite == "inference":
        return inference(a)
    shapes = parse_shapes(a.shapes)
    ops, dtypes = a.ops.split(","), a.dtypes.split(",")
    if a.quick:
        shapes, ops, dtypes, a.batch_ms, a.samples = QUICK_SHAPES, ["softmax"], ["float32"], 10, 9
    threads = [int(t) for t in a.threads.split(",")]
    for o in ops:
        if o not in fmt.OPS:
            ap.error(f"--ops: unknown op {o!r}")
    for dt in dtypes:
        if dt not in fmt.DTYPES + fmt.HALF_DTYPES:
            ap.error(f"--dtypes: unknown dtype {dt!r} ({', '.join(fmt.DTYPES + fmt.HALF_DTYPES)})")
    for name in a.backends.split(","):
        if name not in BACKENDS:
            ap.error(f"--backends: unknown backend {name!r} (scipy, numpy, torch)")
    if os.environ.get("OPENBLAS_CORETYPE") or os.environ.get("OPENBLAS_L2_SIZE"):
        log("note: OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE are set; they can slow NumPy (see --help)")

    makers = {}
    for name in a.backends.split(","):
        factory, threaded = BACKENDS[name]
        try:
            makers[name] = (factory(), threaded)
        except ImportError as e:
            log(f"skipping {name}: {e}")
    log(versions(makers))
    cases = [(b, op, dt, s, t) for b, (_, threaded) in makers.items() for op in ops for dt in dtypes
             for s in shapes for t in (threads if threaded else [1])
             if dt not in fmt.HALF_DTYPES or b in HALF_BACKENDS]
    rng = np.random.default_rng(0x50F73A4)
    inputs = {}
    for i, (b, op, dt, (rows, n), t) in enumerate(cases, 1):
        key = (dt, rows, n)
        if key not in inputs:
            inputs.clear()  # one shape at a time in memory
            inputs[key] = (3 * rng.standard_normal((rows, n))).astype("float32" if dt in fmt.HALF_DTYPES else dt)
        call = makers[b][0](op, inputs[key], t, dt) if dt in fmt.HALF_DTYPES else makers[b][0](op, inputs[key], t)
        ns = median_ns(call, a.batch_ms, a.samples)
        r = fmt.record(op, rows, n, dt, t, b, ns)
        print(fmt.line(r), flush=True)
        log(f"[{i}/{len(cases)}] {b} {op} {dt} {rows}x{n} threads={t}: {r['ns_per_element']:.4g} ns/element")


if __name__ == "__main__":
    sys.exit(main())
