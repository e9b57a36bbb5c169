"""The one result format of softmax4j's benchmarks: JSON lines, one measurement per line.

    {"op":"softmax","rows":64,"n":1000,"dtype":"float32","threads":1,"backend":"native","ns_per_element":0.41,"gb_per_s":19.5}

ns_per_element is the median time of one call over the whole batch divided by rows * n.
gb_per_s counts the bytes an operation must move: each element read and written once for
softmax and log-softmax (8 B per element in float32, 16 B in float64, 4 B in bfloat16 and
float16), read only for log-sum-exp (4 B / 8 B / 2 B). The Java side (BenchResult in java/cli) uses the same formula.
Optional keys: "kind" (the buffer kind of a BufferKindBench row).
"""
import json

OPS = ("softmax", "logSoftmax", "logSumExp")
# The baseline of SoftmaxBench: the same bytes copied through the same path (read and written
# once, like softmax). Not an operation the peers are asked for.
BASELINE = "copy"
DTYPES = ("float32", "float64")
# 16-bit storage (HalfBench; PyTorch's bfloat16 in compare.py): bytes per element below.
HALF_DTYPES = ("bfloat16", "float16")
SHAPES = ((1, 10), (64, 1000), (4096, 1000), (256, 32000), (32, 128256), (1, 1048576))
KEYS = ("op", "rows", "n", "dtype", "threads", "backend", "ns_per_element", "gb_per_s")


def bytes_per_element(op, dtype):
    size = {"float32": 4, "float64": 8, "bfloat16": 2, "float16": 2}[dtype]
    return size if op == "logSumExp" else 2 * size


def record(op, rows, n, dtype, threads, backend, ns_per_call, **extra):
    """A result from the median time of one call, in nanoseconds."""
    if op not in OPS and op != BASELINE:
        raise ValueError(f"unknown op {op!r}")
    ns_el = ns_per_call / (rows * n)
    r = {"op": op, "rows": int(rows), "n": int(n), "dtype": dtype, "threads": int(threads),
         "backend": backend, "ns_per_element": _sig(ns_el),
         "gb_per_s": _sig(bytes_per_element(op, dtype) / ns_el)}
    r.update(extra)
    return r


def line(r):
    return json.dumps(r, ensure_ascii=False, separators=(",", ":"))


def _sig(x, digits=4):
    return float(f"{x:.{digits}g}")
