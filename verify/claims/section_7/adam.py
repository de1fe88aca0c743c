"""Adam (Kingma & Ba, 2014, Algorithm 1), the optimiser Section 7 trains ConvPool and the MLP
with.

For each parameter array ``theta`` with gradient ``g``, at step ``t = 1, 2, ...``::

    m <- beta1 m + (1 - beta1) g
    v <- beta2 v + (1 - beta2) g^2
    theta <- theta - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)

(the paper's defaults ``beta1 = 0.9``, ``beta2 = 0.999``, ``eps = 1e-8``). Elementwise and in a
fixed order: the same gradients give the same parameters, bit for bit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from verify._validate import check_positive_float, check_probability

__all__ = ["Adam"]


class Adam:
    """Adam state for a fixed list of parameter arrays, updated in place by :meth:`step`.

    Examples
    --------
    >>> theta = np.array([1.0, -2.0])
    >>> opt = Adam([theta], lr=0.1)
    >>> opt.step([theta.copy()])  # the first step moves each coordinate by ~lr against g
    >>> theta
    array([ 0.9, -1.9])
    """

    def __init__(
        self,
        params: Sequence[np.ndarray],
        *,
        lr: float = 1e-3,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
    ) -> None:
        self.lr = check_positive_float("lr", lr)
        self.beta1 = check_probability("beta1", beta1, open_interval=True)
        self.beta2 = check_probability("beta2", beta2, open_interval=True)
        self.eps = check_positive_float("eps", eps)
        params = list(params)
        if not params:
            raise ValueError("params must hold at least one array")
        for i, p in enumerate(params):
            if not isinstance(p, np.ndarray) or p.dtype != np.float64 or not p.flags.writeable:
                raise ValueError(f"params[{i}] must be a writeable float64 numpy array")
        self.params = params
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self._num = [np.empty_like(p) for p in params]  # scratch: no temporaries per step
        self._den = [np.empty_like(p) for p in params]
        self.t = 0

    def step(self, grads: Sequence[np.ndarray]) -> None:
        """One Adam update of every parameter with its gradient (same order and shapes)."""
        grads = list(grads)
        if len(grads) != len(self.params):
            raise ValueError(f"grads must hold {len(self.params)} arrays, got {len(grads)}")
        for i, (p, g) in enumerate(zip(self.params, grads, strict=True)):
            if np.shape(g) != p.shape:
                raise ValueError(f"grads[{i}] must have shape {p.shape}, got {np.shape(g)}")
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        c1 = 1.0 - b1**self.t
        c2 = 1.0 - b2**self.t
        lr, eps = self.lr, self.eps
        for p, g, m, v, num, den in zip(self.params, grads, self.m, self.v, self._num,
                                        self._den, strict=True):
            # In place, operation by operation the formula of the module docstring (products
            # are commutative in IEEE arithmetic, so the bits are those of the plain formula).
            m *= b1
            np.multiply(g, 1.0 - b1, out=num)
            m += num
            v *= b2
            np.multiply(g, g, out=den)
            den *= 1.0 - b2
            v += den
            np.divide(v, c2, out=den)
            np.sqrt(den, out=den)
            den += eps
            np.divide(m, c1, out=num)
            num *= lr
            num /= den
            p -= num
