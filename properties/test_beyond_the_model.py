"""The relaxed model beside D (verify.model.relaxed): coherent patterns have the stated Gram
matrix for any coherence and size, and mu = sigma = 0 is D, whose run reproduces the Section 5
checkers' evidence."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from properties.strategies import settings_theorem_5_1
from verify.claims.beyond_the_model import evaluate_point
from verify.claims.lemma_c2 import check_setting
from verify.model.patterns import haar_patterns
from verify.model.relaxed import RelaxedModel, coherent_patterns
from verify.rng import generator


@st.composite
def _sizes(draw):
    d = draw(st.integers(3, 12))
    return d, draw(st.integers(3, d)), draw(st.integers(0, 2**32 - 1))


@given(_sizes(), st.floats(0.0, 0.99))
def test_coherent_patterns__gram_is_exact_for_any_size_and_coherence(size, mu):
    d, l, seed = size
    O = haar_patterns(d, l, generator(seed, "patterns"))
    Om = coherent_patterns(O, mu)
    G = Om @ Om.T
    assert_allclose(G.diagonal(), 1.0, rtol=0, atol=1e-12)
    off = G[~np.eye(l, dtype=bool)]
    assert_allclose(off, mu, rtol=0, atol=1e-12)


@given(settings_theorem_5_1())
def test_evaluate_point__exact_model_is_d_and_its_lemma_c2_row(s):
    out = evaluate_point(s, RelaxedModel(), fresh=2, test_points=10)
    want = check_setting(s)
    got = out.evidence["lemma_c2"]
    assert (got.verdict, got.observed, got.details) == (want.verdict, want.observed, want.details)
