"""The pack's headline page (issue 12.1) and the rates per 10,000 from a population file (12.5),
from hand-made packs whose expected tiles, changes and movers are worked out below by hand."""

from __future__ import annotations

import csv
import datetime as dt
import re

import pytest

from annexa.pack.headline import HEADLINE, change_text
from annexa.pack.html import render_html
from annexa.pack.indicators import with_rate
from annexa.reference.population import population_0_17, population_by_age

pytestmark = pytest.mark.golden

MONTHS = [
    "2025-04-30",
    "2025-05-31",
    "2025-06-30",
    "2025-07-31",
    "2025-08-31",
    "2025-09-30",
    "2025-10-31",
    "2025-11-30",
    "2025-12-31",
    "2026-01-31",
    "2026-02-28",
    "2026-03-31",
]


def ind(ind_id, unit, polarity, value, num, den, marker, eng=None, **extra) -> dict:
    return {
        "id": ind_id,
        "title": f"{ind_id} title",
        "area": "children_in_care" if ind_id.startswith("CIC") else "help_and_protection",
        "definition": f"{ind_id} definition <b>text</b>",
        "numerator_text": "n",
        "denominator_text": "d",
        "value": value,
        "numerator": num,
        "denominator": den,
        "unit": unit,
        "polarity": polarity,
        "period": "W6",
        "period_label": "6 months to 31/03/2026",
        "england_value": eng,
        "england_year": 2025 if eng is not None else None,
        "england_unit": unit,
        "england_comparable": eng is not None,
        "marker": marker,
        **extra,
    }


def pack(suppress_below=None) -> dict:
    # HP05 rises 70.0, 71.0, ... 81.0 over the 12 month ends: last month 80.0 -> now 81.0
    hp05 = [
        {"as_at": d, "value": 70.0 + i, "numerator": 70.0 + i, "denominator": 100.0}
        for i, d in enumerate(MONTHS)
    ]
    # HP03 (low is better) falls 30.0 -> 24.0: better; CIC01 (context) 50.0 -> 60.0
    hp03 = [
        {"as_at": "2026-02-28", "value": 30.0, "numerator": 30.0, "denominator": 100.0},
        {"as_at": "2026-03-31", "value": 24.0, "numerator": 24.0, "denominator": 100.0},
    ]
    cic01 = [
        {"as_at": "2026-02-28", "value": 50.0, "numerator": 100.0, "denominator": 20000.0},
        {"as_at": "2026-03-31", "value": 60.0, "numerator": 120.0, "denominator": 20000.0},
    ]
    return {
        "la_code": "999",
        "la_name": "Synthshire",
        "as_at": "2026-03-31",
        "generated_at": "2026-04-02T09:15:00+00:00",
        "indicators": [
            ind(
                "HP05",
                "percent",
                "high",
                81.0,
                81.0,
                100.0,
                "worse",
                85.7,
                other_benchmarks={
                    "statistical_neighbours": {"value": 84.1, "year": 2025},
                    "la": {"value": 90.0, "year": 2026},
                },
            ),
            ind("HP03", "percent", "low", 24.0, 24.0, 100.0, "lower", 22.6),
            ind("CIC01", "rate_per_10000", "context", 60.0, 120.0, 20000.0, "lower", 67.0),
            ind("HP09", "percent", "high", 50.0, 5.0, 10.0, "n/a"),  # not a headline
        ],
        "history": {"HP05": hp05, "HP03": hp03, "CIC01": cic01},
        "volumes": {"2026-02-28": {"1": 3000}, "2026-03-31": {"1": 3150, "3": 500}},
        "validation": {
            "errors": 0,
            "warnings": 2,
            "waived_records": 0,
            "failing_rules": {"list_1:event_after_birth:date_of_contact": 4, "list_6:x<y>": 22},
        },
        "drilldowns": [],
        "changes": {"previous_as_at": "2026-02-28", "lists": []},
        "suppress_below": suppress_below,
    }


def tile(page: str, ind_id: str) -> str:
    """One headline tile's markup (up to the next tile or the end of the tiles)."""
    start = page.index(f'<div class="tile" id="tile-{ind_id}">')
    ends = [i for i in (page.find('<div class="tile"', start + 1), page.find("</section>", start))]
    return page[start : min(i for i in ends if i > 0)]


def test_headline_first_with_benchmarks_change_and_trend():
    page = render_html(pack())
    main = page[page.index("<main>") :]
    # the headline comes first, then the movers and data quality, then the areas; the
    # glossary (definitions) last
    order = [main.index(f'id="{s}"') for s in ("headline", "movers", "quality", "glossary")]
    assert order == sorted(order) and main.index('id="quality"') < main.index('id="area-')
    assert main.index('id="glossary"') > main.index('id="changes"')
    tiles = re.findall(r'<div class="tile" id="tile-([A-Z0-9]+)">', page)
    assert tiles == ["CONTACTS", "HP03", "HP05", "CIC01"]  # HEADLINE order; HP09 is not one
    assert [h for h, _ in HEADLINE][:4] == ["CONTACTS", "HP02", "HP03", "HP05"]

    hp05 = tile(page, "HP05")
    assert ">81.0%" in hp05 and "m-worse" in hp05  # below England 85.7, high is better
    assert "85.7% (2025)" in hp05 and "84.1% (2025)" in hp05 and "90.0% (2026)" in hp05
    # +1.0 pp since 28/02/2026 (80.0 -> 81.0), better for a high-is-better indicator
    assert re.search(r'class="change m-better"[^>]*>.*?\+1\.0 pp</span>', hp05, re.S)
    assert "since 28/02/2026" in hp05 and 'title="was 80.0% at 28/02/2026"' in hp05
    # a 12-month sparkline: one polyline of 12 points, England dashed, link to the glossary
    pts = re.search(r'<polyline class="ln" points="([^"]+)"', hp05).group(1).split()
    assert len(pts) == 12 and 'class="ref"' in hp05
    assert "Apr 2025</text>" in hp05 and "Mar 2026</text>" in hp05
    assert 'href="#def-HP05"' in hp05 and '<dt id="def-HP05">' in page

    hp03 = tile(page, "HP03")  # 30.0 -> 24.0: -6.0 pp, better as low is better
    assert re.search(r'class="change m-better"[^>]*>.*?-6\.0 pp</span>', hp03, re.S)
    cic01 = tile(page, "CIC01")  # context: 50.0 -> 60.0 is +10.0 (+20.0%), higher
    assert ">60.0 per 10,000" in cic01
    assert re.search(r'class="change m-context"[^>]*>.*?\+10\.0 \(\+20\.0%\)</span>', cic01, re.S)
    contacts = tile(page, "CONTACTS")  # List 1 rows 3,000 -> 3,150
    assert ">3,150 " in contacts and "+150 (+5.0%)" in contacts

    # movers by relative change: HP03 (6/30 = 20%) = CIC01 (10/50 = 20%), then HP05 (1/80)
    movers = page[page.index('id="movers"') : page.index('id="quality"')]
    assert re.findall(r'<a href="#ind-([A-Z0-9]+)">', movers) == ["CIC01", "HP03", "HP05"]
    # data quality of the return: the warning rules, largest first, escaped
    dq = page[page.index('id="quality"') : page.index('id="area-')]
    assert "0 error(s) and 2 warning rule(s)" in dq
    assert dq.index("list_6:x&lt;y&gt;") < dq.index("list_1:event_after_birth:date_of_contact")
    # definitions live in the glossary only, escaped
    assert page.count("HP05 definition &lt;b&gt;text&lt;/b&gt;") == 1


def test_headline_aggregate_only_suppresses_small_numbers():
    page = render_html(pack(suppress_below=150))
    # HP05's numerator 81 < 150: the value, its marker and its change are suppressed
    hp05 = tile(page, "HP05")
    assert '<span class="supp">[c]</span>' in hp05 and "pp</span>" not in hp05
    # HP05's trend points all have numerators below 150: nothing drawn
    assert "no history" in hp05
    # the contacts volume (3,150) is shown; a rule with 4 records is suppressed
    assert ">3,150 " in tile(page, "CONTACTS")
    dq = page[page.index('id="quality"') : page.index('id="area-')]
    assert '<td class="num">[c]</td>' in dq and '<td class="num">22</td>' not in dq


def test_change_text():
    assert change_text(1.04, "percent", 80.0) == "+1.0 pp"
    assert change_text(-3.0, "days", 40.0) == "-3 days"
    assert change_text(12.0, "count", 300.0) == "+12 (+4.0%)"
    assert change_text(0.0, "percent", 10.0) == "\u00b10.0 pp"


def write_population(path, rows) -> None:
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["la_code", "mid_year", "age", "population"])
        w.writerows(rows)


def test_population_file_and_rates(tmp_path, monkeypatch):
    path = tmp_path / "pop.csv"
    # LA E1: mid-2024 1,000 a year of age (18,000), mid-2025 1,100 (19,800); 2023 incomplete
    rows = [("E1", 2024, a, 1000) for a in range(18)] + [("E1", 2025, a, 1100) for a in range(18)]
    rows += [("E1", 2023, 0, 5)]
    write_population(path, rows)
    monkeypatch.setenv("ANNEXA_POPULATION", str(path))
    # the latest mid-year estimate (30 June) on or before the period's end
    assert population_0_17("E1", dt.date(2025, 6, 29)) == (2024, 18_000)
    assert population_0_17("E1", dt.date(2025, 6, 30)) == (2025, 19_800)
    assert population_0_17("E1", dt.date(2020, 3, 31)) == (2024, 18_000)  # before all: earliest
    assert population_by_age("E1", dt.date(2026, 3, 31))[1][17] == 1100
    assert population_0_17("E2", dt.date(2026, 3, 31)) is None
    # HP02: 450 referrals in 6 months x 2 / 18,000 x 10,000 = 500.0 per 10,000
    row = {
        "numerator": 450.0,
        "denominator": None,
        "value": None,
        "period_end": dt.date(2025, 3, 31),
    }
    hp02 = with_rate(row, {"unit": "rate_per_10000", "period": "W6"}, "E1")
    assert hp02["value"] == pytest.approx(500.0) and hp02["denominator"] == 18_000
    assert hp02["population_year"] == 2024
    # CIC01 at A: 99 / 19,800 x 10,000 = 50.0
    cic = with_rate(
        row | {"numerator": 99.0, "period_end": dt.date(2026, 3, 31)},
        {"unit": "rate_per_10000", "period": "at_A"},
        "E1",
    )
    assert cic["value"] == pytest.approx(50.0)
    # a percentage, a value the SQL gave, an unknown LA: unchanged
    pct = {"unit": "percent", "period": "W6"}
    assert with_rate(row, pct, "E1") is row
    assert with_rate(row | {"value": 3.0}, {"unit": "rate_per_10000"}, "E1")["value"] == 3.0
    assert with_rate(row, {"unit": "rate_per_10000", "period": "W6"}, "E2")["value"] is None


def test_shipped_population_is_the_synthetic_la_only(monkeypatch):
    monkeypatch.delenv("ANNEXA_POPULATION", raising=False)
    year, total = population_0_17("999", dt.date(2026, 3, 31))
    assert year == 2025 and 20_000 < total < 30_000  # sized for the small demo LA
    assert population_0_17("E06000001", dt.date(2026, 3, 31)) is None


def test_headline_england_count_is_not_compared_with_a_rate():
    # HP02 is a rate per 10,000, but England's published figure is a count of referrals (the
    # spec: "National rate not captured"): the tile names it as a different measure, draws no
    # England line and gives no better/worse marker against it
    p = pack()
    hp02 = ind("HP02", "rate_per_10000", "context", 411.5, 500.0, 24300.0, "n/a", 632830)
    hp02.update(england_unit="count", england_comparable=False)
    p["indicators"].append(hp02)
    p["history"]["HP02"] = [
        {"as_at": "2026-02-28", "value": 400.0, "numerator": 486.0, "denominator": 24300.0},
        {"as_at": "2026-03-31", "value": 411.5, "numerator": 500.0, "denominator": 24300.0},
    ]
    tile_html = tile(render_html(p), "HP02")
    assert ">411.5 per 10,000" in tile_html
    assert "632,830 (2025) - different measure, not compared" in tile_html
    assert "632,830 per 10,000" not in tile_html and 'class="ref"' not in tile_html
