"""Pack: the indicator catalogue (reference/indicators.yaml) against spec indicators.md, its
checks, LA benchmark merging and the link between catalogue entries and SQL files."""

import re

import pytest

from annexa.core.paths import sql_dir
from annexa.pack.catalogue import CatalogueError, load_catalogue
from annexa.pack.indicators import compare, indicator_files, latest_england

pytestmark = pytest.mark.golden

# every indicator id of the spec (§1.1)
SPEC_IDS = (
    [f"HP{n:02d}" for n in range(1, 19)]
    + [f"CIC{n:02d}" for n in range(1, 10)]
    + ["ADP1", "ADP2", "ADP3"]
    + [f"CL{n:02d}" for n in range(1, 5)]
    + [f"WF{n:02d}" for n in range(1, 11)]
)


def _base(ind_id: str) -> str:
    """HP04a -> HP04, HP03x -> HP03 (sub-measures and the exact CMS refinement)."""
    return re.sub(r"[a-z]$", "", ind_id)


def test_every_spec_indicator_is_catalogued():
    cat = load_catalogue()
    assert {_base(i) for i in cat} == set(SPEC_IDS)


def test_computed_entries_and_sql_files_match():
    cat = load_catalogue()
    files = {p.stem for p in indicator_files()}
    assert files == {i.lower() for i, e in cat.items() if e["computed"]}
    for e in cat.values():
        if not e["computed"]:
            assert e["reason"]


def test_sql_files_never_read_the_clock():
    for p in indicator_files():
        text = p.read_text().lower()
        assert not re.search(r"\b(now|today|current_date|current_timestamp|getdate)\b", text), p


def test_headline_england_values():
    cat = load_catalogue()
    # §7.1: the latest comparable England value and its year
    assert latest_england(cat["HP03"])["value"] == 22.6
    assert (latest_england(cat["HP05"])["value"], latest_england(cat["HP05"])["year"]) == (
        85.7,
        2025,
    )
    assert latest_england(cat["HP09"])["value"] == 81.4
    assert latest_england(cat["HP13"])["value"] == 4.4
    assert latest_england(cat["CIC03"])["value"] == 68
    # a rate indicator: the rate, not the count, is the comparable value (2023: 191.6)
    assert latest_england(cat["HP07"])["value"] == 191.6
    # CIC02's only England value is DfE's 2-year measure: shown, never compared
    assert latest_england(cat["CIC02"])["compare"] is False
    # rates need a population and say so
    assert all(cat[i].get("needs_population") for i in ("HP02", "HP07", "HP11", "HP16", "CIC01"))
    assert cat["HP12"]["polarity"] == "band" and cat["HP12"]["band_lower"] == 8.3


def _write(tmp_path, text):
    p = tmp_path / "x.yaml"
    p.write_text(text)
    return p


ENTRY = """
  {id}:
    title: t
    area: {area}
    definition: d
    numerator: n
    denominator: d
    period: W6
    unit: {unit}
    polarity: {polarity}
    day_rule: WD
    basis: annex_a
    computed: true
    england: []
"""


def _entry(ind_id="X01", area="help_and_protection", unit="percent", polarity="high"):
    return ENTRY.format(id=ind_id, area=area, unit=unit, polarity=polarity)


def test_a_valid_minimal_catalogue_loads(tmp_path):
    cat = load_catalogue(path=_write(tmp_path, "indicators:" + _entry()))
    assert cat["X01"]["id"] == "X01"


@pytest.mark.parametrize(
    "text, message",
    [
        ("indicators:" + _entry() + _entry(), "appears twice"),
        ("indicators:" + _entry(area="finance"), "area"),
        ("indicators:" + _entry(unit="ratio"), "unit"),
        ("indicators:" + _entry(polarity="up"), "polarity"),
        ("indicators:" + _entry(polarity="band"), "band_lower"),
        ("indicators:" + _entry().replace("computed: true", "computed: false"), "reason"),
        (
            "indicators:" + _entry().replace("england: []", "england: [{year: 2025}]"),
            "year and value",
        ),
    ],
)
def test_catalogue_checks(tmp_path, text, message):
    with pytest.raises(CatalogueError, match=message):
        load_catalogue(path=_write(tmp_path, text))


def test_la_benchmarks_merge(tmp_path):
    bench = _write(
        tmp_path,
        """
indicators:
  HP05:
    statistical_neighbours:
      - {year: 2025, value: 84.1, source: LAIT}
      - {year: 2024, value: 83.0}
    england:
      - {year: 2025, value: 85.8, status: published, source: S3}
      - {year: 2026, value: 86.0, status: published, source: S3}
""",
    )
    cat = load_catalogue(bench)
    hp05 = cat["HP05"]
    assert [(v["year"], v["value"]) for v in hp05["statistical_neighbours"]] == [
        (2024, 83.0),
        (2025, 84.1),
    ]
    # the same year replaces the product's value; a new year is added
    assert [(v["year"], v["value"]) for v in hp05["england"]] == [(2025, 85.8), (2026, 86.0)]
    assert latest_england(hp05)["year"] == 2026
    # the product's catalogue is untouched by a merge
    assert [v["value"] for v in load_catalogue()["HP05"]["england"]] == [85.7]
    # the pack shows the latest neighbour value beside England's
    from annexa.pack.indicators import other_benchmarks
    from annexa.pack.render import england_text

    others = other_benchmarks(hp05)
    assert others == {"statistical_neighbours": {"value": 84.1, "year": 2025}}
    row = {
        "unit": "percent",
        "value": 86.0,
        "england_value": 86.0,
        "england_year": 2026,
        "england_comparable": True,
        "other_benchmarks": others,
    }
    assert england_text(row) == "86.0% (2026); statistical neighbours 84.1% (2025)"


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "indicators:\n  ZZ99:\n    statistical_neighbours: []\n",
            "not in the indicator catalogue",
        ),
        ("indicators:\n  HP05:\n    neighbours: []\n", "unknown keys"),
        ("indicators:\n  HP05:\n    statistical_neighbours: [{year: 2025, value: x}]\n", "number"),
    ],
)
def test_la_benchmark_checks(tmp_path, text, message):
    with pytest.raises(CatalogueError, match=message):
        load_catalogue(_write(tmp_path, text))


def test_compare_rounds_to_displayed_precision():
    assert compare(22.64, 22.6, "low") == "same"
    assert compare(22.66, 22.6, "low") == "worse"


def test_sql_dir_has_indicator_folder():
    assert (sql_dir() / "indicators").is_dir()


@pytest.mark.parametrize(
    "sql, message",
    [
        ("select 'X01' as indicator_id, 1.0 as numerator", "returns columns"),
        (
            "select 'X01' as indicator_id, 1.0 as numerator, 2.0 as denominator, 50.0 as value, "
            "date '2026-01-01' as period_start, date '2026-06-30' as period_end "
            "from range(2)",
            "returns 2 rows",
        ),
        (
            "select 'X02' as indicator_id, 1.0 as numerator, 2.0 as denominator, 50.0 as value, "
            "date '2026-01-01' as period_start, date '2026-06-30' as period_end",
            "returns id",
        ),
        ("select * from no_such_table", "failed"),
    ],
)
def test_indicator_contract_is_enforced(tmp_path, sql, message):
    import duckdb

    from annexa.pack.indicators import IndicatorError, run_indicator

    path = tmp_path / "x01.sql"
    path.write_text(sql)
    with duckdb.connect() as con, pytest.raises(IndicatorError, match=message):
        run_indicator(con, path)
