"""Reusable Hypothesis strategies over the paper's setting (Section 3 and Theorem 5.1).

They live in the library (not in ``properties/``) because :mod:`verify.fuzzing`, which the report
runs, draws from them too; ``properties/strategies.py`` re-exports them. Small shapes, bounded
finite values. Strategies that build a :class:`~verify.model.setting.Setting` draw inside a claim's
assumptions unless their name says otherwise.
"""

from __future__ import annotations

from hypothesis import strategies as st

from verify.model.setting import Setting, largest_allowed_steps, minimal_setting

__all__ = [
    "seeds",
    "settings_any",
    "settings_initialisation",
    "settings_sample_size",
    "settings_theorem_5_1",
    "settings_vc",
    "violating",
]

seeds = st.integers(min_value=0, max_value=2**32 - 1)


@st.composite
def settings_theorem_5_1(
    draw: st.DrawFn,
    *,
    max_d: int = 4,
    max_n: int = 6,
    max_T1: int = 8,
    max_k_extra: int = 200,
    max_m: int = 80,
) -> Setting:
    """A setting inside every assumption of Theorem 5.1, including its corners: ``T1 = 1``,
    the largest ``eta1`` and ``r`` allowed, ``k`` just above ``8 d^3``, ``d = 3``, ``l = d``."""
    d = draw(st.integers(3, max_d))
    l = draw(st.integers(3, d))
    n = draw(st.integers(1, max_n))
    k = 8 * d**3 + 1 + draw(st.integers(0, max_k_extra))
    T1 = draw(st.integers(1, max_T1))
    eta1_max, _ = largest_allowed_steps(d, k, T1)
    eta1 = eta1_max * draw(st.sampled_from([1.0, 0.5, 0.1]))
    r = eta1 / 200 * draw(st.sampled_from([1.0, 0.5, 0.01]))
    eta2 = 8 * k * draw(st.sampled_from([0.5, 0.9, 0.999]))
    m = draw(st.integers(2, max_m))
    T2 = draw(st.integers(0, 50))
    return Setting(d=d, l=l, n=n, k=k, m=m, eta1=eta1, eta2=eta2, r=r, T1=T1, T2=T2,
                   seed=draw(seeds))


@st.composite
def settings_any(draw: st.DrawFn, *, max_d: int = 6, max_n: int = 6, max_k: int = 300) -> Setting:
    """Any valid setting of Section 3 (no assumption of Theorem 5.1 imposed)."""
    d = draw(st.integers(3, max_d))
    l = draw(st.integers(3, d))
    T1 = draw(st.integers(0, 10))
    eta1 = draw(st.floats(1e-6, 1.0))
    return Setting(
        d=d,
        l=l,
        n=draw(st.integers(1, max_n)),
        k=draw(st.integers(1, max_k)),
        m=draw(st.integers(2, 100)),
        eta1=eta1,
        eta2=draw(st.floats(1e-3, 1e4)),
        r=draw(st.floats(1e-8, 1.0)),
        T1=T1,
        T2=draw(st.integers(0, 50)),
        seed=draw(seeds),
    )


@st.composite
def settings_initialisation(draw: st.DrawFn, *, max_d: int = 10, max_k_factor: int = 4) -> Setting:
    """A setting for the claims about ``(W_0, a_0)`` alone (Lemma 5.2): ``3 <= l <= d <= max_d``
    (every ``l`` the setting allows, not only the proof's ``l = d``) and
    ``8d^3 <= k <= max_k_factor * 8d^3``; the other fields are the smallest valid ones, with the
    largest steps Theorem 5.1 allows at ``T1 = 1``."""
    d = draw(st.integers(3, max_d))
    l = draw(st.integers(3, d))
    k = 8 * d**3 + draw(st.integers(0, (max_k_factor - 1) * 8 * d**3))
    return minimal_setting(d, l, k, seed=draw(seeds))


@st.composite
def settings_sample_size(draw: st.DrawFn, *, max_m: int = 2000) -> Setting:
    """A setting for the claims about the sample split alone (Eq. 14): ``2 <= m <= max_m``; the
    other fields as in :func:`settings_initialisation` at ``d = l = 3``."""
    m = draw(st.integers(2, max_m))
    return minimal_setting(3, 3, 217, m=m, seed=draw(seeds))


@st.composite
def settings_vc(draw: st.DrawFn, *, max_n: int = 7) -> Setting:
    """A setting for Theorem 4.2: ``d = 2n`` with ``2 <= n <= max_n`` and every ``3 <= l <= d``
    (the proof uses ``l = d``; the statement does not ask for it); the other fields are the
    smallest valid ones."""
    n = draw(st.integers(2, max_n))
    d = max(3, 2 * n)
    l = draw(st.integers(3, d))
    return minimal_setting(d, l, 8 * d**3 + 1, n=n, seed=draw(seeds))


def _log_factor(draw: st.DrawFn, low: float, high: float) -> float:
    """A factor in ``(low, high]``, log-uniform-ish, hitting both ends (shrinks toward ``high``
    being small)."""
    return low * (high / low) ** draw(st.sampled_from([0.001, 0.01, 0.1, 0.3, 0.5, 1.0]))


@st.composite
def violating(draw: st.DrawFn, base: st.SearchStrategy[Setting], assumption: str) -> Setting:
    """A setting from ``base`` changed so that the named assumption fails (and as little else as
    possible changes: callers filter on the claim's other assumptions).

    Known names: those of :data:`verify.model.assumptions.ASSUMPTIONS` that constrain the setting.
    """
    s = draw(base)
    if assumption == "T1>0":
        return s.replace(T1=0)
    if assumption == "eta1<=1/(4k(T1+1))":
        eta1_max = 1.0 / (4.0 * s.k * (s.T1 + 1))
        return s.replace(eta1=eta1_max * _log_factor(draw, 1.5, 1e4))
    if assumption == "eta2<8k":
        return s.replace(eta2=8.0 * s.k * _log_factor(draw, 1.0, 1e3))
    if assumption == "r<=eta1/200":
        return s.replace(r=s.eta1 / 200.0 * _log_factor(draw, 1.5, 150.0))
    if assumption == "r<=eta1":
        return s.replace(r=s.eta1 * _log_factor(draw, 1.5, 100.0))
    if assumption in ("k>8d^3", "k>=8d^3"):
        top = 8 * s.d**3 if assumption == "k>8d^3" else 8 * s.d**3 - 1
        return s.replace(k=draw(st.integers(1, top)))
    if assumption == "d=2n":
        d = draw(st.integers(3, 24).filter(lambda d: d != 2 * s.n))
        # keep l = d when it held (the other condition the claim's proof uses), else l <= d
        return s.replace(d=d, l=d if s.l == s.d else min(s.l, d))
    if assumption == "l=d":
        if s.d < 4:
            s = s.replace(d=4, k=max(s.k, 8 * 4**3 + 1))
        return s.replace(l=draw(st.integers(3, s.d - 1)))
    raise ValueError(f"assumption: no way to violate {assumption!r} alone")
