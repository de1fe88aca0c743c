"""Numba kernel: Monte Carlo of the lucky-filter counts of Lemma 5.2 (fast path).

Why the fast path is exact in law
---------------------------------
Whether filter ``i`` is in ``W_0+ ∩ A+`` or ``W_0- ∩ A-`` (Eq. 6) depends only on ``a_i`` and on
the projections ``w_i . o_p`` (``p = 1..l``). For ``w_i`` uniform on the sphere of radius ``r`` in
``R^d`` and orthonormal ``o_1..o_l``, ``(w_i . o_p)_p = (r / ||g||) (g . o_p)_p`` with
``g ~ N(0, I_d)``, and ``(g . o_p)_p`` are iid ``N(0, 1)``: the projections are a positive multiple
of ``l`` iid standard normals, so the sets are those of ``l`` iid normals. Filters are iid.

Per filter the kernel reads, from the stream of the generator, in this order:

1. ``u = random()``; ``a_i = +1`` if ``u < 0.5`` else ``-1``;
2. ``z = standard_normal()``: the projection on the filter's own discriminative pattern (``o_1``
   if ``a_i = +1``, ``o_2`` if ``a_i = -1``; the other one never matters for this filter, since
   ``W_0+`` ignores ``o_2``, ``W_0-`` ignores ``o_1``, and ``A+``, ``A-`` are disjoint);
3. if ``z > 0``: up to ``l - 2`` spurious projections, one ``standard_normal()`` each, stopping
   at the first that is ``>= z``.

The filter is lucky iff ``z > 0`` and every spurious projection is ``< z`` (ties are not lucky, as
in :func:`verify.model.lucky.lucky_filters`). Skipping the draws that cannot change the outcome is a
stopping rule on an iid stream: the outcomes have exactly the law of drawing all ``l`` normals,
and the kernel reads about 4 numbers per filter instead of ``d + 1``.

``numpy.random.Generator.random`` and ``standard_normal`` called in Numba produce bit-for-bit the
NumPy stream (tested), so :mod:`verify.claims._kernels.lemma_5_2_numpy` reproduces this kernel
exactly.
"""

from __future__ import annotations

from verify.accelerate import jit


@jit
def lucky_counts_chunk(rng, k, l, plus, minus):
    """Fill ``plus[t]``, ``minus[t]`` with ``|W_0+ ∩ A+|`` and ``|W_0- ∩ A-|`` of independent
    initialisations ``t = 0..len(plus)-1`` of ``k`` filters against ``l`` patterns."""
    for t in range(plus.shape[0]):
        cp = 0
        cm = 0
        for _ in range(k):
            positive = rng.random() < 0.5
            z = rng.standard_normal()
            if z <= 0.0:
                continue
            lucky = True
            for _j in range(l - 2):
                if rng.standard_normal() >= z:
                    lucky = False
                    break
            if lucky:
                if positive:
                    cp += 1
                else:
                    cm += 1
        plus[t] = cp
        minus[t] = cm
