"""Fig. 3c / Fig. 5: the digit-detection data (scikit-learn's digits as a stand-in
for MNIST, or MNIST from local IDX files), the IDX reader, and Section 7's two remarks on its
setup (MLP parameter count, layer-wise training)."""

from __future__ import annotations

import gzip
import struct

import numpy as np
import pytest

from verify import experiments
from verify.claims.figure_3c import (
    CLAIM_LAYERWISE,
    check_layerwise,
    check_parameter_count,
    run_fig3c,
)
from verify.claims.section_7.digits import (
    NEGATIVE,
    POSITIVE,
    SPURIOUS,
    DigitImages,
    digit_samples,
    load_images,
    read_idx,
    repeat_digits,
)
from verify.claims.section_7.figures import FigureSpec, Record
from verify.evidence import Verdict
from verify.rng import generator


def _write_idx(path, array, type_byte=0x08, gz=False):
    head = bytes([0, 0, type_byte, array.ndim]) + b"".join(
        struct.pack(">I", s) for s in array.shape)
    data = head + array.astype(">u1" if type_byte == 0x08 else ">i4").tobytes()
    with (gzip.open if gz else open)(path, "wb") as f:
        f.write(data)


def _tiny_mnist(tmp_path, gz=False):
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(10, dtype=np.uint8), 3)
    images = rng.integers(0, 256, size=(30, 3, 3)).astype(np.uint8)
    suffix = ".gz" if gz else ""
    _write_idx(tmp_path / f"train-images-idx3-ubyte{suffix}", images, gz=gz)
    _write_idx(tmp_path / f"train-labels-idx1-ubyte{suffix}", labels, gz=gz)
    return images, labels


@pytest.mark.parametrize("gz", [False, True])
def test_read_idx__round_trips_a_tiny_file(tmp_path, gz):
    images, labels = _tiny_mnist(tmp_path, gz=gz)
    suffix = ".gz" if gz else ""
    assert np.array_equal(read_idx(tmp_path / f"train-images-idx3-ubyte{suffix}"), images)
    assert np.array_equal(read_idx(tmp_path / f"train-labels-idx1-ubyte{suffix}"), labels)
    ints = np.arange(6, dtype=np.int64).reshape(2, 3) - 2
    _write_idx(tmp_path / "ints.idx", ints, type_byte=0x0C)
    assert np.array_equal(read_idx(tmp_path / "ints.idx"), ints)


def test_read_idx__rejects_malformed_files(tmp_path):
    (tmp_path / "bad").write_bytes(b"\x01\x02\x08\x01")
    with pytest.raises(ValueError, match="magic"):
        read_idx(tmp_path / "bad")
    (tmp_path / "short").write_bytes(bytes([0, 0, 8, 1]) + struct.pack(">I", 5) + b"ab")
    with pytest.raises(ValueError, match="data bytes"):
        read_idx(tmp_path / "short")


def test_load_images__mnist_from_idx_files_scaled_to_unit_interval(tmp_path):
    images, labels = _tiny_mnist(tmp_path)
    got = load_images(tmp_path)
    assert got.d == 9
    assert np.array_equal(got.labels, labels)
    assert np.allclose(got.images, images.reshape(30, 9) / images.max())
    assert "MNIST" in got.source
    with pytest.raises(ValueError, match="mnist"):
        load_images(tmp_path / "missing")


def test_load_images__default_is_the_labelled_stand_in():
    pytest.importorskip("sklearn", reason="needs the digits extra (scikit-learn)")
    im = load_images()
    assert im.d == 64
    assert im.images.shape[0] == 1797
    assert "stand-in for MNIST" in im.source
    assert im.images.min() >= 0.0
    assert im.images.max() <= 1.0


def test_digit_samples__one_three_or_five_per_input_the_rest_spurious():
    pytest.importorskip("sklearn", reason="needs the digits extra (scikit-learn)")
    im = load_images()
    S = digit_samples(im, 400, generator(0, "t"), n=4)
    assert S.X.shape == (400, 4, 64)
    disc = np.isin(S.idx, (POSITIVE, NEGATIVE))
    assert (disc.sum(axis=1) == 1).all()
    assert np.isin(S.idx[~disc], SPURIOUS).all()
    assert np.array_equal(np.where((S.idx == POSITIVE).any(axis=1), 1.0, -1.0), S.y)
    assert 150 < (S.y > 0).sum() < 250
    # each position holds an image of the digit it claims
    rows = [np.flatnonzero((im.images == S.X[s, j]).all(axis=1)) for s, j in ((0, 0), (5, 2))]
    assert im.labels[rows[0][0]] == S.idx[0, 0]
    assert im.labels[rows[1][0]] == S.idx[5, 2]


def test_repeat_digits__train_and_test_images_are_disjoint_and_reproducible():
    pytest.importorskip("sklearn", reason="needs the digits extra (scikit-learn)")
    im = load_images()
    train, test = repeat_digits(im, 0, 1, m_train=50, m_test=50)
    again, _ = repeat_digits(im, 0, 1, m_train=50, m_test=50)
    assert np.array_equal(train.X, again.X)
    tr = {x.tobytes() for x in train.X.reshape(-1, 64)}
    te = {x.tobytes() for x in test.X.reshape(-1, 64)}
    # images that occur twice in the data set could meet across the pools; none do here
    assert not (tr & te)
    with pytest.raises(ValueError, match="labels"):
        DigitImages(np.zeros((2, 4)), np.array([3, 5]), "x")


def test_check_parameter_count__mlp_matches_convpool_up_to_one_unit():
    for n, d in ((10, 20), (4, 64), (4, 784)):
        ev = check_parameter_count(n, d)
        assert ev.verdict is Verdict.HOLDS
        assert abs(ev.details["mlp"] - ev.details["convpool"]) <= ev.details["one_unit"] / 2


def _rec(model, m, r, err):
    return Record("fig3c", r, 4, m, model, err, 0.0, 0.0, 0, 0, 0, None)


def test_check_layerwise__similar_holds_different_fails():
    e2e = [_rec("ConvPool", 40, r, 0.1) for r in range(3)]
    close = check_layerwise(e2e, [_rec("ConvPool", 40, r, 0.12) for r in range(3)])
    assert close.verdict is Verdict.HOLDS
    assert close.claim == CLAIM_LAYERWISE
    far = check_layerwise(e2e, [_rec("ConvPool", 40, r, 0.3) for r in range(3)])
    assert far.verdict is Verdict.FAILS
    with pytest.raises(ValueError, match="layerwise"):
        check_layerwise(e2e, [])


def test_run_fig3c__deterministic_on_tiny_mnist(tmp_path):
    _tiny_mnist(tmp_path)
    im = load_images(tmp_path)
    spec = FigureSpec("fig3c", "t", ns=(4,), sizes=(6, 12), noise=0.0, d=9, k=8, m_test=20,
                      repeats=2)
    a = run_fig3c(spec, 0, im, layerwise=(12,))
    assert a == run_fig3c(spec, 0, im, layerwise=(12,))
    recs, lw = a
    assert len(recs) == 2 * 2 * 3
    assert len(lw) == 2
    assert {r.m for r in lw} == {12}


def test_main__fig3c_with_mnist_idx_files(tmp_path, capsys):
    (tmp_path / "m").mkdir()
    _tiny_mnist(tmp_path / "m")
    code = experiments.main(["fig3c", "--quick", "--repeats", "2", "--mnist",
                             str(tmp_path / "m"), "--out", str(tmp_path / "o"),
                             "--no-progress"])
    assert code in (0, 1)
    page = (tmp_path / "o" / "fig3c.md").read_text()
    assert "MNIST IDX files" in page
    assert "MNIST" in capsys.readouterr().err
    assert experiments.main(["fig3c", "--mnist", str(tmp_path / "nope"), "--out",
                             str(tmp_path / "o")]) == 2


def test_report_checks__without_scikit_learn_fig3c_is_not_tested(monkeypatch):
    import sys

    from verify.claims import figure_3c
    from verify.evidence import Verdict

    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)  # import fails as if absent
    out = figure_3c.report_checks("quick", 0)
    assert out[0].claim == figure_3c.CLAIM
    assert out[0].verdict is Verdict.NOT_TESTED
    assert "scikit-learn is not installed" in out[0].reason
    assert out[0].details == {"tested": False}
    assert out[1].claim == figure_3c.CLAIM_PARAMS
