"""Errata of the paper's text, and the errata the proof-algebra checks find.

:data:`TEXT` holds the typos listed in ``CLAIMS.md`` ("Typos in the text"), and a few more found
while checking them, each with the paper's exact text (``quote``) and the exact passages that
show what was meant (``support``); ``tests/test_errata.py`` checks every quote against the
paper's text file. :func:`algebra_errata` turns every proof-algebra check whose status is
``false`` (:mod:`verify.claims.proof_algebra`) into an erratum: those are derived from the computed
results, never typed in here. Checker modules report the errata their runs show through their
own ``errata()``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from verify.claims.proof_algebra import ERRATUM_KINDS, AlgebraCheck, algebra_checks
from verify.evidence import Erratum
from verify.evidence._algebra import FALSE
from verify.evidence.certified import proved_note

__all__ = ["TEXT", "TextErratum", "algebra_errata", "missing_quotes", "text_errata"]

PAPER = "paper/max-pooling-networks.md"


@dataclass(frozen=True)
class TextErratum:
    """A place where the text, as printed, is wrong.

    ``quote`` is the paper's text verbatim (LaTeX as in :data:`PAPER`), ``reads`` its plain
    reading; ``support`` are verbatim passages that show the intended text; ``claims_says`` is
    the wording of the ``CLAIMS.md`` typo list (empty when the erratum was found here);
    ``check_id`` names a proof-algebra check that bears on it.
    """

    location: str
    kind: str
    quote: str
    reads: str
    what_is_true: str
    support: tuple[str, ...] = ()
    claims_says: str = ""
    check_id: str = ""


TEXT: tuple[TextErratum, ...] = (
    TextErratum(
        "Section 5, Lemma 5.3, item 1", "typo",
        r"o_1 \cdot w_i^{(t)} \geq \frac{t\eta_1}{0}",
        "o_1 . w_i^(t) >= t eta1 / 0",
        "o_1 . w_i^(t) >= t eta1 / 9, as in Lemma C.3 (proved by Eq. 20) and Corollary 5.4",
        (r"\boldsymbol{o}_1 \cdot \boldsymbol{w}_i^{(t)} \geq \frac{t\eta_1}{9}",
         r"o_2 \cdot w_i^{(t)} \ge \frac{t\eta_1}{9}"),
        claims_says="t eta1 / 0",
    ),
    TextErratum(
        "Appendix C, Eq. 14", "typo",
        r"\frac{|S_1^+|}{m_1}, \frac{|S_1^-|}{m_1} \ge \frac{m_1}{3} \tag{14}",
        "|S_1+|/m_1, |S_1-|/m_1 >= m_1/3",
        "|S_1+|, |S_1-| >= m_1/3 (equivalently |S_1±|/m_1 >= 1/3): Eq. 20 uses it to turn "
        "eta1/(3 m_1) |S_1+| into eta1/9; the Hoeffding bound 4e^{-m/36} is for this event",
        (r"\underset{\text{Eq. 14,18,19}}{\geq} w_{i}^{(T)} \cdot o_{1} + \frac{\eta_{1}}{9}",),
        claims_says="|S_1+|/m_1, |S_1-|/m_1 >= m_1/3",
        check_id="C.6",
    ),
    TextErratum(
        "Section 3, CNN architecture", "typo",
        r"W \in \mathbb{R}^{k \times n}",
        "W in R^{k x n}",
        "W in R^{k x d}: its k rows are the filters w_i in R^d",
        (r"each row i of W, denoted by  $\boldsymbol{w}_i \in \mathbb{R}^d$",),
        claims_says="W in R^{k x n}",
    ),
    TextErratum(
        "Section 3, Eq. 3", "typo",
        r"\max_{i} \left\{ \sigma \left( \boldsymbol{w}_{i}^{(t)} \cdot \boldsymbol{x}[j] "
        r"\right) \right\}",
        "max_i { sigma(w_i^(t) . x[j]) } = w_i^(t) . p_i^(t)(x)",
        "the maximum is over the positions j: max_j { sigma(w_i^(t) . x[j]) } = "
        "w_i^(t) . p_i^(t)(x), with j_i^(t)(x) the maximising position",
        (r"j_i^{(t)}(x) = \arg\max_{1 \le j \le n} w_i^{(t)} \cdot x[j]",),
        claims_says="max_i",
    ),
    TextErratum(
        "Appendix E, definition of v*", "typo",
        r"v_i^* = -\frac{80d}{kn_1T_1}",
        "v*_i = -80d/(k n_1 T_1) on W_0- ∩ A-",
        "v*_i = -80d/(k eta1 T1), the negative of the value on W_0+ ∩ A+",
        (r"let  $v_i^* = \frac{80d}{k\eta_1T_1}$",),
        claims_says="k n_1 T_1",
    ),
    TextErratum(
        "Appendix C, proof of Lemma C.3 (and Eqs. 15-23)", "typo",
        r"\boldsymbol{p}_t^{(i)}(\boldsymbol{x}_+) = \boldsymbol{o}_1",
        "p_t^(i)(x+) = o_1 (and p_T^(i) throughout the proof)",
        "p_i^(t)(x+) = o_1: the subscript is the filter, the superscript the step (Section 3)",
        (r"define  $\boldsymbol{p}_i^{(t)}(\boldsymbol{x}) = \boldsymbol{x}",),
        claims_says="p_T^(i)",
    ),
    # Found while checking the quotes above (not in CLAIMS.md's list).
    TextErratum(
        "Appendix E, Soudry et al.'s condition (definition of Z)", "typo",
        r"\mathbf{z}(\mathbf{z}_{i+\lceil \frac{m}{2} \rceil})",
        "Z contains z(z_{i + ceil(m/2)}) in its i-th column",
        "the i-th column of Z is z(x_{i + ceil(m/2)}), the features of the i-th sample of S_2",
        (r"define  $\boldsymbol{z}(\boldsymbol{x}) \in \mathbb{R}^k$",),
    ),
    TextErratum(
        "Appendix C, Eq. 22", "typo",
        r"\boldsymbol{p}_T^{(i)}(\boldsymbol{x}) \cdot \boldsymbol{o}_j \le 0",
        "... l'(-N(x-)) p_T^(i)(x) . o_j <= 0, summed over x- in S_1-",
        "the summand is l'(-N(x-)) p_i^(T)(x-) . o_j (the sum is over x- in S_1-)",
        (r"\sum_{\boldsymbol{x}_{-} \in S_1^-} \ell' \left( -N_{\text{CNN}}",),
    ),
    TextErratum(
        "Section 5, Lemma 5.3 (statement)", "missing-assumption",
        r"**Lemma 5.3.** For all  $0 \le t \le T_1$  and all  $i \in W_0^+ \cap A^+$  the "
        r"following holds:",
        "Lemma 5.3 states its conclusions with no event or probability",
        "they hold on the event of Eq. 14 (probability >= 1 - 4e^{-m/36}), as Lemma C.3 and "
        "Corollary 5.4 state; without it they can fail: if S_1 has no positive sample, Eqs. 15 "
        "and 19 give o_1 . w_i^(t) = o_1 . w_i^(0) <= r <= eta1/200 < t eta1/9 for t >= 1",
        (r"**Lemma C.3.** With probability at least  $1 - 4e^{-\frac{m}{36}}$",
         r"**Corollary 5.4.** With probability at least  $1 - 4e^{-d} - 4e^{-\frac{m}{36}}$"),
        check_id="C.11",
    ),
)


def _quoted(text: str) -> str:
    return f"“{text}”"


def _check_evidence(check: AlgebraCheck) -> str:
    return (f"proof-algebra check {check.id} ({check.statement}): {check.status} by "
            f"{check.method}; {check.detail}")


def _proved(check: AlgebraCheck) -> str:
    """``"[proved] (certificate ...) "`` when the second prover's certificate of ``check``
    (Z3's ``algebra_step``, a counterexample checked in exact rationals; the report writes it
    beside the proof algebra's rows) verifies the step false; else ``""``."""
    cert = (check.second or {}).get("certificate")
    return proved_note(cert, "fails") if isinstance(cert, dict) else ""


def algebra_errata(checks: Iterable[AlgebraCheck], *, skip: Iterable[str] = ()) -> list[Erratum]:
    """One erratum per check whose computed status is ``false`` (ids in ``skip`` excepted).

    The erratum says what the paper writes (the check's statement), what is true (its note),
    and shows the prover's counterexample; its evidence starts with ``[proved]`` when the second
    prover's certificate verifies the counterexample (:func:`_proved`).

    Parameters
    ----------
    checks
        :class:`verify.claims.proof_algebra.AlgebraCheck` results.
    skip
        Ids of checks already reported by a text erratum.
    """
    checks = list(checks)
    if not all(isinstance(c, AlgebraCheck) for c in checks):
        raise ValueError("checks must hold verify.claims.proof_algebra.AlgebraCheck objects")
    skipped = set(skip)
    out = []
    for c in checks:
        if c.status != FALSE or c.id in skipped:
            continue
        if c.kind not in ERRATUM_KINDS:
            raise ValueError(f"check {c.id} has kind {c.kind!r}, not one of {ERRATUM_KINDS}")
        out.append(Erratum(
            location=c.location,
            kind=c.kind,
            text_says=c.statement,
            what_is_true=c.note or f"the step is false: {c.detail}",
            evidence=_proved(c) + _check_evidence(c),
            found_by=f"verify.claims.proof_algebra (check {c.id})",
        ))
    return out


def text_errata() -> list[Erratum]:
    """The errata of the text (:data:`TEXT`), then those of the proof-algebra checks.

    Returns
    -------
    list of verify.evidence.Erratum
        Kinds in ``typo``, ``false-step``, ``false-claim``, ``missing-assumption``, ``loose``.
    """
    checks = {c.id: c for c in algebra_checks()}
    out = []
    for e in TEXT:
        evidence = [f"the text of {PAPER} has, verbatim, {_quoted(e.quote)}"]
        if e.support:
            evidence.append("and elsewhere " + "; ".join(_quoted(s) for s in e.support))
        if e.check_id:
            evidence.append(_check_evidence(checks[e.check_id]))
        out.append(Erratum(
            location=e.location,
            kind=e.kind,
            text_says=f"{_quoted(e.quote)} ({e.reads})",
            what_is_true=e.what_is_true,
            evidence="; ".join(evidence),
            found_by="verify.claims.errata (the paper's text" + (", CLAIMS.md's typo list)"
                                                         if e.claims_says else ")"),
        ))
    cited = {e.check_id for e in TEXT if e.check_id}
    return out + algebra_errata(checks.values(), skip=cited)


def missing_quotes(paper_text: str) -> list[str]:
    """The quotes and supporting passages of :data:`TEXT` that ``paper_text`` does not contain
    verbatim (empty when every one is found)."""
    if not isinstance(paper_text, str):
        raise ValueError(f"paper_text must be a str, got {type(paper_text).__name__}")
    return [q for e in TEXT for q in (e.quote, *e.support) if q not in paper_text]
