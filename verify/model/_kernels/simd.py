"""Four-lane float64 vectors for the Numba kernels (LLVM ``<4 x double>`` values), and the
scalar fused multiply-add that the kernels' dot products share with them.

LLVM's auto-vectoriser vectorises one innermost loop at a time; it does not block registers
across two loop levels the way a matrix-multiplication micro-kernel does, and on AVX2 (16 vector
registers) the dense forward pass it produced ran at a third of the FMA peak, reloading spilled
broadcasts and accumulators from the stack. These intrinsics let a kernel hold a tile of
accumulators in registers explicitly. Each is exact IEEE arithmetic lane by lane (no
``fastmath``): :func:`vfma` is ``llvm.fma`` (one rounding), :func:`vsel_gt` an ordered ``>``
and a select. On any target LLVM lowers ``<4 x double>`` to what the CPU has (one AVX register,
two SSE2 or NEON registers), with the same results.

Loads and stores take a C-contiguous array and a flat element offset; they are not bounds
checked, so callers keep ``offset + 4 <= array.size``.
"""

from __future__ import annotations

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.core.errors import TypingError
from numba.extending import intrinsic, models, register_model

__all__ = [
    "fma",
    "vadd",
    "vec4",
    "vfma",
    "vload",
    "vmul",
    "vsel_gt",
    "vsplat",
    "vstore",
    "vstore_index",
    "vzero",
]

_V4 = ir.VectorType(ir.DoubleType(), 4)


class Vec4Type(types.Type):
    """Numba type of four float64 lanes."""

    def __init__(self) -> None:
        super().__init__(name="Vec4")


vec4 = Vec4Type()


@register_model(Vec4Type)
class _Vec4Model(models.PrimitiveModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, _V4)


def _vector_pointer(context, builder, arrty, arr, offset, vty=_V4):
    data = context.make_array(arrty)(context, builder, arr).data
    return builder.bitcast(builder.gep(data, [offset]), vty.as_pointer())


def _check_array(arr):
    if not (isinstance(arr, types.Array) and arr.dtype == types.float64 and arr.layout == "C"):
        raise TypingError(f"expected a C-contiguous float64 array, got {arr}")


@intrinsic
def vload(typingctx, arr, offset):
    """``arr.flat[offset : offset + 4]``."""
    _check_array(arr)

    def codegen(context, builder, sig, args):
        return builder.load(_vector_pointer(context, builder, sig.args[0], *args), align=8)

    return vec4(arr, offset), codegen


@intrinsic
def vstore(typingctx, arr, offset, v):
    """``arr.flat[offset : offset + 4] = v``."""
    _check_array(arr)

    def codegen(context, builder, sig, args):
        builder.store(args[2], _vector_pointer(context, builder, sig.args[0], args[0], args[1]),
                      align=8)
        return context.get_dummy_value()

    return types.void(arr, offset, vec4), codegen


@intrinsic
def vstore_index(typingctx, arr, offset, v):
    """``arr.flat[offset : offset + 4] = v`` for an integer array: ``v``'s lanes are whole
    numbers that ``arr``'s type holds (indices), converted exactly."""
    if not (isinstance(arr, types.Array) and isinstance(arr.dtype, types.Integer)
            and arr.layout == "C"):
        raise TypingError(f"expected a C-contiguous integer array, got {arr}")

    def codegen(context, builder, sig, args):
        vty = ir.VectorType(context.get_value_type(sig.args[0].dtype), 4)
        ptr = _vector_pointer(context, builder, sig.args[0], args[0], args[1], vty)
        builder.store(builder.fptosi(args[2], vty), ptr, align=1)
        return context.get_dummy_value()

    return types.void(arr, offset, vec4), codegen


@intrinsic
def vsplat(typingctx, x):
    """``(x, x, x, x)``."""

    def codegen(context, builder, sig, args):
        i32 = ir.IntType(32)
        v = builder.insert_element(ir.Constant(_V4, ir.Undefined), args[0], ir.Constant(i32, 0))
        return builder.shuffle_vector(v, v, ir.Constant(ir.VectorType(i32, 4), [0, 0, 0, 0]))

    return vec4(types.float64), codegen


@intrinsic
def vzero(typingctx):
    """``(+0.0, +0.0, +0.0, +0.0)``."""

    def codegen(context, builder, sig, args):
        return ir.Constant(_V4, [0.0] * 4)

    return vec4(), codegen


@intrinsic
def fma(typingctx, x, y, z):
    """``x*y + z`` rounded once (``llvm.fma.f64``: exact IEEE semantics on every target, a single
    instruction where the CPU has FMA); :func:`vfma` lane by lane."""

    def codegen(context, builder, sig, args):
        dbl = ir.DoubleType()
        fn = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(dbl, [dbl] * 3), "llvm.fma.f64"
        )
        return builder.call(fn, args)

    return types.float64(types.float64, types.float64, types.float64), codegen


@intrinsic
def vfma(typingctx, x, y, z):
    """``x*y + z`` lane by lane, rounded once (``llvm.fma.v4f64``)."""

    def codegen(context, builder, sig, args):
        fn = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(_V4, [_V4] * 3), "llvm.fma.v4f64"
        )
        return builder.call(fn, args)

    return vec4(vec4, vec4, vec4), codegen


@intrinsic
def vmul(typingctx, x, y):
    """``x*y`` lane by lane."""

    def codegen(context, builder, sig, args):
        return builder.fmul(*args)

    return vec4(vec4, vec4), codegen


@intrinsic
def vadd(typingctx, x, y):
    """``x + y`` lane by lane."""

    def codegen(context, builder, sig, args):
        return builder.fadd(*args)

    return vec4(vec4, vec4), codegen


@intrinsic
def vsel_gt(typingctx, a, b, x, y):
    """``x if a > b else y`` lane by lane (ordered ``>``: false when either is NaN)."""

    def codegen(context, builder, sig, args):
        return builder.select(builder.fcmp_ordered(">", args[0], args[1]), args[2], args[3])

    return vec4(vec4, vec4, vec4, vec4), codegen
