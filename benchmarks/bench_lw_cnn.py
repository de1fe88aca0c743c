"""Benchmark: LW_CNN's first layer (:func:`verify.model.lw_cnn.first_layer`, pattern path) at d =
20, k = 64,001, m = 2,000 (m1 = 1,000), n = 10, T1 = 100, with the largest eta1 and r that
Theorem 5.1 allows (target: under 60 s on 2 cores).

    python benchmarks/bench_lw_cnn.py [--d 20] [--l D] [--k 64001] [--m 2000] [--n 10]
                                      [--T1 100] [--threads 2] [--seed 0]

Prints the wall time (compilation excluded: the kernels are warmed up first), the time per
step, and the process's peak resident memory before and after the run (``ru_maxrss``: the
kernels allocate through Numba's runtime, which ``tracemalloc`` does not see). The machine is
shared with other jobs: timings are noisy.
"""

from __future__ import annotations

import argparse
import resource
import time

import numba
import numpy as np

from verify.model import network
from verify.model._kernels.dtypes import index_dtype
from verify.model.distribution import sample, split
from verify.model.initialisation import initialise
from verify.model.lw_cnn import first_layer
from verify.model.patterns import haar_patterns
from verify.model.setting import Setting, largest_allowed_steps
from verify.rng import generator


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--d", type=int, default=20)
    p.add_argument("--l", type=int, default=None, help="number of patterns (default: l = d)")
    p.add_argument("--k", type=int, default=64_001)
    p.add_argument("--m", type=int, default=2_000)
    p.add_argument("--n", type=int, default=10)
    p.add_argument("--T1", type=int, default=100)
    p.add_argument("--threads", type=int, default=min(2, numba.config.NUMBA_NUM_THREADS))
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args(argv)
    l = a.d if a.l is None else a.l
    numba.set_num_threads(a.threads)
    eta1, r = largest_allowed_steps(a.d, a.k, a.T1)
    s = Setting(
        d=a.d, l=l, n=a.n, k=a.k, m=a.m, eta1=eta1, eta2=1.0, r=r, T1=a.T1, T2=0, seed=a.seed
    )
    network.warm_up()
    O = haar_patterns(s.d, s.l, generator(s.seed, "bench-lw", "patterns"))
    W0, a0 = initialise(s.k, s.d, s.r, generator(s.seed, "bench-lw", "init"))
    idx, y = sample(s.n, s.l, s.m, generator(s.seed, "bench-lw", "sample"))
    s1, _ = split(s.m)
    before = peak_rss_mib()
    print(
        f"LW_CNN first layer: d={s.d}, l={s.l}, k={s.k}, m={s.m} (m1={s.m1}), n={s.n}, "
        f"T1={s.T1}, eta1={s.eta1:.4g}, r={s.r:.4g}, threads={a.threads}, seed={s.seed}"
    )
    t0 = time.perf_counter()
    res = first_layer(W0, a0, O, idx[s1], y[s1], eta1=s.eta1, T1=s.T1)
    wall = time.perf_counter() - t0
    after = peak_rss_mib()
    top = np.dtype(index_dtype(s.l))
    top_mib = s.m1 * s.k * top.itemsize / 2**20
    print(
        f"  time {wall:.2f} s ({wall / (s.T1 + 1) * 1e3:.1f} ms per step, {s.T1 + 1} steps "
        f"with a gradient each)"
    )
    print(
        f"  peak RSS {after:.0f} MiB (before the run {before:.0f} MiB; one step's {top.name} "
        f"'top' array is {top_mib:.0f} MiB)"
    )
    print(f"  L_1 from {res.losses[0]:.6f} to {res.losses[-1]:.6f}")
    print(f"  target < 60 s: {'meets' if wall < 60 else 'MISSES'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
