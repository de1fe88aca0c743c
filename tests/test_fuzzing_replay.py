"""``python -m verify.fuzzing --setting``: a counterexample replays from the fields its claim
depends on (as the Assumptions table prints it), the others taking
:data:`verify.fuzzing.REPLAY_DEFAULTS`; and the replay example of
``docs/how-to/develop-and-test.md`` runs as written."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from verify import fuzzing
from verify.model.setting import Setting

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {t.claim: t for t in fuzzing.targets()}
LEMMA_5_2 = {"d": 5, "l": 3, "n": 1, "k": 1000, "m": 2, "eta1": 0.000125, "eta2": 1.0,
             "r": 6.25e-07, "T1": 1, "T2": 0, "seed": 0}


def test_replay_defaults__are_a_valid_setting():
    assert Setting(**fuzzing.REPLAY_DEFAULTS).as_dict() == fuzzing.REPLAY_DEFAULTS


def test_replay_setting__fills_only_the_fields_the_claim_does_not_depend_on():
    t = TARGETS["Lemma 5.2"]
    s = fuzzing.replay_setting(t, {"d": 5, "l": 3, "k": 1000})
    assert (s.d, s.l, s.k) == (5, 3, 1000)
    for name in set(fuzzing.REPLAY_DEFAULTS) - {"d", "l", "k"}:
        assert getattr(s, name) == fuzzing.REPLAY_DEFAULTS[name], name


def test_replay_setting__a_whole_setting_is_taken_as_it_is():
    assert fuzzing.replay_setting(TARGETS["Lemma 5.2"], LEMMA_5_2) == Setting(**LEMMA_5_2)


def test_replay_setting__a_missing_field_is_named_with_what_the_claim_depends_on():
    with pytest.raises(ValueError, match=r"missing k \(Lemma 5\.2 depends on d, l, k\)"):
        fuzzing.replay_setting(TARGETS["Lemma 5.2"], {"d": 5, "l": 3})
    with pytest.raises(ValueError, match="missing eta2, T2"):
        fuzzing.replay_setting(TARGETS["Theorem 5.1"],
                               {k: v for k, v in LEMMA_5_2.items() if k not in ("eta2", "T2")})


def test_replay_setting__refuses_a_non_object_and_an_unknown_field():
    with pytest.raises(ValueError, match="JSON object"):
        fuzzing.replay_setting(TARGETS["Eq. 14"], [2])
    with pytest.raises(TypeError):
        fuzzing.replay_setting(TARGETS["Eq. 14"], {"m": 2, "q": 1})


def test_main__the_shown_counterexample_replays_to_the_whole_settings_outcome(capsys):
    t = TARGETS["Lemma 5.2"]
    shown = json.loads(t.shown(Setting(**LEMMA_5_2)))
    assert shown == {"d": 5, "l": 3, "k": 1000}
    short, whole = t.check(fuzzing.replay_setting(t, shown)), t.check(Setting(**LEMMA_5_2))
    assert (short.verdict, short.observed, short.bound, short.slack) == (
        whole.verdict, whole.observed, whole.bound, whole.slack)
    assert fuzzing.main(["--claim", "Lemma 5.2", "--setting", json.dumps(shown)]) == 1
    assert "fails" in capsys.readouterr().out


def test_develop_and_test__the_replay_example_runs_as_written(capsys):
    text = (ROOT / "docs" / "how-to" / "develop-and-test.md").read_text(encoding="utf-8")
    found = re.findall(r"python -m verify\.fuzzing --claim '([^']+)' --setting '([^']+)'", text)
    assert found, "develop-and-test.md has no replay example"
    for claim, setting in found:
        assert "..." not in setting
        assert fuzzing.main(["--claim", claim, "--setting", setting]) == 1, (claim, setting)
        assert "fails" in capsys.readouterr().out
