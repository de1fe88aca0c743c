"""Plain-Python/NumPy twin of :mod:`verify.claims._kernels.lemma_5_2_numba`: the same draws in the
same order, so the same generator gives the same counts. Slow and obvious on purpose.

With ``record=True`` it also returns what it read as projections ``P`` (``trials x k x l``) and
output weights ``a``; entries it never read are set to ``0.0``, which cannot change the outcome
(an unread spurious projection only occurs when the filter is already decided not lucky, and the
other discriminative column is ignored by the set the filter's sign selects). Then
``verify.model.lucky.lucky_filters(P[t], a[t])`` must reproduce the counts exactly.
"""

from __future__ import annotations

import numpy as np


def lucky_counts_chunk(rng, k, l, plus, minus, record=False):
    trials = plus.shape[0]
    P = np.zeros((trials, k, l)) if record else None
    A = np.zeros((trials, k)) if record else None
    for t in range(trials):
        cp = cm = 0
        for i in range(k):
            positive = rng.random() < 0.5
            own = 0 if positive else 1
            z = rng.standard_normal()
            if record:
                A[t, i] = 1.0 if positive else -1.0
                P[t, i, own] = z
            if z <= 0.0:
                continue
            lucky = True
            for j in range(2, l):
                s = rng.standard_normal()
                if record:
                    P[t, i, j] = s
                if s >= z:
                    lucky = False
                    break
            if lucky:
                if positive:
                    cp += 1
                else:
                    cm += 1
        plus[t] = cp
        minus[t] = cm
    return (P, A) if record else None
