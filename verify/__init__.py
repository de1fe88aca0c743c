"""verify: checkers, property tests and a report for Brutzkus & Globerson, "An Optimization and
Generalization Analysis for Max-Pooling Networks".

Modules: :mod:`verify.setting` and :mod:`verify.assumptions` (the setting and the paper's named
assumptions), :mod:`verify.patterns`, :mod:`verify.distribution`, :mod:`verify.initialisation`,
:mod:`verify.network` (N_CNN, Eq. 1-2, and gradients), :mod:`verify.lw_cnn` (Algorithm 1),
:mod:`verify.evidence` and :mod:`verify.stats` (what checkers return and how probabilistic claims
are tested), and one module per claim.
"""

__version__ = "0.1.0"
