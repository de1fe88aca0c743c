"""The identity steps of the proof algebra (:mod:`verify.claims.proof_algebra`) as the paper
writes them, before SymPy's automatic simplification: the sides (and, for Eq. 5, the algebra
``J^2 = N J`` as an assumption) in :mod:`verify.certify._algebra`'s grammar. Their certificates
carry these forms, and :mod:`verify.certify` performs the reduction itself; a test checks that
each form equals the step SymPy decides."""

from __future__ import annotations

from typing import Any

__all__ = ["PAPER"]

PAPER: dict[str, dict[str, Any]] = {
    "B.1": {"lhs": "(1/2)*(1 - 2**(-d + 1))/(d - 1)", "rhs": "(1 - 2**(-d + 1))/(2*(d - 1))"},
    "B.2": {"lhs": "2*exp(-2*k*(1/(4*d))**2)", "rhs": "2*exp(-k/(8*d**2))"},
    "C.10": {"lhs": "t*eta1/9 + eta1/9", "rhs": "(t + 1)*eta1/9"},
    "E.1": {"lhs": "(80*d/(k*eta1*T1))*(k/(4*d))*(eta1*T1/10) "
                   "- (80*d/(k*eta1*T1))*(k/d)*(eta1*T1/80)", "rhs": "1"},
    "E.5": {"lhs": "(80*d/(k*eta1*T1))**2*(2*k/d)", "rhs": "2*80**2*d/(k*eta1**2*T1**2)"},
    "E.6": {"lhs": "k*(2*eta1*T1)**2", "rhs": "4*k*eta1**2*T1**2"},
    "E.7": {"lhs": "(2*80**2*d/(k*eta1**2*T1**2))*(4*k*eta1**2*T1**2)", "rhs": "51200*d"},
    "T.1": {"lhs": "(J - 1)*(J/(N - 1) - 1)", "rhs": "1",
            "assumptions": [["J**2", "==", "N*J"], ["N - 1", "!=", "0"]]},
}
