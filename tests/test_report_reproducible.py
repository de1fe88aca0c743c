"""The promise of the README and docs/report.md: the same seed gives the same REPORT.md on any
x86-64 machine, apart from the timings.

:func:`normalise` is the one thing ignored: every timing the report prints
(:func:`verify.report.format.seconds`, ``<digits>.<digit> s``: the Summary's Section time column
and each section's ``Time:``) becomes ``<time>``. The slow test regenerates the quick report
(``python -m verify.report --profile quick --seed 0``, in a subprocess, into a temporary
directory) and compares it with the committed REPORT.md, line by line; on a difference it prints
a short unified diff. The committed REPORT.md must therefore be regenerated (never edited) with
every change that changes the report. The line-length rule (:data:`LINE_LIMIT`) is checked on the
same generated report, and on a rendered document built to be long.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

from verify.report.format import LINE_LIMIT, WRAP, seconds
from verify.report.markdown import render_markdown

ROOT = Path(__file__).resolve().parents[1]
TIME = re.compile(r"\b\d+\.\d s\b")
DIFF_LINES = 60


def normalise(text: str) -> str:
    """``text`` with every timing replaced by ``<time>`` (what the comparison ignores)."""
    return TIME.sub("<time>", text)


def short_diff(want: str, got: str, limit: int = DIFF_LINES) -> str:
    """A unified diff of two reports (committed, regenerated), cut to ``limit`` lines, each
    line cut to 200 characters, with the number of differing lines first."""
    diff = list(difflib.unified_diff(want.splitlines(), got.splitlines(), "REPORT.md (committed)",
                                     "REPORT.md (regenerated)", n=0, lineterm=""))
    changed = sum(1 for d in diff if d[:1] in "+-" and not d.startswith(("+++", "---")))
    shown = [d if len(d) <= 200 else d[:200] + " …" for d in diff[:limit]]
    more = [f"… and {len(diff) - limit} more diff lines"] if len(diff) > limit else []
    return "\n".join([f"{changed} lines differ beyond the timings:", *shown, *more])


def long_lines(text: str, limit: int = LINE_LIMIT) -> list[tuple[int, int, str]]:
    """``(line number, length, start)`` of every line longer than ``limit``."""
    return [(i, len(line), line[:80]) for i, line in enumerate(text.splitlines(), 1)
            if len(line) > limit]


def test_normalise__masks_timings_only():
    text = f"| Lemma 5.2 | 42 | {seconds(4.25)} |\nChecker: `x`. Time: {seconds(12.0)}.\n0.5 s2"
    assert normalise(text) == "| Lemma 5.2 | 42 | <time> |\nChecker: `x`. Time: <time>.\n0.5 s2"
    assert normalise("rate 0.1872 (5 seeds)") == "rate 0.1872 (5 seeds)"


def test_short_diff__counts_and_cuts():
    want = "\n".join(f"line {i}" for i in range(200))
    got = want.replace("line 7\n", "line 7!\n").replace("line 150", "x" * 500)
    text = short_diff(want, got, limit=5)
    assert text.startswith("4 lines differ beyond the timings:")
    assert "-line 7" in text
    assert "+line 7!" in text
    assert all(len(line) <= 202 for line in text.splitlines())
    assert text.endswith("more diff lines")


def _long_document() -> dict:
    """A document whose texts are far longer than a line: a 3,000-character reason, a long
    list and mapping in the details, a long erratum and algebra check, a long Atlas reading."""
    long = " ".join(f"observed {i}.123456 vs bound 0.5;" for i in range(150))
    quote = "the text says so " * 200  # a quotation is printed as it is
    ev = {"claim": "Claim A", "statement": "x <= 1 " * 40, "verdict": "fails", "observed": 2.0,
          "bound": 1.0, "slack": -1.0, "slack_kind": "difference", "tolerance": 1e-12,
          "params": {"d": 3, "seed": 0}, "assumptions": {"l=d": True}, "reason": long,
          "details": {"per_step": list(range(500)), "fit": {f"k{i}": 0.1 * i for i in range(40)},
                      "note": long},
          "reproduce": "from verify.claims.x import check; print(check(3, seed=0).summary())"}
    return {
        "command": "python -m verify.report --profile quick --seed 0", "version": "0",
        "profile": "quick", "seed": 0, "complete": True, "exit_status": 1,
        "summary": [{"claim": "Claim A", "statement": "x <= 1", "regimes": 1,
                     "verdict": "fails", "strength": "computed", "note": "", "seeds": "",
                     "worst": None, "seconds": 1.0, "section": "a", "paper": False}],
        "sections": [{"key": "a", "title": "Claim A", "statement": "x <= 1", "location": "here",
                      "module": "m", "seconds": 1.0, "run": True, "error": "",
                      "evidence": [ev, {**ev, "params": {"d": 4, "seed": 0}}]}],
        "errata": [{"location": "Lemma 9", "kind": "typo", "text_says": quote,
                    "what_is_true": long, "evidence": long}],
        "algebra": [{"id": "A.1", "location": "Lemma 9", "statement": quote, "status": "proved",
                     "method": "sympy", "detail": long}],
        "assumptions": [], "special_errors": {},
        "atlas": {"rows": 5, "source": "a store", "entries": [
            {"claim": "Claim A", "figures": [], "reading": long}]},
    }


def test_render_markdown__no_line_longer_than_the_limit_however_long_the_texts():
    text = render_markdown(_long_document(), {})
    assert long_lines(text) == []
    prose = [line for line in text.splitlines() if not line.startswith(("|", "  Reproduce:"))
             and "`" not in line]
    assert max(map(len, prose)) <= WRAP
    assert "0.123456" not in text  # long decimals rounded to 4 significant digits
    assert "Claim A †" in text  # not the paper's claim: marked
    assert "(docs/tutorial.md)" in text


@pytest.mark.slow
def test_quick_report__no_line_longer_than_the_limit(quick_report):
    text = quick_report[0].read_text(encoding="utf-8")
    assert long_lines(text) == [], f"lines longer than {LINE_LIMIT} characters"


@pytest.mark.slow
def test_quick_report__same_as_the_committed_report_apart_from_timings(quick_report):
    """Fails until REPORT.md is regenerated after a change to what the report prints (the
    README's first command): the diff says what changed."""
    out = quick_report[0]
    want = normalise((ROOT / "REPORT.md").read_text(encoding="utf-8"))
    got = normalise(out.read_text(encoding="utf-8"))
    assert got == want, short_diff(want, got)


def _summary_row(verdict: str) -> dict:
    return {"claim": "Claim A", "statement": "a statement", "regimes": 3, "verdict": verdict,
            "strength": "statistical", "control": None, "seeds": "12", "worst": None,
            "seconds": 1.0}


def test_summary__a_verdict_too_long_for_the_row_is_given_in_full_under_the_table():
    from verify.report.markdown import _summary

    long = "holds for " + "; ".join(f"part {i} shown (statistical)" for i in range(40))
    lines = _summary({"summary": [_summary_row("holds"), _summary_row(long)]})
    assert long_lines("\n".join(lines)) == []
    rows = [line for line in lines if line.startswith("| Claim A")]
    assert "| ✅ holds |" in rows[0]  # a short verdict stays in its cell
    assert "| 🔶 see verdict [1] below |" in rows[1]
    assert "part 39" not in rows[1]
    notes = lines[lines.index("Verdicts too long for the table, in full:") + 2:]
    assert notes[0].startswith("- [1] Claim A: 🔶 holds for part 0 shown")
    assert "part 39 shown (statistical)" in " ".join(" ".join(notes).split())  # unwrapped
