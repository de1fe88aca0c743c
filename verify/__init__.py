"""verify: checkers, property tests and a report for Brutzkus & Globerson, "An Optimization and
Generalization Analysis for Max-Pooling Networks".

Modules: :mod:`verify.model.setting` and :mod:`verify.model.assumptions` (the setting and the
paper's named assumptions), :mod:`verify.model.patterns`, :mod:`verify.model.distribution`,
:mod:`verify.model.initialisation`,
:mod:`verify.model.network` (N_CNN, Eq. 1-2, and gradients), :mod:`verify.model.lw_cnn` (Algorithm
1),
:mod:`verify.evidence` and :mod:`verify.evidence.stats` (what checkers return and how probabilistic
claims are tested), and one module per claim.
"""

__version__ = "0.1.0"
