#!/usr/bin/env python3
"""The softmax-regression head on Python peers, beside their GEMM alone: the same shape as
bench/regression's JMH benchmark (X 4096 x 512 float32, k = 1000 classes, bias, row softmax).

    /usr/bin/python3 bench/regression/compare_head.py [--rows 4096 --features 512 --classes 1000]

Cases (each skipped, with a note on stderr, if its module does not import):
  numpy gemm    np.matmul(X, W.T, out=Z): NumPy's own OpenBLAS, its default threads.
  numpy head    the GEMM, Z += b, then the stable softmax with ufuncs into preallocated buffers.
  torch gemm    torch.matmul(X, W.T, out=Z) at torch.set_num_threads(1) and (2).
  torch head    torch.addmm(b, X, W.T, out=Z) then torch.softmax(Z, -1, out=P), same threads.

Prints one line per case: the median time per call in ms over --samples batches (see compare.py's
median_ns), and the head's ratio to the GEMM alone of the same peer. Inputs as in the JMH
benchmark: X ~ N(0, 1), W ~ N(0, 0.05^2), b ~ N(0, 1).
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from compare import log, median_ns  # noqa: E402  (the suite's timing, shared)


def numpy_cases(x, w, b):
    z = np.empty((x.shape[0], w.shape[0]), np.float32)
    m = np.empty((x.shape[0], 1), np.float32)
    s = np.empty((x.shape[0], 1), np.float32)
    wt = w.T

    def gemm():
        np.matmul(x, wt, out=z)

    def head():
        np.matmul(x, wt, out=z)
        np.add(z, b, out=z)
        np.max(z, axis=-1, keepdims=True, out=m)
        np.subtract(z, m, out=z)
        np.exp(z, out=z)
        np.sum(z, axis=-1, keepdims=True, out=s)
        np.divide(z, s, out=z)
    yield "numpy", "default", gemm, head


def torch_cases(x, w, b):
    import torch
    torch.set_num_interop_threads(1)
    tx, tw, tb = torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b)
    z = torch.empty(x.shape[0], w.shape[0])
    p = torch.empty_like(z)
    for threads in (1, 2):
        def gemm(threads=threads):
            torch.set_num_threads(threads)
            torch.matmul(tx, tw.T, out=z)

        def head(threads=threads):
            torch.set_num_threads(threads)
            torch.addmm(tb, tx, tw.T, out=z)
            torch.softmax(z, -1, out=p)
        yield "torch " + torch.__version__, str(threads), gemm, head


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=4096)
    ap.add_argument("--features", type=int, default=512)
    ap.add_argument("--classes", type=int, default=1000)
    ap.add_argument("--batch-ms", type=float, default=300)
    ap.add_argument("--samples", type=int, default=15)
    a = ap.parse_args()
    r = np.random.default_rng(42)
    x = r.standard_normal((a.rows, a.features), dtype=np.float32)
    w = (r.standard_normal((a.classes, a.features)) * 0.05).astype(np.float32)
    b = r.standard_normal(a.classes).astype(np.float32)
    print(f"# {a.rows} x {a.features} -> {a.classes}, float32; numpy {np.__version__}; median ms per call")
    for make in (numpy_cases, torch_cases):
        try:
            cases = list(make(x, w, b))
        except ImportError as e:
            log(f"skipped: {e}")
            continue
        for peer, threads, gemm, head in cases:
            g = median_ns(gemm, a.batch_ms, a.samples) / 1e6
            h = median_ns(head, a.batch_ms, a.samples) / 1e6
            print(f"{peer:16s} threads={threads:8s} gemm {g:8.3f}  head {h:8.3f}  head/gemm {h / g:.3f}", flush=True)


if __name__ == "__main__":
    main()
