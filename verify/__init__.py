"""verify: checkers, property tests and a report for Brutzkus & Globerson, "An Optimization and
Generalization Analysis for Max-Pooling Networks".

The package is in layers, each importing only from the layers below it (``tests/test_layout.py``
checks this):

- the foundation: :mod:`verify.rng` (named random streams), :mod:`verify.accelerate` (the Numba
  options), ``verify._validate`` and ``verify._cli``;
- :mod:`verify.evidence`: what checkers return (:class:`~verify.evidence.Evidence`,
  :class:`~verify.evidence.Erratum`, verdicts), :mod:`verify.evidence.stats` (exact binomial
  tests), :mod:`verify.evidence.claim` (how a claim declares itself);
- :mod:`verify.model`: the paper's model: the setting and its named assumptions, the patterns,
  the distribution D, the initialisation, the network N_CNN (Eq. 1-2, hand-written gradients;
  dense and pattern-coordinate paths), LW_CNN (Algorithm 1), the lucky sets (Eq. 6) and min-norm
  separators; its Numba kernels are private, in ``verify.model._kernels``;
- :mod:`verify.claims`: one module (or package) per claim, named after it (``lemma_5_3``,
  ``theorem_4_2``, ...), each ending with its ``DECLARATION``; the proof algebra, the text's
  errata and Section 7's experiments are there too;
- the machinery that runs claims and renders them: :mod:`verify.report` (``python -m
  verify.report``), :mod:`verify.fuzzing` (the assumptions table) and :mod:`verify.experiments`
  (Section 7's command line).
"""

__version__ = "0.1.0"

import sys as _sys

if _sys.argv[:1] == ["-m"]:  # ``python -m verify.<command>`` is starting (runpy sets "-m" while
    # it imports the command's packages): Ctrl-C is one line and status 130 from here on, before
    # any heavy module loads (:func:`verify._cli.guard`)
    from verify._cli import guard as _guard

    _guard()
