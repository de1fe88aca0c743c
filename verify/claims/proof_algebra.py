"""Exact checks, with SymPy, of the algebra in the paper's proofs.

Each :class:`AlgebraCheck` is one step of a proof, as the paper writes it or as the proof needs
it, with a status computed by the provers of :mod:`verify.evidence._algebra` (``proved``, ``false``
with the smallest counterexample found, or ``not reducible``): nothing here types a status in.
Assumptions enter as substitutions (``r <= eta1/200`` becomes ``eta1 = 200 r + s``, ``s >= 0``;
``eta1 <= 1/(4k(T1+1))`` becomes ``eta1 = 1/(4k(T1+1) + s)``; ``T1 >= 1`` becomes
``T1 = 1 + u``). Integers such as ``k`` or ``T1`` are treated as reals in their range, so a
proof covers a superset of the cases. Where an inequality is true but the reason the paper
writes for it is not, there are two checks: the inequality (proved, with a note) and the written
step (false). :func:`verify.claims.errata.text_errata` turns every false check into an erratum.

Sections covered: Appendix B (Lemma 5.2), Appendix C (Lemmas C.1, C.2, C.3, Eqs. 14, 17, 20),
Appendix D (Lemma 5.5), Appendix E (margin of ``v*``, norms, Soudry et al.'s step size), the
norms of Section 5's sketch of Part 3, and the linear system of Theorem 4.2 (Eq. 5).
"""

from __future__ import annotations

import dataclasses
import functools

import sympy as sp

from verify.claims.proof_algebra_eq5 import theorem_4_2_checks
from verify.claims.proof_algebra_forms import PAPER
from verify.claims.proof_algebra_step import ERRATUM_KINDS, AlgebraCheck
from verify.evidence._algebra import (
    NOT_REDUCIBLE,
    STATUSES,
    Outcome,
    constant_sign,
    exp2_bound,
    identity,
    nonneg,
    nonneg_factored,
    nonneg_from,
)
from verify.evidence.certified import available
from verify.evidence.second_prover import UNDECIDED, second_opinion

__all__ = [
    "ERRATUM_KINDS",
    "STATUSES",
    "AlgebraCheck",
    "algebra_checks",
    "constant_sign",
    "exp2_bound",
    "nonneg_factored",
]

# ----------------------------------------------------------------------------- the checks

d = sp.Symbol("d", positive=True)
k, r, eta1, T1, t, m1, m2, m = sp.symbols("k r eta1 T1 t m1 m2 m", positive=True)
s, u, p_, q_, w_ = sp.symbols("s u p q w", nonnegative=True)
P_D = (1 - 2 ** (-d + 1)) / (2 * (d - 1))  # Appendix B's P(i in W_0+ ∩ A+), l = d


def _appendix_b() -> list[AlgebraCheck]:
    P = sp.Symbol("P")
    hoeffding = k / (8 * d**2) - d  # exponent of 2e^{-k/(8d^2)} <= 2e^{-d}
    b8 = AlgebraCheck(
        "B.8", "Appendix B, last paragraph (upper bound)",
        "(1-2^{-d+1})/(2(d-1)) k + k/(4d) <= k/d for every integer d >= 3, i.e. p <= 3/(4d)",
        exp2_bound(1 / d - P_D - 1 / (4 * d), d, 3),
    )
    b9 = AlgebraCheck(
        "B.9", "Appendix B, last paragraph (upper bound)",
        "as written: p <= 1/d, hence p k + k/(4d) <= k/d (tested for every P <= 1/d in place "
        "of p = (1-2^{-d+1})/(2(d-1)))",
        nonneg(1 / d - (P + 1 / (4 * d)), nonnegative=[s, u], subs={P: 1 / d - s, d: 3 + u}),
        note=("p <= 1/d only gives p k + k/(4d) <= 5k/(4d); the step needs p <= 3/(4d), which "
              f"is {b8.status} for every d >= 3 (check B.8), so the bound k/d stands"),
    )
    b8 = dataclasses.replace(
        b8, note=f"{'true' if b8.outcome.proved else b8.status}, but the reason the paper "
                 f"writes for it (p <= 1/d) is {b9.status} as a step (check B.9); tightest at "
                 f"d = 3: 1/d - p - 1/(4d) = {(1 / d - P_D - 1 / (4 * d)).subs(d, 3)}")
    b3 = AlgebraCheck(
        "B.3", "Appendix B, Eq. 13 (last inequality)",
        "2e^{-k/(8d^2)} <= 2e^{-d} for k >= 8d^3 (exponent k/(8d^2) - d >= 0), d >= 3",
        nonneg(hoeffding, nonnegative=[s, u], subs={k: 8 * d**3 + s, d: 3 + u}),
        note="uses k >= 8d^3 (Theorem 5.1 assumes k > 8d^3; Lemma 5.2's statement names no "
             "condition on k)",
    )
    return [
        AlgebraCheck(
            "B.1", "Appendix B, P(i in W_0+ ∩ A+)",
            "P(i in A+) P(i in W_0+) = (1/2) (1-2^{-d+1})/(d-1) = (1-2^{-d+1})/(2(d-1))",
            identity(sp.Rational(1, 2) * (1 - 2 ** (-d + 1)) / (d - 1), P_D, paper=PAPER["B.1"]),
            note="independence of W^(0) and a^(0); the count of O minus {o_2} is d - 1 only "
                 "when l = d (for l < d it is l - 1: see Lemma 5.2's section)",
        ),
        AlgebraCheck(
            "B.2", "Appendix B, Eq. 13 (Hoeffding)",
            "2e^{-2k(1/(4d))^2} = 2e^{-k/(8d^2)}",
            identity(2 * sp.exp(-2 * k * (1 / (4 * d)) ** 2), 2 * sp.exp(-k / (8 * d**2)),
                     paper=PAPER["B.2"]),
        ),
        b3,
        AlgebraCheck(
            "B.4", "Section 5, proof sketch after Lemma 5.2",
            "the sketch's 'concentration of measure for k >= d^3' with Eq. 13's Hoeffding step: "
            "2e^{-k/(8d^2)} <= 2e^{-d} for k >= d^3, d >= 3",
            nonneg(hoeffding, nonnegative=[s, u], subs={k: d**3 + s, d: 3 + u}),
            note=("with k = d^3 Hoeffding gives only 2e^{-d/8}; Eq. 13 needs k >= 8d^3 "
                  f"(check B.3: {b3.status}), which Theorem 5.1 assumes (k > 8d^3) but "
                  "Lemma 5.2's statement does not name"),
            kind="missing-assumption",
        ),
        AlgebraCheck(
            "B.5", "Appendix B, last paragraph (lower bound)",
            "(1-2^{-d+1})/(2(d-1)) >= 1/(2d) for every integer d >= 3 (i.e. 2^{d-1} >= d)",
            exp2_bound(P_D - 1 / (2 * d), d, 3),
        ),
        AlgebraCheck(
            "B.6", "Appendix B, last paragraph",
            "(1-2^{-d+1})/(2(d-1)) <= 1/d for every integer d >= 3",
            exp2_bound(1 / d - P_D, d, 3),
        ),
        AlgebraCheck(
            "B.7", "Appendix B, last paragraph (lower bound)",
            "p >= 1/(2d) gives p k - k/(4d) >= k/(4d)",
            nonneg(P * k - k / (4 * d) - k / (4 * d), positive=[k, d], nonnegative=[s],
                   subs={P: 1 / (2 * d) + s}),
        ),
        b8,
        b9,
    ]


def _appendix_c() -> list[AlgebraCheck]:
    X = sp.Symbol("X", positive=True)  # e^z
    S = sp.Symbol("S")  # |S_1+|
    eta_c2 = {eta1: 1 / (4 * k * (T1 + 1) + s), T1: t + w_}  # eta1 <= 1/(4k(T1+1)), t <= T1
    sqrt_e = sp.sqrt(sp.E)
    c4 = AlgebraCheck(
        "C.4", "Appendix C, Lemma C.2",
        "k eta1 (t+1) <= 1/4 for 0 <= t <= T1 when eta1 <= 1/(4k(T1+1))",
        nonneg(sp.Rational(1, 4) - k * eta1 * (t + 1), positive=[k], nonnegative=[t, w_, s],
               subs=eta_c2),
        note="the assumption gives |N| <= 1/4; the lemma's 1/2 is loose by 2 (harmless: Eq. 17 "
             "needs only |N| <= 1/2)",
    )
    eq14_h = 2 * m1 * (sp.Rational(1, 2) - sp.Rational(1, 3)) ** 2
    return [
        AlgebraCheck(
            "C.1", "Appendix C, Lemma C.1 (proof: ||dL_1/dw_i|| <= 1)",
            "|l'(z)| = 1/(1+e^z) <= 1 for every real z",
            nonneg(1 - 1 / (1 + X), positive=[X]),
            note="X = e^z > 0; with ||x[j]|| = 1 and |a_i| = 1 each term of the gradient has "
                 "norm <= 1",
        ),
        AlgebraCheck(
            "C.2", "Appendix C, Lemma C.1",
            "r + eta1 t <= eta1 (t+1) for t >= 0 when r <= eta1/200",
            nonneg(eta1 * (t + 1) - r - eta1 * t, positive=[r], nonnegative=[t, s],
                   subs={eta1: 200 * r + s}),
            note="needs only r <= eta1, which the lemma's statement omits (Theorem 5.1 assumes "
                 "r <= eta1/200)",
        ),
        AlgebraCheck(
            "C.3", "Appendix C, Lemma C.2 (last step)",
            "k eta1 (t+1) <= 1/2 for 0 <= t <= T1 when eta1 <= 1/(4k(T1+1))",
            nonneg(sp.Rational(1, 2) - k * eta1 * (t + 1), positive=[k],
                   nonnegative=[t, w_, s], subs=eta_c2),
            note=f"loose by a factor 2: check C.4 ({c4.status})",
        ),
        c4,
        AlgebraCheck(
            "C.5", "Appendix C, after Eq. 14 (Hoeffding)",
            "P(|S_1+| < m1/3) <= e^{-2 m1 (1/2 - 1/3)^2} = e^{-m1/18} <= e^{-m/36} when "
            "m1 = ceil(m/2) >= m/2 (exponent m1/18 - m/36 >= 0)",
            nonneg(eq14_h - m / 36, positive=[m], nonnegative=[s], subs={m1: m / 2 + s}),
            note="per side; the union bound over both sides gives 2e^{-m/36}, so the paper's "
                 "4e^{-m/36} is valid but loose by 2",
        ),
        AlgebraCheck(
            "C.6", "Appendix C, Eq. 14 (as printed)",
            "the printed event |S_1+|/m1 >= m1/3 (|S_1+| >= m1^2/3) is compatible with "
            "|S_1+| <= m1 for every integer m1 >= 1 (m1 - m1^2/3 >= 0)",
            nonneg_from(m1 - m1**2 / 3, m1, 1),
            note="the printed event is empty for m1 >= 4: Eq. 14 must read |S_1+|, |S_1-| >= "
                 "m1/3, which is what Eq. 20 uses (check C.9)",
            kind="typo",
        ),
        AlgebraCheck(
            "C.7", "Appendix C, Eq. 17",
            "|l'(N)| = 1/(1+e^N) >= 1/(1+sqrt(e)) whenever N <= 1/2",
            nonneg(1 / (1 + X) - 1 / (1 + sqrt_e), nonnegative=[s],
                   subs={X: sqrt_e / (1 + s)}),
            note="X = e^N ranges over (0, sqrt(e)]; uses |N| <= 1/2 (Lemma C.2)",
        ),
        AlgebraCheck(
            "C.8", "Appendix C, Eq. 17",
            "1/(1+sqrt(e)) >= 1/3 (i.e. e <= 4)",
            constant_sign(1 / (1 + sqrt_e) - sp.Rational(1, 3)),
        ),
        AlgebraCheck(
            "C.9", "Appendix C, Eq. 20 (second inequality)",
            "eta1/(3 m1) |S_1+| - 0 >= eta1/9 when |S_1+| >= m1/3 (Eq. 14 as the proof uses it)",
            nonneg(eta1 / (3 * m1) * S - eta1 / 9, positive=[eta1, m1], nonnegative=[s],
                   subs={S: m1 / 3 + s}),
        ),
        AlgebraCheck(
            "C.10", "Appendix C, Eq. 20 (last inequality)",
            "T eta1/9 + eta1/9 = (T+1) eta1/9 (induction hypothesis plus the increment)",
            identity(t * eta1 / 9 + eta1 / 9, (t + 1) * eta1 / 9, paper=PAPER["C.10"]),
        ),
        AlgebraCheck(
            "C.11", "Appendix C, Lemma C.3, proof of Claim 3",
            "r < eta1 (T+1)/9 for every T >= 0 when r <= eta1/200",
            nonneg(eta1 * (t + 1) / 9 - r, positive=[r], nonnegative=[t, s],
                   subs={eta1: 200 * r + s}, strict=True),
            note="needs only r < eta1/9",
        ),
    ]


def _appendix_d_e() -> list[AlgebraCheck]:
    c = 80 * d / (k * eta1 * T1)  # the entries of v*
    P, Q = sp.Symbol("P"), sp.Symbol("Q")  # |W_0+ ∩ A+|, |W_0- ∩ A-|
    chain = c * P * (T1 * eta1 / 9) - c * Q * r  # what Lemmas 5.2, 5.3, Cor. 5.4 give
    worst = sp.simplify(chain.subs({P: k / (4 * d), Q: k / d, r: eta1 / 200}))
    C = sp.Symbol("C", positive=True)
    c_min = sp.solve(sp.Eq((chain.subs({P: k / (4 * d), Q: k / d, r: eta1 / 200, T1: 1})
                            * C / 80), 1), C)[0]
    written = sp.simplify((C * d / (k * eta1 * T1)) * (k / (4 * d)) * (eta1 * T1 / 10)
                          - (C * d / (k * eta1 * T1)) * (k / d) * (eta1 * T1 / 80))
    sigma2 = sp.Symbol("sigma2")
    z = sp.Symbol("z", real=True)
    lpp = sp.diff(sp.log(1 + sp.exp(-z)), z, 2)
    X = sp.Symbol("X", positive=True)
    v_norm = c**2 * (2 * k / d)
    z_norm = k * (2 * eta1 * T1) ** 2
    return [
        AlgebraCheck(
            "D.1", "Appendix D (Lemma 5.5 from Lemma C.1)",
            "eta1 (t+1) <= 2 eta1 t for t >= 1",
            nonneg(2 * eta1 * t - eta1 * (t + 1), positive=[eta1], nonnegative=[u],
                   subs={t: 1 + u}),
            note="x[j].w <= ||w|| ||x[j]|| = ||w|| <= eta1 (t+1) by Lemma C.1 (which needs "
                 "r <= eta1); false at t = 0, which the lemma excludes",
        ),
        AlgebraCheck(
            "E.1", "Appendix E, margin of v*",
            "(80d/(k eta1 T1)) (k/(4d)) (eta1 T1/10) - (80d/(k eta1 T1)) (k/d) (eta1 T1/80) = 1",
            identity(c * (k / (4 * d)) * (eta1 * T1 / 10) - c * (k / d) * (eta1 * T1 / 80), 1,
                     paper=PAPER["E.1"]),
            note=(f"the two terms are {sp.simplify(c * (k / (4 * d)) * (eta1 * T1 / 10))} and "
                  f"{sp.simplify(c * (k / d) * (eta1 * T1 / 80))}; with C in place of 80 the "
                  f"written chain equals {written}, so 80 is the smallest constant for which "
                  "it reaches 1"),
        ),
        AlgebraCheck(
            "E.2", "Appendix E, margin of v* (lucky positive filters)",
            "each i in W_0+ ∩ A+ has z(x+)_i >= o_1.w_i^(T1) >= T1 eta1/9 > T1 eta1/10",
            nonneg(T1 * eta1 / 9 - T1 * eta1 / 10, positive=[eta1], nonnegative=[u],
                   subs={T1: 1 + u}, strict=True),
            note="z(x+)_i >= w_i.o_1 because x+ contains o_1 (Lemma 5.3, item 1, T1 >= 1); "
                 "item 3 (p = o_1) holds only on S_1+ and is not needed for a fresh x+",
        ),
        AlgebraCheck(
            "E.3", "Appendix E, margin of v* (lucky negative filters)",
            "each i in W_0- ∩ A- has z(x+)_i <= r <= eta1 T1/80 when r <= eta1/200, T1 >= 1",
            nonneg(eta1 * T1 / 80 - r, positive=[r], nonnegative=[s, u],
                   subs={eta1: 200 * r + s, T1: 1 + u}),
            note="z(x+)_i <= r by Corollary 5.4, item 2 (x+ holds no o_2); needs r <= eta1 T1/80",
        ),
        AlgebraCheck(
            "E.4", "Appendix E, margin of v* (the whole chain)",
            "z(x+).v* >= c |W0+∩A+| T1 eta1/9 - c |W0-∩A-| r > 1, c = 80d/(k eta1 T1), for "
            "|W0+∩A+| >= k/(4d), |W0-∩A-| <= k/d, r <= eta1/200, T1 >= 1",
            nonneg(chain - 1, positive=[k, d, r], nonnegative=[p_, q_, s, u],
                   subs={P: k / (4 * d) + p_, Q: k / d - q_, eta1: 200 * r + s, T1: 1 + u},
                   strict=True),
            note=(f"worst case of the chain: {worst} >= {worst.subs(T1, 1)} (T1 = 1); with "
                  f"the bounds the lemmas give, any constant C > {c_min} = "
                  f"{sp.N(c_min, 4)} in place of 80 gives margin > 1; uses both bounds of "
                  "Lemma 5.2 (the upper one through the negative filters)"),
        ),
        AlgebraCheck(
            "E.5", "Appendix E, ||v*||^2",
            "(80d/(k eta1 T1))^2 (2k/d) = 2 80^2 d/(k eta1^2 T1^2)",
            identity(v_norm, 2 * 80**2 * d / (k * eta1**2 * T1**2), paper=PAPER["E.5"]),
            note="||v*||^2 = c^2 (|W0+∩A+| + |W0-∩A-|) <= c^2 2k/d uses Lemma 5.2's upper bound",
        ),
        AlgebraCheck(
            "E.6", "Appendix E, ||z(x)||^2",
            "k (2 eta1 T1)^2 = 4 k eta1^2 T1^2 (each 0 <= z(x)_i <= 2 eta1 T1 by Lemma 5.5)",
            identity(z_norm, 4 * k * eta1**2 * T1**2, paper=PAPER["E.6"]),
        ),
        AlgebraCheck(
            "E.7", "Appendix E, ||a_hat||^2 ||z(x)||^2 = O(d)",
            "(2 80^2 d/(k eta1^2 T1^2)) (4 k eta1^2 T1^2) = 51200 d",
            identity(v_norm * z_norm, 51200 * d, paper=PAPER["E.7"]),
            note="the O(d) of the sample complexity has the constant 8 80^2 = 51200",
        ),
        AlgebraCheck(
            "E.8", "Appendix E, Soudry et al.'s step size",
            "4 m2 k eta1^2 T1^2 <= m2/(4k) when eta1 <= 1/(4k(T1+1))",
            nonneg(m2 / (4 * k) - 4 * m2 * k * eta1**2 * T1**2, positive=[k, m2],
                   nonnegative=[s, u], subs={eta1: 1 / (4 * k * (T1 + 1) + s), T1: 1 + u}),
            note="||Z||_F^2 <= m2 4k eta1^2 T1^2 by Lemma 5.5 (E.6); the inequality is strict",
        ),
        AlgebraCheck(
            "E.9", "Appendix E, Soudry et al.'s step size",
            "8k <= 2 m2/sigma_max(Z)^2 whenever 0 < sigma_max(Z)^2 <= m2/(4k)",
            nonneg(2 * m2 / sigma2 - 8 * k, positive=[k, m2], nonnegative=[s],
                   subs={sigma2: m2 / (4 * k + s)}),
            note="so eta2 < 8k gives eta2 < 2 m2/(beta sigma_max^2) with beta = 1",
        ),
        AlgebraCheck(
            "E.10", "Appendix E, smoothness of the logistic loss",
            "l''(z) = e^z/(1+e^z)^2 <= 1/4, so beta = 1 is a valid (4 times loose) constant",
            _beta_check(lpp, z, X),
            note="with beta = 1/4, eta2 < 8 m2/sigma_max^2 suffices",
        ),
        *_sketch_norms(v_norm),
    ]


def _sketch_norms(v_norm: sp.Expr) -> list[AlgebraCheck]:
    """Section 5's sketch of Part 3: ``||v|| = O(sqrt(d/k))`` and ``||z(x)|| = O(sqrt(k))``,
    against what the step size ``eta1 <= 1/(4k(T1+1))`` forces on the scale ``eta1 T1``."""
    step = {eta1: 1 / (4 * k * (T1 + 1) + s), T1: 1 + u}
    s1 = AlgebraCheck(
        "S.1", "Section 5, Part 3 (sketch)",
        "every margin-1 separator v of D_z has ||v||^2 >= 1/max ||z(x)||^2 >= "
        "1/(4k eta1^2 T1^2) > 4k when eta1 <= 1/(4k(T1+1))",
        nonneg(1 / (4 * k * eta1**2 * T1**2) - 4 * k, positive=[k], nonnegative=[s, u],
               subs=step, strict=True),
        note="v.z(x) >= 1 needs ||v|| ||z(x)|| >= 1, and ||z(x)||^2 <= 4k eta1^2 T1^2 (E.6)",
    )
    s2 = AlgebraCheck(
        "S.2", "Section 5, Part 3 (sketch)",
        "'separated with margin 1 by a classifier v with ||v|| = O(sqrt(d/k))', with Appendix "
        "E's v*: ||v*||^2 = 2 80^2 d/(k eta1^2 T1^2) <= 2 80^2 d/k when eta1 <= 1/(4k(T1+1)), "
        "k >= 8d^3, d >= 3",
        nonneg(2 * 80**2 * d / k - v_norm, nonnegative=[s, u, w_, q_],
               subs={**step, k: 8 * d**3 + w_, d: 3 + q_}),
        note=(f"the inequality needs eta1 T1 >= 1, but the step size forces eta1 T1 < 1/(4k); "
              f"worse, every margin-1 separator has ||v||^2 > 4k (check S.1: {s1.status}), so "
              "||v||^2 <= C d/k fails for any fixed C once 4k^2 > C d; ||v|| and ||z(x)|| "
              "scale as 1/(eta1 T1) and eta1 T1, and only the product ||v||^2 ||z(x)||^2 <= "
              "51200 d (check E.7) is free of the scale, so the O(d) conclusion stands"),
    )
    s3 = AlgebraCheck(
        "S.3", "Section 5, Part 3 (sketch)",
        "||z(x)||^2 <= 4k eta1^2 T1^2 < 1/(4k) when eta1 <= 1/(4k(T1+1)), so ||z(x)|| = "
        "O(1/sqrt(k))",
        nonneg(1 / (4 * k) - 4 * k * eta1**2 * T1**2, positive=[k], nonnegative=[s, u],
               subs=step, strict=True),
        note="the sketch's ||z(x)|| = O(sqrt(k)) holds, loose by a factor k",
    )
    return [s1, s2, s3]


def _beta_check(lpp: sp.Expr, z: sp.Symbol, X: sp.Symbol) -> Outcome:
    """``1/4 - l''(z) >= 0`` with ``X = e^z``, after checking that ``l''`` is ``X/(1+X)^2``."""
    in_x = sp.together(lpp).subs(sp.exp(-z), 1 / X)
    form = identity(in_x, X / (1 + X) ** 2)
    if in_x.has(z) or not form.proved:
        return Outcome(NOT_REDUCIBLE, "second derivative",
                       f"l''(z) = {lpp} is not X/(1+X)^2 with X = e^z: {form.detail}")
    out = nonneg_factored(sp.Rational(1, 4) - X / (1 + X) ** 2, positive=(X,))
    return Outcome(out.status, out.method,
                   f"l''(z) = d^2/dz^2 log(1 + e^-z) = X/(1+X)^2 with X = e^z ({form.method}); "
                   f"1/4 - X/(1+X)^2: {out.detail}", out.problem)


@functools.lru_cache(maxsize=1)
def _all_checks() -> tuple[AlgebraCheck, ...]:
    checks = (*_appendix_b(), *_appendix_c(), *_appendix_d_e(), *theorem_4_2_checks())
    if not available():
        missing = {"engine": "none", "status": "unknown", "agreement": UNDECIDED,
                   "text": "no second engine: the certify extra (z3-solver, python-flint) is "
                           "not installed"}
        return tuple(dataclasses.replace(c, second=missing) for c in checks)
    return tuple(dataclasses.replace(c, second=second_opinion(c.outcome, step=(c.id, c.statement)))
                 for c in checks)


def algebra_checks() -> list[AlgebraCheck]:
    """Every proof-algebra check: Appendices B, C, D, E, Section 5's sketch of Part 3 (ids
    ``S.*``), then the linear system of Theorem 4.2 (Eq. 5, ids ``T.*``). Computed once per
    process (about a second).

    Returns
    -------
    list of AlgebraCheck
        Statuses in :data:`verify.evidence._algebra.STATUSES`; ids unique.

    Examples
    --------
    >>> {c.id: c.status for c in algebra_checks()}["B.9"]
    'false'
    """
    return list(_all_checks())
