"""Benchmark: one ``verify.certify.check`` per kind at (or near) the kind's caps
(:data:`verify.certify.CAPS`; docs/how-to/certificates.md), from a certificate built at those
inputs. Target: each check about 10 s or less on 2 cores.

    python benchmarks/bench_certify_caps.py [KIND ...]

The inputs are the costliest within the caps that still decide: Lemma 5.2 at ``d = l = 1000``,
``k = 10^9`` (2048 bits), Eq. 14 at ``m = 10^4``, the smallest ``k``
at ``d = 19`` (horizon 5668 <= 6000), the footnote grid at ``d = 30`` with 16 values of ``k``
up to ``2000 d`` summing to 900,000, Proposition 6.1 and Theorem 4.2 with supports at their
limits, and an algebra identity whose exact expansion needs about 10^6 term products.
"""

from __future__ import annotations

import json
import sys
import time

from verify import certify
from verify.certify import _arith


def _cases() -> dict[str, object]:
    from verify.certify._kkt import SUPPORT_LIMIT as KKT_LIMIT
    from verify.claims.lemma_5_2.smallest_k import smallest_k
    from verify.claims.proposition_6_1 import closed_form

    ks = [60_000 - 500 * i for i in range(16)]  # k <= 2000 d at d = 30; sum 900,000
    support_l = 2 + int((KKT_LIMIT / 6) ** 0.5)  # n = 3: 2 n (l-2)^2 <= the limit
    row = smallest_k(19, 19)
    lhs = "(a + b + c + d)**9*(a - b + c - d)**8"
    return {
        "lemma_5_2_failure_probability": lambda: certify.lemma_5_2_failure_probability(
            1000, 1000, 10**9),
        "event_14_probability": lambda: certify.event_14_probability(10**4),
        "smallest_k": lambda: certify.smallest_k(19, 19, int(row["k_star"]),
                                                 int(row["horizon"])),
        "footnote_5_rate": lambda: certify.footnote_5_rate([30], {"30": ks}),
        "proposition_6_1_kkt": lambda: certify.proposition_6_1_kkt(
            3, support_l, support_l + 1,
            [str(v) for v in closed_form(3, support_l, support_l + 1).w],
            str(closed_form(3, support_l, support_l + 1).multipliers[0])),
        "theorem_4_2_vc_dimension": lambda: certify.theorem_4_2_vc_dimension(3, 223, 223),
        "algebra_step": lambda: certify.algebra_step(
            "expansion", list("abcd"), [], [lhs, "==", lhs.replace("**9", "**8*(a + b + c + d)")]),
    }


def main(argv: list[str] | None = None) -> int:
    cases = _cases()
    names = (argv if argv is not None else sys.argv[1:]) or list(cases)
    for name in names:
        t = time.perf_counter()
        cert = json.loads(certify.dumps(cases[name]()))
        built = time.perf_counter() - t
        _arith.eq7_failure_ball_at.cache_clear()  # the check recomputes, as in a new process
        _arith.eq7_hold_probability.cache_clear()
        t, cpu = time.perf_counter(), time.process_time()
        res = certify.check(cert, name=certify.file_name(cert))
        took, took_cpu = time.perf_counter() - t, time.process_time() - cpu
        print(f"{name:32} build {built:6.1f} s   check {took:6.1f} s (CPU {took_cpu:5.1f} s)   "
              f"{res.status}: {res.message[:60]}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
