"""How the report writes numbers and prose (:mod:`verify.report.format`): the precision rule,
the tie rule and the wrapping that keep REPORT.md the same on every machine and readable."""

from __future__ import annotations

import math

import pytest

from verify.report.format import (
    SIGNIFICANT,
    fmt,
    round_significant,
    stable_text,
    tie_key,
    wrap,
)


def test_fmt__four_significant_digits():
    assert SIGNIFICANT == 4
    assert fmt(0.187163) == "0.1872"
    assert fmt(2.101141) == "2.101"
    assert fmt(123456.0) == "1.235e+05"
    assert fmt(0.000123456) == "1.235e-04"


@pytest.mark.parametrize(("text", "want"), [
    ("observed 2.10114 vs bound 0.5", "observed 2.101 vs bound 0.5"),
    ("rate 0.18716 (0.096875)", "rate 0.1872 (0.09688)"),
    ("8.86054e-05 and 1.23456E+07", "8.861e-05 and 1.235e+07"),
    ("-0.00012345678", "-0.0001235"),
    ("9.99996", "10"),  # the carry; trailing zeros dropped
    ("0.30000000000000004 and 1.20000001e-05", "0.3 and 1.2e-05"),
    ("0.12345", "0.1234"),  # half to even, on the decimal the text shows
    ("0.12355", "0.1236"),
    ("12448.800000000001", "12450"),
    ("k = 1729, 1,729,000 draws, alpha 1e-09, 0.5, 1.000e-12", "k = 1729, 1,729,000 draws, "
     "alpha 1e-09, 0.5, 1.000e-12"),  # integers and short decimals as they are
    ("verify 0.1.0, Lemma 5.2, x1.23456", "verify 0.1.0, Lemma 5.2, x1.23456"),  # not numbers
    ("`check(0.123456)` but 0.123456", "`check(0.123456)` but 0.1235"),  # code as it is
    ("[1.12366e-05 +/- 3.87e-17] <= 0.19914", "[1.12366e-05 +/- 3.87e-17] <= 0.1991"),
])
def test_stable_text__rounds_long_decimals_half_to_even(text, want):
    assert stable_text(text) == want


def test_stable_text__last_bit_differences_disappear():
    """Two results that differ in their last bits print the same (away from a boundary)."""
    a = 0.1 + 0.2
    b = 0.3
    assert a != b
    assert stable_text(f"x = {a!r}") == stable_text(f"x = {b!r}") == "x = 0.3"
    assert stable_text(f"{1 / 3:.6g}") == stable_text(f"{(1 - 1e-15) / 3:.6g}")


def test_round_significant__and_tie_key():
    assert round_significant(0.18716) == 0.1872
    assert round_significant(-1234567.0) == -1235000.0
    assert round_significant(0.0) == 0.0
    assert math.isinf(round_significant(math.inf))
    assert tie_key(0.30000000000000004) == tie_key(0.3)
    assert math.isnan(tie_key("n/a"))
    assert math.isnan(tie_key(None))


def test_tie_key__the_first_of_equal_values_wins():
    rows = [{"i": 0, "slack": 0.5}, {"i": 1, "slack": 0.1 + 0.2}, {"i": 2, "slack": 0.3}]
    assert min(rows, key=lambda r: tie_key(r["slack"]))["i"] == 1
    rows.reverse()
    assert min(rows, key=lambda r: tie_key(r["slack"]))["i"] == 2


def test_wrap__width_prefix_and_code_spans_kept_whole():
    code = "`python -c \"from verify import x; print(x(1, 2, 3))\"`"
    lines = wrap("word " * 40 + code + " end", "- ", width=60)
    assert lines[0].startswith("- word")
    assert all(line.startswith("  ") for line in lines[1:])
    assert all(len(line) <= 60 for line in lines if "`" not in line)
    assert any(code in line for line in lines)  # never broken inside
    assert " ".join(line[2:] for line in lines) == ("word " * 40 + code + " end")
    assert wrap("", "- ") == ["-"]
