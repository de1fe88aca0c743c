"""Benchmark: the whole of Theorem 5.1 by class counts (:mod:`verify.model.class_counts`) at
d = 3 (l = 3, n = 3, k = 217 = 8d^3 + 1, T1 = 2, largest eta1 and r): draw the training set's
class counts (``Multinomial``), run the first layer on the counts, compute the second layer's
limit ``a_hat`` (max-margin separator of the distinct features) and its exact test error over the
support, at m = 10^7 (target: under 10 s on 2 cores) and m = 10^8.

    python benchmarks/bench_theorem_5_1.py [--d 3] [--m 10000000 100000000] [--seed 0]

Prints the wall time of each size (compilation excluded: one warm-up run at m = 1,000 first)
and the process's peak resident memory (``ru_maxrss``) after each. The machine is shared with
other jobs: timings are noisy.
"""

from __future__ import annotations

import argparse
import resource
import time

from verify.claims.theorem_5_1_nonvacuous import run_counts

TARGET_S = 10.0


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--d", type=int, default=3)
    p.add_argument("--m", type=int, nargs="+", default=[10**7, 10**8])
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args(argv)
    run_counts(a.d, 500, a.seed)  # warm-up: compilation
    print(f"warm-up done, peak RSS {peak_rss_mib():.0f} MiB")
    ok = True
    for m in a.m:
        t0 = time.perf_counter()
        out = run_counts(a.d, m // 2, a.seed)
        dt = time.perf_counter() - t0
        met = dt < TARGET_S
        ok &= met or m != 10**7
        print(f"d={a.d} m={m:,}: {dt:.3f} s, peak RSS {peak_rss_mib():.0f} MiB, limit error "
              f"{out['error']:g}, bound {out['bound']:.4g}, events {out['events']}, distinct "
              f"feature vectors {out['distinct']}" + (f"; target < {TARGET_S:g} s "
                                                       f"{'met' if met else 'MISSED'}"
                                                       if m == 10**7 else ""))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
