"""The three models of Section 7 (:mod:`verify.claims.section_7.models`): the SVM's separable and
non-separable paths, ConvPool's and the MLP's training, and the shared helpers."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from verify.claims.section_7 import models
from verify.claims.section_7.data import Dataset, repeat_data
from verify.claims.section_7.models import (
    TrainConfig,
    convpool_parameter_count,
    decision,
    error_rate,
    separators_fit,
    train_convpool,
    train_mlp,
    train_model,
    train_svm,
)
from verify.model import separators
from verify.rng import generator


def _dataset(X, y):
    X = np.asarray(X, dtype=float)
    return Dataset(X, np.asarray(y, dtype=float), np.zeros(X.shape[:2], dtype=np.int64))


def test_train_svm__separable_data_get_the_hard_margin_svm():
    _, pool, test = repeat_data(0, "svm", 0, d=6, n=3, m_train=30, m_test=200, noise=0.0)
    model = train_svm(pool)
    assert model.info["separable"] is True
    assert model.info["C"] is None
    assert model.info["status"] == "optimal"
    assert model.info["kkt_residual"] < 1e-6
    assert model.train_error == 0.0
    w, b = model.params
    margins = pool.y * (pool.flat @ w + b[0])
    assert margins.min() == pytest.approx(1.0, abs=1e-6)  # the hard margin is tight
    assert model.n_params == 6 * 3 + 1
    assert 0.0 <= error_rate(model, test) <= 1.0


def test_train_svm__non_separable_data_fall_back_to_soft_margin():
    # XOR in the plane: no line separates it
    X = [[[1.0, 1.0]], [[-1.0, -1.0]], [[1.0, -1.0]], [[-1.0, 1.0]]]
    model = train_svm(_dataset(X, [1, 1, -1, -1]), C=100.0)
    assert model.info["separable"] is False
    assert model.info["C"] == 100.0
    assert model.info["status"] == "optimal"
    assert model.train_error > 0


def test_separators_fit__both_paths():
    sep, separable = separators_fit(np.array([[2.0], [-1.0]]), np.array([1.0, -1.0]))
    assert separable
    assert sep.optimal
    sep, separable = separators_fit(np.array([[1.0], [1.0]]), np.array([1.0, -1.0]), C=10.0)
    assert not separable
    assert sep.optimal


def test_separators_fit__solver_stopping_short_raises(monkeypatch):
    def stuck(Z, y, *, bias):
        n = Z.shape[1]
        return separators.Separator(np.zeros(n), 0.0, "MaxIterations", 0.0, np.zeros(len(y)),
                                    np.nan, 0.0)

    monkeypatch.setattr(models, "min_norm_separator", stuck)
    with pytest.raises(RuntimeError, match="MaxIterations"):
        separators_fit(np.array([[1.0], [-1.0]]), np.array([1.0, -1.0]))


def test_train_convpool__reaches_zero_training_error_on_D():
    _, pool, test = repeat_data(0, "cp", 0, d=6, n=3, m_train=40, m_test=200, noise=0.0)
    model = train_convpool(pool, k=30, rng=generator(0, "cp-init"))
    assert model.kind == "ConvPool"
    assert model.n_params == convpool_parameter_count(30, 6)
    assert model.train_error == 0.0
    assert model.train_loss < 0.05  # k = 30: the 1000-step budget ends before loss_tol
    assert model.steps > 0
    assert model.epochs > 0
    assert decision(model, test.X).shape == (200,)
    assert error_rate(model, test) < 0.1


def test_train_mlp__reaches_zero_training_error_and_is_deterministic():
    _, pool, _ = repeat_data(0, "mlp", 0, d=6, n=3, m_train=40, m_test=10, noise=1.0)
    a = train_mlp(pool, h=8, rng=generator(0, "mlp-init"))
    b = train_mlp(pool, h=8, rng=generator(0, "mlp-init"))
    assert a.train_error == 0.0
    for x, y in zip(a.params, b.params, strict=True):
        np.testing.assert_array_equal(x, y)


def test_adam_fit__stops_at_the_step_budget():
    _, pool, _ = repeat_data(1, "budget", 0, d=6, n=3, m_train=64, m_test=10, noise=1.0)
    config = TrainConfig(max_epochs=3, min_steps=0, check_steps=1)
    model = train_convpool(pool, k=5, rng=generator(0, "budget"), config=config)
    assert model.steps == 3 * 2
    assert model.epochs == 3


def test_train_model__matches_mlp_width_to_convpool():
    _, pool, _ = repeat_data(0, "match", 0, d=6, n=3, m_train=20, m_test=10, noise=0.0)
    cfg = TrainConfig(max_epochs=1, min_steps=1)
    cp = train_model("ConvPool", pool, k=40, rng=generator(0, "a"), config=cfg)
    mlp = train_model("MLP", pool, k=40, rng=generator(0, "b"), config=cfg)
    assert abs(mlp.n_params - cp.n_params) <= 6 * 3 + 2  # within one hidden unit
    with pytest.raises(ValueError, match="kind"):
        train_model("CNN", pool, k=40, rng=generator(0, "c"))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: TrainConfig(lr=0.0), "lr"),
        (lambda: TrainConfig(check_steps=0), "check_steps"),
        (lambda: train_svm(np.zeros((2, 2, 2))), "data"),
        (lambda: train_convpool(_dataset(np.zeros((2, 1, 3)), [1, -1]), k=0,
                                rng=generator(0)), "k"),
        (lambda: separators_fit(np.zeros((2, 2)), np.array([1.0, 0.0])), "y"),
        (lambda: decision(dataclasses.replace(
            train_svm(_dataset([[[1.0]], [[-1.0]]], [1, -1])), kind="SVM"), np.zeros((2, 1))),
         "X"),
    ],
)
def test_models__bad_arguments_raise_naming_them(make, message):
    with pytest.raises(ValueError, match=message):
        make()
