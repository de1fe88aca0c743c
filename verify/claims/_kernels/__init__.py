"""Compiled kernels of the claims' checkers (``*_numba.py``) and their NumPy twins
(``*_numpy.py``)."""
