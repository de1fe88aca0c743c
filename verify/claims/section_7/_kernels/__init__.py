"""Compiled kernels of Section 7's MLP (``mlp_numba.py``) and its NumPy twin (``mlp_numpy.py``)."""
