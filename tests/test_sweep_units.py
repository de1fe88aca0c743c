"""Unit tests of verify.sweep without a cluster: declarations, seeds and keys, the store, the
success rates."""

from __future__ import annotations

import dataclasses
import json
import math

import pyarrow.parquet as pq
import pytest

from verify.evidence import Evidence, Verdict
from verify.evidence.stats import binomial_test, clopper_pearson
from verify.evidence.sweep_spec import GRID_NAMES, Grid, SweepSpec, canonical
from verify.sweep.engine import batches, evaluate_task, plan, run_batch, task_key, task_seed
from verify.sweep.rates import claim_verdicts, success_rates
from verify.sweep.registry import find, specs
from verify.sweep.store import SCHEMA_VERSION, Store, StoreError


def _ev(params: dict, seed: int) -> Evidence:
    return Evidence("Toy", "toy", Verdict.HOLDS, float(seed % 7), 10.0, 10.0 - seed % 7,
                    params=params, assumptions={"k>8d^3": True})


def _toy(**kw) -> SweepSpec:
    grids = {g: Grid(({"d": 3}, {"d": 4}), 3) for g in GRID_NAMES}
    return SweepSpec("Toy", grids, _ev, **kw)


def test_canonical__sorted_and_validated():
    assert canonical({"k": 217, "d": 3}) == '{"d":3,"k":217}'
    with pytest.raises(ValueError, match="params: x must be finite"):
        canonical({"x": math.nan})
    with pytest.raises(ValueError, match="params: x must be an int"):
        canonical({"x": [1]})


def test_grid__rejects_repeated_regimes_and_bad_seeds():
    with pytest.raises(ValueError, match="regimes"):
        Grid(({"d": 3}, {"d": 3}))
    with pytest.raises(ValueError, match="seeds"):
        Grid(({"d": 3},), 0)


def test_sweep_spec__needs_every_grid_and_event_with_probability():
    with pytest.raises(ValueError, match="grids"):
        SweepSpec("Toy", {"quick": Grid(({"d": 3},))}, _ev)
    with pytest.raises(ValueError, match="event and probability"):
        _toy(event=lambda ev: True)


def test_task_seed__depends_on_every_part_of_its_path():
    base = task_seed(0, "Toy", '{"d":3}', 0)
    assert base == task_seed(0, "Toy", '{"d":3}', 0)
    others = {task_seed(1, "Toy", '{"d":3}', 0), task_seed(0, "Toy2", '{"d":3}', 0),
              task_seed(0, "Toy", '{"d":4}', 0), task_seed(0, "Toy", '{"d":3}', 1)}
    assert base not in others
    assert len(others) == 4
    assert 0 <= base < 2**63


def test_plan__seeds_override_and_keys_unique():
    spec = _toy()
    tasks = plan([spec], "quick", seeds=None, root_seed=0)
    assert len(tasks) == 6
    assert len(plan([spec], "quick", seeds=5, root_seed=0)) == 10
    assert len({t.key for t in tasks}) == 6
    t = tasks[0]
    assert t.key == task_key("Toy", t.params, t.seed)
    with pytest.raises(ValueError, match="grid"):
        plan([spec], "huge", seeds=None, root_seed=0)


def test_batches__one_claim_per_batch_at_most_size():
    a, b = _toy(), _toy()
    b = SweepSpec("Toy B", a.grids, _ev)
    tasks = plan([a, b], "quick", seeds=None, root_seed=0)
    out = batches(tasks, {"Toy": 4, "Toy B": 4})
    assert [len(x) for x in out] == [4, 2, 4, 2]
    assert all(len({t.claim for t in x}) == 1 for x in out)


def test_evaluate_task__row_of_the_evidence():
    spec = _toy(event=lambda ev: ev.observed < 3, probability=lambda p: 0.5)
    t = plan([spec], "quick", seeds=None, root_seed=0)[0]
    row = evaluate_task(t, spec)
    ev = _ev({"d": 3}, t.seed)
    assert (row["observed"], row["bound"], row["slack"]) == (ev.observed, ev.bound, ev.slack)
    assert row["verdict"] == ("event" if ev.observed < 3 else "no event")
    assert row["assumed"] is True
    assert row["event"] is (ev.observed < 3)
    assert row["probability_bound"] == 0.5
    assert (row["d"], row["k"]) == (3, None)


def test_store__same_batch_twice_is_one_part(tmp_path):
    store = Store(tmp_path / "s")
    spec = _toy()
    rows = [evaluate_task(t, spec) for t in plan([spec], "quick", seeds=None, root_seed=0)]
    first = store.write(rows)
    assert store.write(list(reversed(rows))) == first
    assert len(store.parts()) == 1
    assert store.done_keys() == {r["key"] for r in rows}
    assert pq.read_table(store.path).num_rows == len(rows)


def test_store__refuses_another_schema_and_foreign_directories(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "_manifest.json").write_text(json.dumps({"schema": "verify-sweep/0"}))
    with pytest.raises(StoreError, match="verify-sweep/0"):
        Store(tmp_path / "a")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.txt").write_text("x")
    with pytest.raises(StoreError, match="not a sweep store"):
        Store(tmp_path / "b")
    assert json.loads((Store(tmp_path / "c").path / "_manifest.json").read_text())[
        "schema"] == SCHEMA_VERSION


def _rows(events: list[bool], bound: float, assumed: bool = True) -> list[dict]:
    return [{"claim": "Toy", "params": '{"d":3}', "event": e, "probability_bound": bound,
             "assumed": assumed, "verdict": "holds", "slack": 1.0, "slack_kind": "difference",
             "seed": i} for i, e in enumerate(events)]


def test_success_rates__clopper_pearson_and_exact_test():
    spec = {"Toy": _toy(event=lambda ev: True, probability=lambda p: 0.9)}
    rows = _rows([True] * 30 + [False] * 20, 0.9)
    (q,) = success_rates(rows, spec, family_alpha=1e-3)
    assert (q["seeds"], q["successes"], q["rate"]) == (50, 30, 0.6)
    assert q["ci95"] == list(clopper_pearson(30, 50))
    want = binomial_test(20, 50, 1 - 0.9, 1e-3)
    assert q["p_value"] == want.p_value
    assert q["rejected"] is want.rejected is True
    assert claim_verdicts(rows, [q], spec)["Toy"]["verdict"] == "fails"
    outside = success_rates(_rows([False] * 50, 0.9, assumed=False), spec)
    assert claim_verdicts(rows, outside, spec)["Toy"]["verdict"] == (
        "holds where assumed; fails outside")


def test_evaluate_task__probabilistic_row_records_the_seeds_event_not_holds():
    """The checker says "holds" on one draw (it cannot reject), yet the claimed event
    failed; the row must say "no event", and "event" where it occurred."""
    plain = _toy()
    seen = {}
    for occurred in (False, True):
        spec = _toy(event=lambda ev, o=occurred: o, probability=lambda p: 0.9)
        t = plan([spec], "quick", seeds=None, root_seed=0)[0]
        row = evaluate_task(t, spec)
        assert row["event"] is occurred
        seen[occurred] = row["verdict"]
        assert evaluate_task(t, plain)["verdict"] == "holds"  # not probabilistic: the checker's
    assert seen == {False: "no event", True: "event"}


def test_claim_verdicts__probabilistic_rows_counted_by_event_never_as_holds():
    spec = {"Toy": _toy(event=lambda ev: True, probability=lambda p: 0.9)}
    rows = _rows([True] * 30 + [False] * 20, 0.9)  # verdict "holds" in every row (old stores)
    c = claim_verdicts(rows, success_rates(rows, spec), spec)["Toy"]
    assert c["by_verdict"] == {"event": 30, "no event": 20}
    assert c["verdict"] == "fails"


def test_summary_text__words_agree_with_the_rate_verdict():
    """The summary's words agree with its rate verdict: never "2200 holds" beside "success rate
    below the stated bound in 12 of 22 regimes"."""
    from verify.sweep.rates import summarise, summary_text

    spec = {"Toy": _toy(event=lambda ev: True, probability=lambda p: 0.9)}
    rows = _rows([True] * 30 + [False] * 20, 0.9)
    text = summary_text(summarise(rows, spec, grid="quick", root_seed=0))
    line = next(x for x in text.splitlines() if x.startswith("- **Toy**"))
    assert line.startswith("- **Toy**: fails (50 seeds: the claimed event occurred in 30, "
                           "failed in 20; success rate below the stated bound in 1 of 1 regime "
                           "(0 vacuous))")
    assert "holds" not in line
    other = [{**r, "params": '{"d":4}'} for r in _rows([True] * 50, 0.9)]
    two = summary_text(summarise(rows + other, spec, grid="quick", root_seed=0))
    assert "below the stated bound in 1 of 2 regimes (0 vacuous)" in two


def test_success_rates__vacuous_bound_is_not_tested():
    spec = {"Toy": _toy(event=lambda ev: True, probability=lambda p: -1.0)}
    (q,) = success_rates(_rows([False] * 10, -1.0), spec)
    assert q["vacuous"] is True
    assert q["p_value"] is None
    assert q["rejected"] is False


def test_registry__every_claim_declares_its_three_grids():
    table = specs()
    assert {"Lemma 5.2", "Eq. 14", "Corollary 5.4", "Theorem 5.1", "Theorem 4.2"} <= set(table)
    assert all(table[c].probabilistic for c in ("Lemma 5.2", "Eq. 14", "Corollary 5.4",
                                                "Theorem 5.1"))
    assert find("theorem-5.1") is table["Theorem 5.1"]
    assert find("EQ. 14 (exact)") is table["Eq. 14 (exact)"]
    with pytest.raises(ValueError, match="unknown claim"):
        find("Lemma 9.9")
    # the paper's sizes: d = 20 with k = 64,001 in Theorem 5.1's standard grid
    regs = table["Theorem 5.1"].grids["standard"].regimes
    assert {"d": 20, "k": 64001} in [{"d": r["d"], "k": r["k"]} for r in regs]


def _raises(params: dict, seed: int) -> Evidence:
    raise RuntimeError("boom")


SWEEP = SweepSpec("Broken", {g: Grid(({"d": 3},), 2) for g in GRID_NAMES}, _raises)


def test_run_batch__checker_error_is_reported_not_stored():
    tasks = plan([SWEEP, _toy()], "quick", seeds=None, root_seed=0)
    assert tasks[0].module == __name__
    out = run_batch(tasks[:2])
    assert out.rows == []
    assert out.errors == [("Broken", '{"d":3}', "RuntimeError: boom")] * 2


def test_every_registered_spec_is_found_by_a_worker_in_its_module():
    """A worker looks a task's claim up in ``spec.module``
    (:func:`verify.sweep.registry.module_specs`); a spec whose module is wrong (e.g. a
    ``functools.partial`` evaluate's ``"functools"``) would fail on every worker."""
    from verify.sweep.registry import module_specs, specs

    for claim, spec in specs().items():
        assert spec.module.startswith("verify.claims."), (claim, spec.module)
        assert any(s.claim == spec.claim for s in module_specs(spec.module)), claim


def test_section_5_sweep_spec_evaluates_the_setting_of_a_regime():
    """:func:`verify.claims.section_5_grids.sweep_spec`: one task is
    ``check_setting(setting(params, seed))``."""
    from verify.claims import section_5_grids as section5

    seen = []

    def check(setting):
        seen.append(setting)

    spec = section5.sweep_spec("Some claim", check, batch=3)
    params = dict(section5.GRIDS["quick"].regimes[0])
    spec.evaluate(params, 11)
    assert seen == [section5.setting(params, 11)]
    assert (spec.batch, spec.note, spec.grids) == (3, section5.NOTE, section5.GRIDS)
    assert spec.module == __name__  # the checker's module, not the partial's "functools"


def _ev_of_params(params: dict, seed: int) -> Evidence:
    """Evidence that depends on the regime, with a stated and a proof-only assumption."""
    return Evidence("Toy", "toy", Verdict.FAILS, params["d"] + 0.5, math.inf, -1.0,
                    params=params, assumptions={"l=d": False, "k>8d^3": params["d"] > 3},
                    reason="why", reproduce="how")


def test_evaluate_task__every_column_of_the_row():
    from verify import __version__
    from verify.sweep.store import SCHEMA

    spec = SweepSpec("Toy", {g: Grid(({"d": 4, "k": 2.5, "eta": 0.5},), 1) for g in GRID_NAMES},
                     _ev_of_params, event=lambda ev: ev.observed > 4,
                     probability=lambda p: p["eta"] / 2)
    (t,) = plan([spec], "quick", seeds=None, root_seed=3)
    row = evaluate_task(t, spec)
    assert set(row) == set(SCHEMA.names)
    assert 0 <= row.pop("seconds") < 60
    assert row == {
        "key": t.key, "claim": "Toy", "params": '{"d":4,"eta":0.5,"k":2.5}', "replicate": 0,
        "root_seed": 3, "seed": t.seed, "observed": 4.5, "bound": None, "slack": -1.0,
        "slack_kind": "difference", "verdict": "event",  # a probabilistic claim's seed row
        "strength": "computed",
        "assumed": True,  # "l=d" is proof-only: it does not count
        "assumptions": '{"k>8d^3": true, "l=d": false}',  # sorted
        "event": True,
        "probability_bound": 0.25, "reason": "why", "reproduce": "how", "version": __version__,
        **{c: None for c in SCHEMA.names if c not in (
            "key", "claim", "params", "replicate", "root_seed", "seed", "observed", "bound",
            "slack", "slack_kind", "verdict", "strength", "assumed", "assumptions", "event",
            "probability_bound", "reason", "reproduce", "version", "seconds", "d")},
        "d": 4,
    }
    deterministic = dataclasses.replace(spec, event=None, probability=None)
    assert (evaluate_task(t, deterministic)["event"], row["probability_bound"]) == (None, 0.25)
    assert evaluate_task(t, deterministic)["verdict"] == "fails"  # the evidence's own verdict


def test_evaluate_task__a_checker_returning_no_evidence_is_named():
    spec = SweepSpec("Toy", {g: Grid(({"d": 3},), 1) for g in GRID_NAMES},
                     lambda params, seed: {"d": params["d"]})
    (t,) = plan([spec], "quick", seeds=None, root_seed=0)
    with pytest.raises(TypeError, match=r"^Toy: evaluate returned dict, not Evidence$"):
        evaluate_task(t, spec)


def test_lost__the_cause_of_a_lost_task_in_one_line():
    from verify.sweep.engine import _lost

    assert _lost(OSError("connection closed")) == "OSError: connection closed"
    assert _lost(TimeoutError()) == "TimeoutError"
