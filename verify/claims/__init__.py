"""The paper's claims, one module (or package) per claim, named after it.

Each claim module declares itself once (:data:`DECLARATION`, a
:class:`~verify.evidence.claim.ClaimDeclaration`): its names, statement, where it is in the paper,
its named assumptions, its checkers and ``report_checks(profile, seed)``, the regimes it is
reported on. :mod:`verify.claims.section_5` holds the run of LW_CNN and the helpers that the
Section 5 checkers share; :mod:`verify.claims.second_layer` the second layer's pieces that
Appendix E and Theorem 5.1 share; :mod:`verify.claims.section_7` the experiments.
"""
