"""Benchmark: one loss-and-gradient step of N_CNN (Eq. 1, Eq. 2) at d = 10, k = 8,001, n = 10,
m1 = 250, four ways, in one process.

    python benchmarks/bench_step.py [--d 10] [--l D] [--k 8001] [--n 10] [--m1 250] [--r 1.0]
                                    [--repeats 31] [--threads 2] [--seed 0] [--no-torch]

- Numba, dense path: :func:`verify.model.network.loss_and_grads` on ``X = O[idx]``;
- Numba, pattern path: :func:`verify.model.network.loss_and_grads_patterns` on ``(O, idx)``;
- the plain NumPy twin: ``loss_and_grads(..., backend="numpy")``;
- PyTorch CPU autograd (the optional extra ``bench``: ``pip install torch==2.13.0``): Eq. 1 as
  ``relu(max_j x[j] W^T) a``, Eq. 2 as ``softplus(-y N).mean()``, gradients by ``backward()``.
  It is checked against the dense path before it is timed.

Each time is the median over ``--repeats`` calls after one warm-up call (compilation excluded);
the two Numba paths are called in turn, so that their ratio is measured under the same
conditions.
Numba and PyTorch get the same number of threads. The machine is shared with other jobs:
timings are noisy; rerun and compare medians. Targets: dense >= 20x faster than PyTorch and
>= 5x faster than the NumPy twin; pattern path >= 5x faster than the dense path.
"""

from __future__ import annotations

import argparse

import numba
import numpy as np
from _timing import median_time, median_times_interleaved, settle

from verify.model import network
from verify.model._kernels import classes_numba as cn
from verify.model._kernels import network_numba as nb
from verify.model._kernels import pattern_grads_numba as pg
from verify.model._kernels import pattern_path_numba as pp
from verify.model.distribution import dense, sample
from verify.model.initialisation import initialise
from verify.model.patterns import haar_patterns
from verify.rng import generator


def torch_step(W: np.ndarray, a: np.ndarray, X: np.ndarray, y: np.ndarray):
    """Returns a closure computing ``(loss, dW, da)`` with PyTorch autograd (float64, CPU)."""
    import torch

    Xt = torch.from_numpy(X)
    yt = torch.from_numpy(y)
    Wt = torch.from_numpy(W.copy()).requires_grad_(True)
    at = torch.from_numpy(a.copy()).requires_grad_(True)

    def step():
        Wt.grad = None
        at.grad = None
        prods = torch.einsum("snc,kc->skn", Xt, Wt)  # m x k x n
        z = torch.relu(prods.max(dim=2).values)  # max over positions, then relu (Eq. 1)
        N = z @ at
        loss = torch.nn.functional.softplus(-yt * N).mean()  # log(1 + e^{-yN}) (Eq. 2)
        loss.backward()
        return float(loss.detach()), Wt.grad.numpy(), at.grad.numpy()

    return step


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--d", type=int, default=10)
    p.add_argument("--l", type=int, default=None, help="number of patterns (default: l = d)")
    p.add_argument("--k", type=int, default=8001)
    p.add_argument("--n", type=int, default=10)
    p.add_argument("--m1", type=int, default=250)
    p.add_argument("--r", type=float, default=0.01, help="radius of the filters")
    p.add_argument("--repeats", type=int, default=31)
    p.add_argument("--threads", type=int, default=min(2, numba.config.NUMBA_NUM_THREADS))
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-torch", action="store_true")
    args = p.parse_args(argv)
    l = args.d if args.l is None else args.l
    numba.set_num_threads(args.threads)

    O = haar_patterns(args.d, l, generator(args.seed, "bench", "patterns"))
    idx, y = sample(args.n, l, args.m1, generator(args.seed, "bench", "sample"))
    X = dense(idx, O)
    W, a = initialise(args.k, args.d, args.r, generator(args.seed, "bench", "init"))
    network.warm_up()
    print(
        f"one loss-and-gradient step: d={args.d}, l={l}, k={args.k}, n={args.n}, "
        f"m1={args.m1}, r={args.r}, threads={args.threads}, seed={args.seed}"
    )

    # agreement first: the paths compute the same thing
    loss, dW, da = network.loss_and_grads(W, a, X, y)
    loss_p, dW_p, da_p = network.loss_and_grads_patterns(W, a, O, idx, y)
    loss_0, dW_0, da_0 = network.loss_and_grads(W, a, X, y, backend="numpy")

    def agree(name, lo, gw, ga):  # tolerances relative to the gradients' scale
        np.testing.assert_allclose([lo], [loss], rtol=1e-10, err_msg=name)
        np.testing.assert_allclose(gw, dW, rtol=0, atol=1e-10 * np.abs(dW).max(), err_msg=name)
        np.testing.assert_allclose(ga, da, rtol=0, atol=1e-10 * np.abs(da).max(), err_msg=name)

    agree("pattern", loss_p, dW_p, da_p)
    agree("numpy", loss_0, dW_0, da_0)
    if not args.no_torch:
        import torch

        torch.set_num_threads(args.threads)
        step = torch_step(W, a, X, y)
        agree("torch", *step())
        print(f"  torch {torch.__version__} agrees with the dense path (to 1e-10 of the scale)")

    # Other thread pools spin for a while after their work (OpenBLAS ~0.1 s, OpenMP): a Numba
    # kernel started in that window waits for the cores. Settle before each measurement, and
    # time the Numba paths before anything else has run in the measured window.
    # The two Numba paths are timed in turn (dense, pattern, dense, ...), so that their ratio
    # compares them under the same conditions of the shared machine.
    settle()
    times = median_times_interleaved(
        {
            "numba dense": lambda: network.loss_and_grads(W, a, X, y),
            "numba pattern": lambda: network.loss_and_grads_patterns(W, a, O, idx, y),
        },
        args.repeats,
    )
    settle()
    times["numpy twin"] = median_time(
        lambda: network.loss_and_grads(W, a, X, y, backend="numpy"), max(3, args.repeats // 3)
    )
    if not args.no_torch:
        settle()
        times["torch autograd"] = median_time(step, max(3, args.repeats // 3))

    for name, t in times.items():
        print(f"  {name:15s} {t * 1e3:9.2f} ms")

    # where the dense and pattern steps spend their time (kernels only)
    N, _, jstar = nb.dense_forward(W, a, X, False)
    _, c = nb.loss_and_coefficients(N, y)
    PT, tied = pp.projection_blocks(W, O)
    classes = cn.sample_classes(idx)
    sums = not tied and pg.subset_sums_pay(l, args.k, classes[1].shape[0])
    print(
        f"  pattern path: {classes[1].shape[0]} classes of {args.m1} samples; gradient "
        + ("from subset sums" if sums else "item by item")
    )
    parts = {
        "dense forward": lambda: nb.dense_forward(W, a, X, False),
        "dense grads": lambda: nb.dense_grads(X, W, jstar, a, c),
        "projection blocks": lambda: pp.projection_blocks(W, O),
        "pattern forward (N)": lambda: pp.forward_items(PT, tied, a, idx, "auto", False),
        "pattern step from blocks": lambda: pp.step(PT, tied, a, idx, y, O, True),
    }
    settle()
    print(
        "  kernels: "
        + ", ".join(
            f"{name} {median_time(fn, args.repeats) * 1e3:.2f} ms" for name, fn in parts.items()
        )
    )

    dense_t = times["numba dense"]
    checks = [
        ("numpy twin / numba dense", times["numpy twin"] / dense_t, 5.0),
        ("numba dense / numba pattern", dense_t / times["numba pattern"], 5.0),
    ]
    if "torch autograd" in times:
        checks.insert(0, ("torch autograd / numba dense", times["torch autograd"] / dense_t, 20.0))
    for name, ratio, target in checks:
        verdict = "meets" if ratio >= target else "MISSES"
        print(f"  {name:29s} {ratio:7.1f}x  ({verdict} the target >= {target:g}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
