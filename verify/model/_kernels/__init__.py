"""Compiled kernels (``*_numba.py``) and their plain-NumPy reference twins (``*_numpy.py``).

Private: call them through the public modules (:mod:`verify.model.network`, ...)."""
