"""Benchmark: the Lemma 5.2 Monte Carlo (target: 10,000 independent initialisations at d = 10,
k = 8,001 in under 30 s on 2 cores).

    python benchmarks/bench_lemma_5_2.py [--trials 10000] [--d 10] [--l 10] [--k 8001]
                                         [--workers 2] [--dense-trials 200] [--seed 0]

Prints the wall time of the fast path (:func:`verify.claims.lemma_5_2.lucky_counts`, Numba kernel on
``workers`` threads, and on one thread), of the dense path (the library's ``initialise`` +
``haar_patterns`` + ``projections`` + ``lucky_filters``) per trial, and the verdict of
:func:`verify.claims.lemma_5_2.check_lemma_5_2` on the same counts. Compilation is excluded (one
warm-up call first). Timings on a shared machine are noisy.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from verify.claims.lemma_5_2 import (
    check_lemma_5_2,
    exact_failure_probability,
    lemma_failures,
    lucky_counts,
)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--trials", type=int, default=10_000)
    p.add_argument("--d", type=int, default=10)
    p.add_argument("--l", type=int, default=None, help="default: l = d")
    p.add_argument("--k", type=int, default=8001)
    p.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    p.add_argument("--dense-trials", type=int, default=200)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args(argv)
    l = a.d if a.l is None else a.l

    lucky_counts(a.d, l, a.k, 1, a.seed)  # compile / load the cached kernel
    print(f"Lemma 5.2 Monte Carlo: d={a.d}, l={l}, k={a.k}, trials={a.trials}, seed={a.seed}")

    t0 = time.perf_counter()
    plus, minus = lucky_counts(a.d, l, a.k, a.trials, a.seed, workers=a.workers)
    fast = time.perf_counter() - t0
    t0 = time.perf_counter()
    plus1, minus1 = lucky_counts(a.d, l, a.k, a.trials, a.seed, workers=1)
    one = time.perf_counter() - t0
    same = bool(np.array_equal(plus, plus1) and np.array_equal(minus, minus1))
    failures = int(lemma_failures(a.d, a.k, plus, minus).sum())
    print(f"  fast path, {a.workers} threads: {fast:.2f} s  ({fast / a.trials * 1e3:.3f} ms/trial)")
    print(f"  fast path, 1 thread:  {one:.2f} s  (identical counts: {same})")
    print(f"  failures of Eq. 7: {failures}/{a.trials}; exact failure probability "
          f"{exact_failure_probability(a.d, l, a.k):.3g}")

    if a.dense_trials:
        lucky_counts(a.d, l, a.k, 1, a.seed, path="dense")
        t0 = time.perf_counter()
        lucky_counts(a.d, l, a.k, a.dense_trials, a.seed, path="dense")
        dense = time.perf_counter() - t0
        per = dense / a.dense_trials
        print(f"  dense path: {dense:.2f} s for {a.dense_trials} trials ({per * 1e3:.2f} ms/trial;"
              f" {per * a.trials:.1f} s extrapolated to {a.trials})")

    t0 = time.perf_counter()
    ev = check_lemma_5_2(a.d, l, a.k, trials=a.trials, seed=a.seed, workers=a.workers)
    print(f"  check_lemma_5_2 (sampling + exact tests): {time.perf_counter() - t0:.2f} s")
    print(f"  {ev.summary()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
