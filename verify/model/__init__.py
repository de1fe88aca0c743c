"""The paper's model: the setting and its named assumptions (Section 3), the orthonormal
patterns and the distribution D, the initialisation, the network N_CNN (Eq. 1-2) with its loss
and hand-written gradients, LW_CNN (Algorithm 1), the lucky sets of Eq. 6 and min-norm linear
separators. Nothing here knows about claims or reports; the Numba kernels are private, in
:mod:`verify.model._kernels`."""
