#!/usr/bin/python3
"""Golden files for TorchAgreementTest: random inputs, and PyTorch autograd's derivatives of them.

CI has no PyTorch, so the agreement with it is tested against these files on every run; where
torch is installed the test also compares with torch live, and checks that this script still
produces these files. Regenerate (Debian: apt-get install python3-torch) with

    /usr/bin/python3 generate.py [OUT_DIR]        # OUT_DIR defaults to this script's folder

It writes, for each dtype, the inputs x-DTYPE.npy, v-DTYPE.npy (tangent), g-DTYPE.npy
(cotangent): 17 rows of 23, standard normal times 3 (numpy default_rng(11)); for each case,
OP_ALPHA_DTYPE.npy: the derivative of x -> softmax(alpha x) along the last axis, computed in
float64 from the stored (float32-rounded, for float32) inputs; and cases.csv, the list of cases
the test runs, with the versions that made the files.
"""
import pathlib
import sys

import numpy as np
import torch

# op (as `softmax4j apply --op`), alpha, dtype of the inputs
CASES = [
    ("jacobian", "1", "float64"),
    ("jvp", "1", "float64"),
    ("vjp", "1", "float64"),
    ("log-softmax-vjp", "1", "float64"),
    ("jacobian", "-0.7", "float64"),
    ("vjp", "2.5", "float64"),
    ("log-softmax-vjp", "0.3", "float64"),
    ("jvp", "1", "float32"),
    ("vjp", "1", "float32"),
    ("log-softmax-vjp", "1", "float32"),
]


def derivative(op, alpha, x, v, g):
    """What `apply --op OP --alpha ALPHA` computes, by autograd, in float64."""
    f = lambda t: torch.softmax(alpha * t, dim=-1)
    if op == "jacobian":
        return torch.stack([torch.autograd.functional.jacobian(f, x[r]) for r in range(x.shape[0])])
    if op == "jvp":
        return torch.autograd.functional.jvp(f, x, v)[1]
    if op == "vjp":
        return torch.autograd.functional.vjp(f, x, g)[1]
    if op == "log-softmax-vjp":
        return torch.autograd.functional.vjp(lambda t: torch.log_softmax(alpha * t, dim=-1), x, g)[1]
    raise ValueError(op)


def main():
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent)
    out.mkdir(parents=True, exist_ok=True)
    inputs = {}
    for dtype in sorted({c[2] for c in CASES}):
        rng = np.random.default_rng(11)
        for name in ("x", "v", "g"):
            a = (rng.standard_normal((17, 23)) * 3).astype(dtype)
            np.save(out / f"{name}-{dtype}.npy", a)
            inputs[name, dtype] = torch.tensor(a.astype(np.float64), dtype=torch.float64)
    lines = [f"# made by generate.py with torch {torch.__version__}, numpy {np.__version__}",
             "# op,alpha,dtype"]
    for op, alpha, dtype in CASES:
        x, v, g = (inputs[n, dtype] for n in ("x", "v", "g"))
        e = derivative(op, float(alpha), x, v, g).numpy()
        np.save(out / f"{op}_{alpha}_{dtype}.npy", e)
        lines.append(f"{op},{alpha},{dtype}")
    (out / "cases.csv").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
