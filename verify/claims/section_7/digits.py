"""The digit-detection data of Section 7's Fig. 3c / Fig. 5: each input holds four digit images;
a three (label +1) or a five (label -1) sits at one uniformly random position, and the other
three positions hold "spurious" digits (0, 1, 2, 4, 6, 7, 8, 9), each a uniformly random image
of a uniformly random spurious digit.

The paper uses MNIST. No data set can be downloaded at run time, so by default the images are
**scikit-learn's bundled handwritten digits** (1,797 images of 8 x 8 pixels, values 0..16,
:func:`sklearn.datasets.load_digits`; the optional extra ``digits``): a small **stand-in for
MNIST**, not MNIST. Real MNIST is used when the path of a directory holding its IDX files
(``train-images-idx3-ubyte`` and ``train-labels-idx1-ubyte``, optionally ``.gz``) is given
(:func:`read_idx`, :func:`load_images`). Pixels are scaled to ``[0, 1]``; each image is one
position ``x[j]`` in ``R^d`` (``d = 64`` or ``784``).

Images are split once per repeat into a training pool and a test pool (60% / 40% of each
digit's images, stream ``(seed, "fig3c", r, "split")``), so no test input shares an image with
a training input.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

from verify._validate import check_int
from verify.claims.section_7.data import Dataset
from verify.rng import generator

__all__ = ["NEGATIVE", "POSITIVE", "SPURIOUS", "DigitImages", "digit_samples", "load_images",
           "read_idx", "repeat_digits"]

POSITIVE, NEGATIVE = 3, 5
SPURIOUS = (0, 1, 2, 4, 6, 7, 8, 9)
_IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


class DigitImages:
    """Images (``count x d``, values in ``[0, 1]``) and their digit labels, with ``source``
    naming where they come from."""

    def __init__(self, images: np.ndarray, labels: np.ndarray, source: str) -> None:
        images = np.asarray(images, dtype=np.float64)
        labels = np.asarray(labels, dtype=np.int64)
        if images.ndim != 2 or labels.shape != (images.shape[0],):
            raise ValueError(f"images must be count x d with one label each, got {images.shape} "
                             f"and {labels.shape}")
        missing = sorted({POSITIVE, NEGATIVE, *SPURIOUS} - set(labels.tolist()))
        if missing:
            raise ValueError(f"labels: no image of digit(s) {missing}")
        self.images, self.labels, self.source = images, labels, source

    @property
    def d(self) -> int:
        return int(self.images.shape[1])

    def subset(self, rows: np.ndarray) -> DigitImages:
        return DigitImages(self.images[rows], self.labels[rows], self.source)


def read_idx(path: str | Path) -> np.ndarray:
    """Read one IDX file (the MNIST format: two zero bytes, a type byte, the number of
    dimensions, one big-endian 4-byte size per dimension, then the data), gzipped if the name
    ends in ``.gz``.

    Raises ``ValueError`` naming ``path`` on a malformed file."""
    p = Path(path)
    opener = gzip.open if p.suffix == ".gz" else open
    with opener(p, "rb") as f:
        raw = f.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_TYPES:
        raise ValueError(f"path: {p} is not an IDX file (bad magic number)")
    ndim = raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"path: {p} is truncated (header)")
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    dtype = np.dtype(_IDX_TYPES[raw[2]])
    count = int(np.prod(shape)) if shape else 1
    if len(raw) != header + count * dtype.itemsize:
        raise ValueError(f"path: {p} has {len(raw) - header} data bytes, expected "
                         f"{count * dtype.itemsize} for shape {shape}")
    return np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape).astype(
        dtype.newbyteorder("="))


def _find(directory: Path, stem: str) -> Path:
    for name in (stem, stem + ".gz", stem.replace("-idx", ".idx"),
                 stem.replace("-idx", ".idx") + ".gz"):
        if (directory / name).is_file():
            return directory / name
    raise ValueError(f"mnist: {directory} has no {stem}[.gz]")


def load_images(mnist: str | Path | None = None) -> DigitImages:
    """scikit-learn's 8 x 8 digits (``mnist=None``; needs the ``digits`` extra), or MNIST's
    training images from the IDX files in the directory ``mnist``."""
    if mnist is None:
        try:
            from sklearn.datasets import load_digits
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ValueError("mnist: no path given and scikit-learn is not installed (pip "
                             "install 'verify[digits]')") from exc
        bunch = load_digits()
        return DigitImages(bunch.data / 16.0, bunch.target,
                           "scikit-learn load_digits (8x8, a stand-in for MNIST)")
    directory = Path(mnist)
    if not directory.is_dir():
        raise ValueError(f"mnist: {directory} is not a directory")
    images = read_idx(_find(directory, "train-images-idx3-ubyte"))
    labels = read_idx(_find(directory, "train-labels-idx1-ubyte"))
    if images.ndim != 3 or labels.ndim != 1 or images.shape[0] != labels.shape[0]:
        raise ValueError(f"mnist: images {images.shape} and labels {labels.shape} do not match")
    flat = images.reshape(images.shape[0], -1).astype(np.float64)
    return DigitImages(flat / max(float(flat.max()), 1.0), labels,
                       f"MNIST IDX files in {directory}")


def digit_samples(images: DigitImages, m: int, rng: np.random.Generator, *, n: int = 4
                  ) -> Dataset:
    """``m`` inputs of ``n`` digit images (Fig. 5): label uniform in {+1, -1}; the three
    (``+1``) or five (``-1``) at a uniform position; the others uniform spurious digits, each a
    uniform image of its digit. ``idx[s, j]`` is the digit at position ``j``."""
    if not isinstance(images, DigitImages):
        raise ValueError(f"images must be DigitImages, got {type(images).__name__}")
    m = check_int("m", m, low=1)
    n = check_int("n", n, low=1)
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    by_digit = {dg: np.flatnonzero(images.labels == dg) for dg in range(10)}
    y = rng.choice(np.array([1.0, -1.0]), size=m)
    pos = rng.integers(0, n, size=m)
    digits = np.array(SPURIOUS)[rng.integers(0, len(SPURIOUS), size=(m, n))]
    digits[np.arange(m), pos] = np.where(y > 0, POSITIVE, NEGATIVE)
    rows = np.empty((m, n), dtype=np.int64)
    for dg, pool in by_digit.items():
        mask = digits == dg
        rows[mask] = pool[rng.integers(0, pool.size, size=int(mask.sum()))]
    X = images.images[rows]
    return Dataset(np.ascontiguousarray(X), y, digits)


def repeat_digits(images: DigitImages, seed: int, repeat: int, *, m_train: int, m_test: int,
                  n: int = 4) -> tuple[Dataset, Dataset]:
    """One repeat's training pool and test set, from disjoint image pools (60% / 40% of each
    digit's images, at least one each, split by the stream ``(seed, "fig3c", repeat,
    "split")``)."""
    repeat = check_int("repeat", repeat, low=0)
    rng = generator(seed, "fig3c", repeat, "split")
    train_rows, test_rows = [], []
    for digit in range(10):  # stratified, so that both pools hold every digit
        rows = rng.permutation(np.flatnonzero(images.labels == digit))
        cut = max(1, min(rows.size - 1, int(0.6 * rows.size)))
        train_rows.append(rows[:cut])
        test_rows.append(rows[cut:])
    train_imgs = images.subset(np.sort(np.concatenate(train_rows)))
    test_imgs = images.subset(np.sort(np.concatenate(test_rows)))
    train = digit_samples(train_imgs, m_train, generator(seed, "fig3c", repeat, "train"), n=n)
    test = digit_samples(test_imgs, m_test, generator(seed, "fig3c", repeat, "test"), n=n)
    return train, test
