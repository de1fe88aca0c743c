"""The four-lane vector intrinsics (:mod:`verify.model._kernels.simd`) against NumPy, lane by lane
and bit for bit."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from numba.core.errors import TypingError
from numpy.testing import assert_array_equal

from verify.accelerate import jit
from verify.model._kernels.simd import (
    fma,
    vadd,
    vfma,
    vload,
    vmul,
    vsel_gt,
    vsplat,
    vstore,
    vstore_index,
    vzero,
)
from verify.rng import generator


@jit
def _fma_at(x, y, z, out, off):
    vstore(out, off, vfma(vload(x, off), vload(y, off), vload(z, off)))


@jit
def _sel_gt_at(a, b, x, y, out, off):
    vstore(out, off, vsel_gt(vload(a, off), vload(b, off), vload(x, off), vload(y, off)))


@jit
def _mul_add_at(x, y, z, out, off):
    vstore(out, off, vadd(vload(z, off), vmul(vload(x, off), vload(y, off))))


@jit
def _store_index_at(v, out, off):
    vstore_index(out, off, vload(v, off))


@jit
def _splat_and_zero(x, out):
    vstore(out, 0, vsplat(x))
    vstore(out, 4, vzero())


def _fma_exact(x, y, z):
    """``x*y + z`` rounded once, through exact rational arithmetic."""
    exact = (Fraction(a) * Fraction(b) + Fraction(c) for a, b, c in zip(x, y, z, strict=True))
    return np.array([float(e) for e in exact])


def test_fma__rounds_once():
    @jit(cache=False)
    def fma_(x, y, z):
        return fma(x, y, z)

    rng = generator(0, "fma")
    for x, y, z in rng.standard_normal((200, 3)) * np.array([1.0, 1e-8, 1e-3]):
        exact = Fraction(x) * Fraction(y) + Fraction(z)
        assert fma_(x, y, z) == float(exact), (x, y, z)  # float(Fraction) rounds to nearest


def test_vfma__is_a_fused_multiply_add_lane_by_lane():
    rng = generator(0, "simd", "fma")
    x, y, z = (rng.standard_normal(12) for _ in range(3))
    z[4:8] = -x[4:8] * y[4:8]  # cancellation: x*y + z is then the rounding error of x*y
    out = np.full(12, np.nan)
    for off in (0, 4, 8):
        _fma_at(x, y, z, out, off)
    assert_array_equal(out, _fma_exact(x, y, z))
    assert np.any(out[4:8] != 0.0)  # a separate multiply and add would give exactly 0 here


def test_vsel_gt__selects_where_strictly_greater_and_never_on_nan():
    a = np.array([1.0, 0.0, -0.0, np.nan, 2.0, 2.0, np.inf, 1.0])
    b = np.array([0.0, 0.0, 0.0, 1.0, np.nan, 1.0, 1e308, 1.0 + 2**-52])
    x = np.arange(8.0)
    y = -np.arange(8.0) - 1
    out = np.empty(8)
    for off in (0, 4):
        _sel_gt_at(a, b, x, y, out, off)
    with np.errstate(invalid="ignore"):
        assert_array_equal(out, np.where(a > b, x, y))


def test_vmul_and_vadd__round_twice_unlike_vfma():
    rng = generator(0, "simd", "mul-add")
    x, y, z = (rng.standard_normal(8) for _ in range(3))
    z[4:] = -x[4:] * y[4:]
    out = np.full(8, np.nan)
    for off in (0, 4):
        _mul_add_at(x, y, z, out, off)
    assert_array_equal(out, z + x * y)  # NumPy rounds the product, then the sum
    assert_array_equal(out[4:], 0.0)


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64])
def test_vstore_index__writes_whole_numbers_exactly_into_any_integer_type(dtype):
    hi = float(min(np.iinfo(dtype).max, 2**53))  # the largest whole float64 the type holds
    v = np.array([-1.0, 0.0, 1.0, hi, 5.0, -1.0, hi - 1, 2.0])
    out = np.zeros(8, dtype=dtype)
    for off in (0, 4):
        _store_index_at(v, out, off)
    assert_array_equal(out, v.astype(dtype))
    assert out[3] == min(np.iinfo(dtype).max, 2**53)


def test_vsplat_and_vzero():
    out = np.full(8, np.nan)
    _splat_and_zero(-2.5, out)
    assert_array_equal(out, [-2.5] * 4 + [0.0] * 4)
    assert not np.any(np.signbit(out[4:]))  # +0.0, the start of every dot-product chain


def test_vload__rejects_arrays_it_cannot_address_as_float64():
    with pytest.raises(TypingError, match="C-contiguous float64"):
        _fma_at(np.ones(8, dtype=np.float32), np.ones(8), np.ones(8), np.empty(8), 0)
    with pytest.raises(TypingError, match="C-contiguous float64"):
        _fma_at(np.ones(16)[::2], np.ones(8), np.ones(8), np.empty(8), 0)
    with pytest.raises(TypingError, match="C-contiguous integer"):
        _store_index_at(np.ones(8), np.empty(8), 0)
