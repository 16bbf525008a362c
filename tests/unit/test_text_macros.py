"""The text-cleaning macros' fast paths (issue 10) give what their plain definitions give:
``trim_space`` trims spaces, tabs and line breaks at either end only (``trim`` with that set),
``norm_raw`` collapses RE2 whitespace runs to one space, trims and lowercases
(``lower(trim(regexp_replace(v, '\\s+', ' ', 'g')))``), on values that take either path."""

from __future__ import annotations

import datetime as dt

import pytest

# (value, trim_space, norm_raw), worked out by hand: only space, tab, LF and CR are trimmed
# (not a vertical tab, form feed, no-break or ideographic space); norm_raw's \s also takes a form
# feed, never a vertical tab, and its plain trim the Unicode spaces at either end
CASES = [
    (None, None, None),
    ("", "", ""),
    (" ", "", ""),
    ("\t", "", ""),
    ("ABC", "ABC", "abc"),
    (" A b ", "A b", "a b"),
    ("\tWB\n", "WB", "wb"),
    ("\r\n x \t", "x", "x"),
    ("a  b", "a  b", "a b"),
    ("A\tB", "A\tB", "a b"),
    ("a\x0bb", "a\x0bb", "a\x0bb"),
    ("a\x0cb", "a\x0cb", "a b"),
    ("\x0ba", "\x0ba", "\x0ba"),
    ("a\x01", "a\x01", "a\x01"),
    ("a\u00a0", "a\u00a0", "a"),  # DuckDB's plain trim (norm_raw's) takes Unicode spaces
    ("\u3000a", "\u3000a", "a"),
    ("É  x ", "É  x", "é x"),
    ("\u0600 ", "\u0600", "\u0600"),  # a prepended mark then a space: the space is trimmed
    (" \u0301", "\u0301", "\u0301"),  # a space then a combining accent: the space is trimmed
    ("x\u0301 ", "x\u0301", "x\u0301"),
]


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    from annexa.core.dates import Windows
    from annexa.transform.mapping import Mapping
    from annexa.transform.runner import connect, register_reference

    c = connect(tmp_path_factory.mktemp("duck"))
    register_reference(
        c,
        Windows.for_date(dt.date(2026, 3, 31)),
        la_code="999",
        la_name="",
        version="later",
        mapping=Mapping(),
    )
    c.execute("create table t (i integer, v varchar)")
    c.executemany("insert into t values (?, ?)", [(i, v) for i, (v, _, _) in enumerate(CASES)])
    yield c
    c.close()


def test_trim_space_and_norm_raw_by_hand(con) -> None:
    got = con.execute("select trim_space(v), norm_raw(v) from t order by i").fetchall()
    assert got == [(ts, nr) for _, ts, nr in CASES]


def test_fast_paths_equal_the_plain_definitions(con) -> None:
    plain = con.execute(
        """
        select
            trim_space(v) is not distinct from trim(v, ' ' || chr(9) || chr(10) || chr(13)),
            norm_raw(v) is not distinct from lower(trim(regexp_replace(v, '\\s+', ' ', 'g')))
        from t order by i
        """
    ).fetchall()
    assert plain == [(True, True)] * len(CASES)
