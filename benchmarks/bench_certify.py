"""Benchmark: Lemma 5.2's certificate (:mod:`verify.certify`) at the standard profile's largest
exact rows, ``k = 80 d^3`` (``d = 8, 10, 12``, ``l = d``): the arb ball of Eq. 7's failure
probability (:func:`verify.certify._arith.eq7_failure_ball`, what the certificate and
``python -m verify.certify check`` compute) against its exact rational twin
(:func:`verify.certify._arith.eq7_hold_probability`, the reference the tests compare the ball
with), then the whole standard profile's smallest-k certificates (d = 3..14).
Target: every certificate of the standard profile's Lemma 5.2 section under 30 s in all.

    python benchmarks/bench_certify.py [--exact]   # --exact also times the rational twin

The exact rational at d = 12, k = 138,240 takes minutes (its integers have about 2 million
bits, and each step multiplies them); it runs only with ``--exact``.
"""

from __future__ import annotations

import argparse
import time

from flint import ctx

from verify import certify
from verify.certify import _arith
from verify.claims.lemma_5_2.smallest_k import smallest_k

TARGET_S = 30.0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--exact", action="store_true", help="also time the exact rational twin")
    args = p.parse_args(argv)
    total = 0.0
    print("d    k        ball (64 bits)   certificate   exact rational")
    for d in (8, 10, 12):
        k = 80 * d**3
        ctx.prec = 64
        t = time.perf_counter()
        _arith.eq7_failure_ball_at.cache_clear()
        _arith.eq7_failure_ball(d, d, k)
        ball = time.perf_counter() - t
        t = time.perf_counter()
        _arith.eq7_failure_ball_at.cache_clear()
        cert = certify.lemma_5_2_failure_probability(d, d, k)
        whole = time.perf_counter() - t
        total += whole
        exact = "(--exact)"
        if args.exact:
            t = time.perf_counter()
            _arith.eq7_hold_probability(d, d, k)
            exact = f"{time.perf_counter() - t:.1f} s"
        print(f"{d:<4} {k:<8} {ball:.3f} s          {whole:.3f} s ({cert['verdict']})   {exact}")
    t = time.perf_counter()
    for d in range(3, 15):
        scan_row = smallest_k(d, d)
        certify.smallest_k(d, d, int(scan_row["k_star"]), int(scan_row["horizon"]))
    scan = time.perf_counter() - t
    total += scan
    print(f"smallest-k certificates, d = 3..14: {scan:.1f} s")
    print(f"total {total:.1f} s; target under {TARGET_S:.0f} s: "
          f"{'met' if total < TARGET_S else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
