"""Evidence made ``proved`` by a certificate that :mod:`verify.certify` re-checks.

:func:`certify_evidence` sets ``strength = Strength.PROVED`` only when the certificate verifies
(:func:`verify.certify.check`, from the certificate's inputs alone) and decides the evidence's
own verdict; it never changes the verdict. Otherwise the evidence keeps its strength and
``details["certificate_check"]`` says why. The certificate itself goes to
``details["certificate"]``, from where the report writes it to ``<stem>_files/certificates/``.

The builders (:func:`certify_lemma_5_2`, :func:`certify_event_14`, :func:`certify_smallest_k`)
make the certificate from the evidence's parameters: Lemma 5.2 at ``(d, l, k)`` against
``4e^{-d}`` (Section 5, Eq. 7; Appendix B), Eq. 14 at ``m`` against ``4e^{-m/36}`` (proof of
Lemma C.3), and Lemma 5.2's smallest ``k*`` at ``l = d`` (Section 5's ``k >= d^3``). Without
python-flint or z3 (the ``certify`` extra) the evidence is returned unchanged.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from verify.evidence import Evidence, Strength, Verdict

__all__ = [
    "available",
    "certify_algebra_row",
    "certify_chernoff_tail",
    "certify_event_14",
    "certify_evidence",
    "certify_footnote_5",
    "certify_kkt",
    "certify_lemma_5_2",
    "certify_per_filter",
    "certify_shattering",
    "certify_smallest_k",
    "certify_vc_dimension",
    "proved_failure_note",
    "proved_note",
]


def available() -> bool:
    """Whether the ``certify`` extra (python-flint, z3-solver) is installed."""
    try:
        import flint  # noqa: F401
        import z3  # noqa: F401
    except ImportError:
        return False
    return True


def _decides(ev: Evidence, cert: dict[str, Any]) -> str:
    """Empty when the certificate's verdict is the evidence's; else why not."""
    if cert.get("kind") == "smallest_k":
        k_star = cert.get("inputs", {}).get("k_star")
        if cert.get("verdict") == "holds" and k_star == ev.observed and ev.verdict in (
                Verdict.HOLDS, Verdict.FAILS):
            return ""
        return f"certificate's k* = {k_star} is not the evidence's {ev.observed:g}"
    want = {Verdict.HOLDS: "holds", Verdict.FAILS: "fails"}.get(ev.verdict)
    if want is None:
        return f"the evidence's verdict {ev.verdict.value!r} is not one a certificate decides"
    if cert.get("verdict") != want:
        return (f"disagreement: the certificate proves {cert.get('verdict')!r}, the checker "
                f"says {ev.verdict.value!r}")
    return ""


def certify_evidence(ev: Evidence, certificate: dict[str, Any]) -> Evidence:
    """``ev`` with ``strength = PROVED`` and ``details["certificate"]`` when ``certificate``
    verifies (a JSON round trip, then :func:`verify.certify.check`) and decides ``ev``'s
    verdict; else ``ev`` with ``details["certificate_check"]`` saying why not."""
    if not isinstance(ev, Evidence):
        raise ValueError(f"ev must be an Evidence, got {type(ev).__name__}")
    if not isinstance(certificate, dict):
        raise ValueError(f"certificate must be a dict, got {type(certificate).__name__}")
    from verify import certify

    cert = json.loads(certify.dumps(certificate))
    res = certify.check(cert)
    why = "" if res.ok else f"does not verify: {res.message}"
    why = why or _decides(ev, cert)
    if why:
        return dataclasses.replace(ev, details={**ev.details, "certificate_check": why})
    return dataclasses.replace(ev, strength=Strength.PROVED, details={
        **ev.details, "certificate": cert, "certificate_check": f"verified: {res.message}"})


def certify_lemma_5_2(ev: Evidence) -> Evidence:
    """:func:`certify_evidence` with the Lemma 5.2 certificate at ``ev.params``' ``(d, l, k)``."""
    if not available():
        return ev
    from verify import certify

    p = ev.params
    return certify_evidence(ev, certify.lemma_5_2_failure_probability(
        int(p["d"]), int(p["l"]), int(p["k"])))


def certify_event_14(ev: Evidence) -> Evidence:
    """:func:`certify_evidence` with the Eq. 14 certificate at ``ev.params["m"]``."""
    if not available():
        return ev
    from verify import certify

    return certify_evidence(ev, certify.event_14_probability(int(ev.params["m"])))


def certify_smallest_k(ev: Evidence) -> Evidence:
    """:func:`certify_evidence` with the smallest-``k`` certificate: ``k* = ev.observed`` at
    ``d = l = ev.params["d"]``, exact up to ``ev.details["horizon"]`` (Bernstein beyond)."""
    if not available():
        return ev
    from verify import certify

    d = int(ev.params["d"])
    return certify_evidence(ev, certify.smallest_k(d, int(ev.params["l"]), int(ev.observed),
                                                   int(ev.details["horizon"])))


def certify_algebra_row(ev: Evidence) -> Evidence:
    """:func:`certify_evidence` with the proof-algebra step the row states in
    ``ev.details["algebra_step"]`` (``id``, ``name``, ``variables``, ``assumptions``, ``goal``),
    decided by :mod:`verify.certify` (Z3 or exact arithmetic). An ``id`` of the paper's steps
    must name :mod:`verify.certify`'s own statement of that step (else ``ev`` is returned with
    ``details["certificate_check"]`` saying why); without an ``id`` the step is one of its own."""
    if not available():
        return ev
    from verify import certify

    step = ev.details["algebra_step"]
    try:
        cert = certify.algebra_step(step["name"], step["variables"], step["assumptions"],
                                    step["goal"], step_id=step.get("id"))
    except ValueError as exc:  # not verify.certify's statement of the paper step it names
        return dataclasses.replace(ev, details={**ev.details, "certificate_check": str(exc)})
    return certify_evidence(ev, cert)


def certify_chernoff_tail(ev: Evidence) -> Evidence:
    """:func:`certify_evidence` with Lemma 5.2's Chernoff/KL tail certificate at ``ev.params``'
    ``(d, l, k)`` (Section 5's ``k >= d^3``: every ``k' >= k``); a row that decides nothing
    (``not tested``) is returned unchanged."""
    if not available() or ev.verdict is not Verdict.HOLDS:
        return ev
    from verify import certify

    p = ev.params
    return certify_evidence(ev, certify.lemma_5_2_chernoff_tail(int(p["d"]), int(p["l"]),
                                                                int(p["k"])))


def certify_kkt(ev: Evidence, w: list[Any], multiplier: Any) -> Evidence:
    """:func:`certify_evidence` with Proposition 6.1's KKT certificate (Section 6, Eq. 9) at
    ``ev.params``' ``(n, l, d)``: the separator ``w`` and the multiplier on every support point
    (exact rationals, e.g. :func:`verify.claims.proposition_6_1.closed_form`'s)."""
    if not available():
        return ev
    from verify import certify

    p = ev.params
    return certify_evidence(ev, certify.proposition_6_1_kkt(
        int(p["n"]), int(p["l"]), int(p["d"]), [str(v) for v in w], str(multiplier)))


def certify_per_filter(ev: Evidence) -> Evidence:
    """:func:`certify_evidence` with Lemma 5.2's per-filter certificate (Appendix B) at
    ``ev.params``' ``(d, l)``: ``q_l`` exactly against the paper's formula."""
    if not available():
        return ev
    from verify import certify

    return certify_evidence(ev, certify.lemma_5_2_per_filter(int(ev.params["d"]),
                                                             int(ev.params["l"])))


def certify_footnote_5(ev: Evidence) -> Evidence:
    """:func:`certify_evidence` with footnote 5's rate certificate (Section 5): for each ``d`` of
    ``ev.params["d_values"]``, the fit over ``ev.details["by_d"][d]["ks"]`` against ``I(d)`` at
    the tolerance ``ev.bound`` (as its decimal text, e.g. ``0.05`` = 1/20). The row keeps the
    certificate but stays ``computed``: the asymptotic reading rests on Cramer-Chernoff's
    theorem, which the certificate does not check."""
    if not available():
        return ev
    from verify import certify

    ds = [int(d) for d in ev.params["d_values"]]
    ks = {str(d): [int(k) for k in ev.details["by_d"][d]["ks"]] for d in ds}
    out = certify_evidence(ev, certify.footnote_5_rate(ds, ks, tolerance=repr(ev.bound)))
    if out.strength != Strength.PROVED:
        return out
    # The certificate proves the row's computation (the enclosures, and the fitted rate within
    # the tolerance of I(d) at the k run); the reading it supports, -ln P = I(d) k + O(ln k)
    # and so e^{-Theta(k/d)} uniformly in d, is Cramer-Chernoff's theorem, which no program
    # checks here: the row stays computed, its certificate attached.
    return dataclasses.replace(out, strength=Strength.COMPUTED, details={
        **out.details, "strength_note": "computed: the enclosures and the fit are certified "
        "(the certificate re-checks); that -ln P = I(d) k + O(ln k) is Cramer-Chernoff's "
        "theorem, not certified"})


def proved_note(certificate: dict[str, Any], verdict: str) -> str:
    """``"[proved] "`` and the certificate's file name when ``certificate`` verifies (from its
    JSON text, as :func:`certify_evidence` does) with the verdict ``verdict``: the prefix of an
    erratum's evidence that rests on it; else ``""``."""
    if not available():
        return ""
    from verify import certify

    cert = json.loads(certify.dumps(certificate))
    res = certify.check(cert)
    if not (res.ok and cert["verdict"] == verdict):
        return ""
    return f"[proved] (certificate {certify.file_name(cert)}: {res.message}) "


def proved_failure_note(d: int, l: int, k: int) -> str:
    """``"[proved] "`` and the certificate's file name when the Lemma 5.2 certificate at
    ``(d, l, k)`` verifies a failure (the prefix of an erratum's evidence that rests on it;
    the report counts errata whose evidence starts with ``[proved]``); else ``""``."""
    if not available():
        return ""
    from verify import certify

    cert = json.loads(certify.dumps(certify.lemma_5_2_failure_probability(d, l, k)))
    res = certify.check(cert)
    if not (res.ok and cert["verdict"] == "fails"):
        return ""
    return f"[proved] (certificate {certify.file_name(cert)}: {res.message}) "


def certify_shattering(ev: Evidence, *, patterns: list[list[Any]], points: list[list[int]],
                       directions: list[list[Any]], channel_direction: list[int],
                       a: list[Any], coefficients: list[list[Any]]) -> Evidence:
    """:func:`certify_evidence` with Theorem 4.2's shattering certificate (Section 4, Eq. 1):
    ``points`` of the support with rational ``patterns``, and one rational network per
    labelling (filter ``c`` of labelling ``b`` is ``coefficients[b][c] *
    directions[channel_direction[c]]``, second layer ``a``) at ``ev.params``' ``(n, d, l)``."""
    if not available():
        return ev
    from verify import certify

    p = ev.params
    return certify_evidence(ev, certify.theorem_4_2_shattering(
        int(p["n"]), int(p["d"]), int(p["l"]), patterns, points, directions, channel_direction,
        a, coefficients))


def certify_vc_dimension(ev: Evidence) -> Evidence:
    """:func:`certify_evidence` with Theorem 4.2's VC-dimension certificate at ``ev.params``'
    ``(n, l, d)``: the pattern sets counted over the enumerated support (upper bound) and
    shattered by the inclusion filters (lower bound)."""
    if not available():
        return ev
    from verify import certify

    p = ev.params
    return certify_evidence(ev, certify.theorem_4_2_vc_dimension(int(p["n"]), int(p["l"]),
                                                                 int(p["d"])))
