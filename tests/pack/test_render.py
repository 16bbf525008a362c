"""Pack rendering (annexa.pack.render): the self-contained HTML file and the xlsx workbook, from a
hand-made pack with indicators of every polarity and marker, a 36-month history, hostile
drill-down values, with small-number suppression off and on; and the HTML in a real headless
browser (Debian chromium) when it is installed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import shutil
import stat
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from cdp import CHROMIUM, HEADLESS_FLAGS
from openpyxl import load_workbook

from annexa.pack.catalogue import load_catalogue
from annexa.pack.render import (
    AREA_TITLES,
    SUPPRESSED,
    render_html,
    sheet_name,
    sparkline,
    suppression,
    write_pack_html,
    write_pack_xlsx,
)

pytestmark = pytest.mark.golden

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("x")'
HOSTILE_TITLE = 'Missing <b>from</b> care & "run"'
LONG_TITLE = "Assessments open beyond 45 working days, by team and worker"


def month_ends(first: dt.date, n: int) -> list[dt.date]:
    out, y, m = [], first.year, first.month
    for _ in range(n):
        out.append(dt.date(y, m, calendar.monthrange(y, m)[1]))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def row(
    ind_id: str,
    area: str,
    unit: str,
    polarity: str,
    value,
    numerator,
    denominator,
    marker: str,
    eng=None,
    year=None,
    *,
    status="published",
    comparable=True,
    eng_unit=None,
    title=None,
    period="W6",
) -> dict:
    """An indicator row with the keys compute_indicators returns."""
    cat = load_catalogue()
    end = dt.date(2026, 3, 31)
    return {
        "id": ind_id,
        "title": title or cat[ind_id]["title"],
        "area": area,
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "unit": unit,
        "polarity": polarity,
        "period": period,
        "period_start": dt.date(2025, 10, 1),
        "period_end": end,
        "period_label": "6 months to 31/03/2026" if period == "W6" else "at 31/03/2026",
        "basis": "annex_a",
        "england_value": eng,
        "england_year": year,
        "england_unit": (eng_unit or unit) if eng is not None else None,
        "england_status": status if eng is not None else None,
        "england_comparable": comparable and eng is not None,
        "marker": marker,
    }


HP, CIC, CL, WF = (
    "help_and_protection",
    "children_in_care",
    "care_leavers",
    "leadership_and_workforce",
)


def make_pack(suppress_below: int | None = None) -> dict:
    months = month_ends(dt.date(2023, 4, 1), 36)
    hp05 = [
        {
            "as_at": d.isoformat(),
            "value": 80 + (i % 12) * 0.9,
            "numerator": 400 + i,
            "denominator": 480,
        }
        for i, d in enumerate(months)
        if i != 20
    ]  # a gap at i=20
    hp03 = [
        {
            "as_at": d.isoformat(),
            "value": 20.0 + i / 2,
            "numerator": 50 + i,
            "denominator": 6 if i == 5 else 250,
        }
        for i, d in enumerate(months[-12:])
    ]
    cl01 = [{"as_at": d.isoformat(), "value": 70.0 + i} for i, d in enumerate(months[-6:])]
    return {
        "la_code": "999",
        "la_name": "Synthshire",
        "as_at": "2026-03-31",
        "generated_at": "2026-04-02T09:15:00+00:00",
        "indicators": [
            row("HP03", HP, "percent", "low", 25.0, 125.0, 500.0, "worse", 22.6, 2025),
            row(
                "HP05",
                HP,
                "percent",
                "high",
                90.14,
                451.0,
                500.0,
                "better",
                85.7,
                2025,
                status="derived",
            ),
            row(
                "HP09",
                HP,
                "percent",
                "high",
                81.36,
                48.0,
                59.0,
                "same",
                81.4,
                2025,
                status="derived",
            ),
            row(
                "HP12",
                HP,
                "percent",
                "band",
                1.25,
                1.0,
                80.0,
                "warning",
                16.6,
                2015,
                status="unconfirmed",
            ),
            row(
                "HP02",
                HP,
                "rate_per_10000",
                "context",
                250.34,
                1200.0,
                47945.0,
                "n/a",
                632830,
                2025,
                comparable=False,
                eng_unit="count",
            ),
            row(
                "CIC01",
                CIC,
                "rate_per_10000",
                "context",
                72.4,
                350.0,
                48343.0,
                "higher",
                67,
                2025,
                period="at_A",
            ),
            row(
                "CIC04",
                CIC,
                "percent",
                "low",
                9.0,
                18.0,
                200.0,
                "better",
                11,
                2025,
                title=HOSTILE_TITLE,
            ),
            row(
                "ADP1",
                CIC,
                "days",
                "low",
                400.6,
                None,
                14.0,
                "better",
                486,
                2018,
                status="unconfirmed",
            ),
            row(
                "CL01",
                CL,
                "percent",
                "high",
                80.0,
                4.0,
                5.0,
                "worse",
                91,
                2021,
                status="unconfirmed",
            ),
            row(
                "WF01",
                WF,
                "count",
                "context",
                6.0,
                6.0,
                None,
                "lower",
                34300,
                2024,
                status="derived",
            ),
            row(
                "WF05",
                WF,
                "cases_per_worker",
                "low",
                16.2,
                810.0,
                50.0,
                "worse",
                15.4,
                2024,
                status="secondary",
            ),
            row("WF02", WF, "percent", "low", None, None, None, "n/a", 16.2, 2024),
        ],
        "history": {"HP05": hp05, "HP03": hp03, "CL01": cl01, "WF02": []},
        "drilldowns": [
            {
                "id": "assessments_over_45wd",
                "title": LONG_TITLE,
                "question": "Which assessments are open beyond 45 working days, and why?",
                "columns": [
                    "Child Unique ID",
                    "Worker",
                    "Start",
                    "Working days",
                    "Plus",
                    "At",
                    "Minus",
                    "Empty",
                ],
                "rows": [
                    ["CHILD0001", SCRIPT, dt.date(2026, 1, 5), 52, "+1", "@SUM(A1)", "-3", None],
                    ["CHILD0002", FORMULA, "2026-01-09", 49, "ok", "x", "y", "z"],
                ],
                "note": "Open assessments only; team from the CMS.",
            },
            {
                "id": "assessments_over_45wd_team",
                "title": LONG_TITLE,
                "question": "Same question, second table (same title: sheet names stay unique)",
                "columns": ["Child Unique ID", "Team"],
                "rows": [["CHILD0003", "Team [A]/B"]],
                "note": "",
            },
        ],
        "changes": {
            "previous_as_at": "2026-02-28",
            "lists": [
                {
                    "list": 1,
                    "title": "List 1: Contacts",
                    "added": 10,
                    "removed": 4,
                    "changed": 2,
                    "added_ids": ["CHILD0101"],
                    "removed_ids": ["=CHILD0102"],
                    "changed_ids": [],
                },
                {
                    "list": 3,
                    "title": "List 3: Referrals",
                    "added": 25,
                    "removed": 12,
                    "changed": 11,
                },
            ],
        },
        "suppress_below": suppress_below,
    }


def tr(page: str, ind_id: str) -> str:
    """The table row of one indicator."""
    m = re.search(rf'<tr id="ind-{ind_id}">.*?</tr>', page, re.S)
    assert m, f"no row for {ind_id}"
    return m.group(0)


def is_owner_only(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------


def test_html_full_pack(tmp_path):
    path = write_pack_html(tmp_path / "pack.html", make_pack())
    assert path == tmp_path / "pack.html" and is_owner_only(path)
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    # self-contained: no external address, script, font or image
    low = page.lower()
    for bad in (
        "http://",
        "https://",
        "<script",
        "src=",
        "url(",
        "@import",
        "<link",
        "@font-face",
        "<img",
        "<iframe",
        " on",
    ):
        if bad == " on":
            assert not re.search(r"\son[a-z]+\s*=", low), "event handler attribute"
        else:
            assert bad not in low, bad
    assert "Content-Security-Policy" in page and "default-src &#x27;none&#x27;" in page
    # header
    assert "Synthshire (999)" in page and "31/03/2026" in page and "02/04/2026 09:15 UTC" in page
    # judgement areas in ILACS order, each its own section; page breaks between them in print
    heads = re.findall(r'<section class="area" id="area-([a-z_]+)"><h2>([^<]+)</h2>', page)
    assert heads == [
        (HP, "Help and protection"),
        (CIC, "Children in care"),
        (CL, "Care leavers"),
        (WF, "Leadership and workforce"),
    ]
    print_css = page[page.index("@media print") :]
    assert "section.area" in print_css and "break-before: page" in print_css
    assert "print-color-adjust: exact" in print_css
    # every marker: colour class AND symbol AND word, as the row carries it (polarity applied)
    expected = {
        "HP03": ("m-worse", "\u25bc", "worse"),
        "HP05": ("m-better", "\u25b2", "better"),
        "HP09": ("m-same", "=", "same"),
        "HP12": ("m-warning", "\u26a0", "warning: very low"),
        "HP02": ("m-na", "\u2013", "n/a"),
        "CIC01": ("m-context", "\u2191", "higher"),
        "WF01": ("m-context", "\u2193", "lower"),
        "WF05": ("m-worse", "\u25bc", "worse"),
    }
    for ind_id, (css, symbol, word) in expected.items():
        assert (
            f'<span class="marker {css}"><span aria-hidden="true">{symbol}</span> {word}</span>'
        ) in tr(page, ind_id), ind_id
    # values in their units and precision
    assert ">90.1%<" in tr(page, "HP05") and ">81.4%<" in tr(page, "HP09")
    assert ">250.3 per 10,000<" in tr(page, "HP02") and ">401 days<" in tr(page, "ADP1")
    assert ">16.2 cases per worker<" in tr(page, "WF05") and ">6<" in tr(page, "WF01")
    assert ">not available<" in tr(page, "WF02")
    assert "451 / 500" in tr(page, "HP05") and "1,200 / 47,945" in tr(page, "HP02")
    assert "6 months to 31/03/2026" in tr(page, "HP05") and "at 31/03/2026" in tr(page, "CIC01")
    # England with year and status marks; a different measure is shown, not compared
    assert "85.7% (2025) \u2020" in tr(page, "HP05") and "22.6% (2025)<" in tr(page, "HP03")
    assert "16.6% (2015) (u)" in tr(page, "HP12") and "15.4 cases per worker (2024) \u2021" in tr(
        page, "WF05"
    )
    assert "632,830 (2025) - different measure, not compared" in tr(page, "HP02")
    # each row links to its definition in the glossary at the end (from the catalogue; rows
    # carry none), after the drill-downs and what changed
    cat = load_catalogue()
    glossary = page[page.index('<section class="glossary" id="glossary">') :]
    assert page.index('id="glossary"') > page.index('id="changes"') > page.index('id="area-')
    for ind_id in ("HP05", "WF05"):
        defn = " ".join(cat[ind_id]["definition"].split())
        assert f'href="#def-{ind_id}"' in tr(page, ind_id)
        entry = re.search(rf'<dt id="def-{ind_id}">.*?</dd>', glossary, re.S)
        assert entry and defn[:50].replace("'", "&#x27;") in entry.group(0), ind_id
        assert defn[:50].replace("'", "&#x27;") not in tr(page, ind_id)
    assert "Polarity: band" in re.search(r'<dt id="def-HP12">.*?</dd>', glossary, re.S).group(0)
    # a line chart when history exists: first/last month and min/max labelled
    hp05 = tr(page, "HP05")
    assert hp05.count("<svg") == 1 and "Apr 2023</text>" in hp05 and "Mar 2026</text>" in hp05
    assert ">80.0</text>" in hp05 and ">89.9</text>" in hp05
    assert hp05.count("<polyline") == 2  # the missing month splits the line
    assert 'class="ref"' in hp05  # England reference line
    assert "no history" in tr(page, "HP09") and "no history" in tr(page, "WF02")
    assert 'class="ref"' not in tr(page, "HP02")  # not comparable: no reference line
    # escaping: a hostile title and hostile drill-down values are text
    assert "Missing &lt;b&gt;from&lt;/b&gt; care &amp; &quot;run&quot;" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "=HYPERLINK(&quot;x&quot;)" in page
    # drill-downs with their question; what changed
    assert "Line of enquiry: Which assessments are open beyond 45 working days, and why?" in page
    assert "CHILD0001" in page and "05/01/2026" in page and "Open assessments only" in page
    assert "<td>09/01/2026</td>" in page  # an ISO date string from JSON
    assert "Compared with the return as at 28/02/2026" in page
    chg = page[page.index('<table class="chg">') :]
    assert re.search(
        r"List 1: Contacts</td><td class=\"num\">10</td><td class=\"num\">4</td>"
        r"<td class=\"num\">2</td>",
        chg,
    )
    assert "added: CHILD0101; removed: =CHILD0102" in chg  # examples, full pack only
    assert SUPPRESSED not in page and "Full pack: contains child-level" in page


def test_html_aggregate_only(tmp_path):
    page = write_pack_html(tmp_path / "agg.html", make_pack(suppress_below=10)).read_text()
    assert "Aggregate-only view" in page and f"<strong>{SUPPRESSED}</strong> suppressed" in page
    supp = f'<span class="value supp">{SUPPRESSED}</span>'
    # 4 of 5: both counts below 10, so the percentage too
    assert supp in tr(page, "CL01") and f"{SUPPRESSED} / {SUPPRESSED}" in tr(page, "CL01")
    # count 6 < 10 suppressed; its marker too
    assert supp in tr(page, "WF01") and "m-supp" in tr(page, "WF01")
    # numerator 1 < 10 with denominator 80: the percentage would give it away, so suppressed
    assert supp in tr(page, "HP12") and f"{SUPPRESSED} / 80" in tr(page, "HP12")
    # large enough: shown
    for ind_id, text in (
        ("HP05", ">90.1%<"),
        ("HP09", ">81.4%<"),
        ("ADP1", ">401 days<"),
        ("HP02", ">250.3 per 10,000<"),
        ("WF05", ">16.2 cases per worker<"),
    ):
        assert text in tr(page, ind_id) and SUPPRESSED not in tr(page, ind_id), ind_id
    # trends: a point with denominator < 10 becomes a gap; points that cannot be checked go
    hp03 = tr(page, "HP03")
    assert hp03.count("<polyline") == 2 and "11 monthly values" in hp03
    assert "no history" in tr(page, "CL01")
    # child-level drill-downs are left out entirely, with a note
    assert "CHILD000" not in page and "alert(1)" not in page and "HYPERLINK" not in page
    assert LONG_TITLE not in page
    assert "the 2 child-level drill-down table(s) are omitted" in page
    assert "Examples of the records that changed (child-level) are omitted" in page
    # what changed: counts below the threshold suppressed
    chg = page[page.index('<table class="chg">') :]
    assert (
        f'List 1: Contacts</td><td class="num">10</td><td class="num">{SUPPRESSED}</td>'
        f'<td class="num">{SUPPRESSED}</td>'
    ) in chg
    assert "http://" not in page and "https://" not in page


class Elements(HTMLParser):
    """Every element and attribute a browser would build from the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [name for name, _ in attrs]


def elements(page: str) -> Elements:
    parsed = Elements()
    parsed.feed(page)
    return parsed


def test_script_in_any_value_renders_as_text():
    """A <script> (or an attribute break-out) in a team, a worker, an indicator's wording, an
    LA name or a change list is text in the page, in the full and the aggregate-only view."""
    attack = "<script>alert('pwn')</script>"
    breakout = 'x" onmouseover="alert(1)'
    pack = make_pack()
    pack["la_name"] = attack
    first = pack["indicators"][0]
    first.update(
        id=breakout, period_label=attack, definition=attack, numerator_text=attack, polarity=attack
    )
    drill = pack["drilldowns"][1]  # columns: Child Unique ID, Team
    drill["rows"].append(["CHILD0004", attack])
    pack["drilldowns"][0]["rows"][0][1] = attack  # the Worker column
    pack["changes"]["lists"][0].update(title=attack, added_ids=[attack])
    escaped = "&lt;script&gt;alert(&#x27;pwn&#x27;)&lt;/script&gt;"
    for view in (None, 10):
        page = render_html({**pack, "suppress_below": view})
        parsed = elements(page)
        assert "script" not in parsed.tags and "onmouseover" not in parsed.attrs, view
        assert "<script" not in page.lower() and page.count(escaped) >= 6, view
        assert 'id="ind-x&quot; onmouseover=&quot;alert(1)"' in page, view
    full = render_html(pack)
    assert f"<tr><td>CHILD0001</td><td>{escaped}</td>" in full  # a worker in a drill-down
    assert f"<tr><td>CHILD0004</td><td>{escaped}</td></tr>" in full  # a team in a drill-down
    assert f"<title>Intelligence pack - {escaped} - as at 31/03/2026</title>" in full


def test_suppression_rules():
    assert suppression("percent", 80.0, 4, 5, None) == dict.fromkeys(
        ("value", "numerator", "denominator"), False
    )
    assert suppression("percent", 80.0, 40, 50, 10)["value"] is False
    assert suppression("percent", 80.0, 4, 50, 10) == {
        "value": True,
        "numerator": True,
        "denominator": False,
    }
    assert suppression("percent", 80.0, 8, 9, 10)["value"] is True
    assert suppression("percent", 80.0, None, None, 10)["value"] is True  # cannot check
    assert suppression("count", 9, 9, None, 10)["value"] is True
    assert suppression("count", 10, 10, None, 10)["value"] is False
    assert suppression("rate_per_10000", 1.2, 6, 50000, 10)["value"] is True
    assert suppression("percent", None, None, None, 10)["value"] is False  # nothing to hide
    for bad in ("5", True, 0, 2.5):
        with pytest.raises(ValueError):
            render_html({**make_pack(), "suppress_below": bad})


def test_sparkline_axes_and_gaps():
    pts = [
        (dt.date(2024, 1, 31), 10.0),
        (dt.date(2024, 2, 29), None),
        (dt.date(2024, 3, 31), 30.0),
        (dt.date(2024, 4, 30), 20.0),
    ]
    svg = sparkline(pts, "percent", reference=25.0, label="X <1>")
    assert svg.startswith("<svg") and "xmlns" not in svg
    assert "Jan 2024</text>" in svg and "Apr 2024</text>" in svg
    assert ">30.0</text>" in svg and ">10.0</text>" in svg
    assert svg.count("<circle") == 2 and svg.count("<polyline") == 1  # lone point, then a line
    assert "X &lt;1&gt;" in svg and "England 25.0" in svg
    assert (
        sparkline([(dt.date(2024, 1, 31), None)], "percent")
        == '<span class="nohist">no history</span>'
    )
    one = sparkline([(dt.date(2024, 1, 31), 5.0)], "count")
    assert "<svg" in one and ">5</text>" in one


def test_html_overwrites_owner_only(tmp_path):
    path = tmp_path / "pack.html"
    path.write_text("old")
    path.chmod(0o644)
    write_pack_html(path, make_pack())
    assert is_owner_only(path) and "Synthshire" in path.read_text()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


# --------------------------------------------------------------------------------------------
# xlsx
# --------------------------------------------------------------------------------------------


def cells(ws) -> list:
    return [c for r in ws.iter_rows() for c in r if c.value is not None]


def test_xlsx_full_pack(tmp_path):
    path = write_pack_xlsx(tmp_path / "pack.xlsx", make_pack())
    assert is_owner_only(path)
    wb = load_workbook(path)
    names = wb.sheetnames
    assert names[:2] == ["Indicators", "Trends"] and names[-2:] == ["Changes", "About"]
    drills = names[2:-2]
    assert len(drills) == 2 and all(len(n) <= 31 for n in drills)
    assert len({n.lower() for n in drills}) == 2 and drills[1].endswith(" (2)")
    # Indicators: one row per indicator
    ws = wb["Indicators"]
    head = [c.value for c in ws[1]]
    assert head == [
        "Area",
        "Id",
        "Title",
        "Value",
        "Unit",
        "Numerator",
        "Denominator",
        "Period",
        "England value",
        "England year",
        "Marker",
        "Polarity",
        "Definition",
    ]
    rows = {r[1]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == 12
    assert rows["HP05"][:12] == (
        "Help and protection",
        "HP05",
        "Assessments completed within 45 working days",
        90.1,
        "%",
        451,
        500,
        "6 months to 31/03/2026",
        85.7,
        2025,
        "better",
        "high",
    )
    assert rows["HP05"][12].startswith("Assessments authorised in the period")
    assert rows["HP12"][10] == "warning: very low" and rows["CIC01"][10] == "higher"
    assert rows["WF01"][10] == "lower" and rows["HP09"][10] == "same"
    assert rows["ADP1"][3] == 401 and rows["WF02"][3] is None and rows["WF02"][10] == "n/a"
    assert rows["CIC04"][2] == HOSTILE_TITLE
    # Trends: indicator x month
    tw = wb["Trends"]
    months = [c.value for c in tw[1]][3:]
    assert len(months) == 36 and months[0] == "2023-04-30" and months[-1] == "2026-03-31"
    trend = {r[0]: r for r in tw.iter_rows(min_row=2, values_only=True)}
    assert set(trend) == {"HP05", "HP03", "CL01"}
    assert trend["HP05"][3] == 80.0 and trend["HP05"][3 + 20] is None
    assert trend["HP03"][3 + 24] == 20.0 and trend["HP03"][3] is None
    # drill-down: hostile values are text cells, never formulas
    dw = wb[drills[0]]
    assert dw["A1"].value == LONG_TITLE and dw["A2"].value.startswith("Line of enquiry: ")
    assert [c.value for c in dw[5]][:2] == ["Child Unique ID", "Worker"]
    assert dw["B6"].value == SCRIPT and dw["B7"].value == FORMULA
    assert dw["B7"].data_type == "s" and dw["E6"].data_type == "s" and dw["E6"].value == "+1"
    assert dw["F6"].value == "@SUM(A1)" and dw["G6"].value == "-3"
    assert dw["C6"].value == dt.datetime(2026, 1, 5) and dw["D6"].value == 52
    assert dw["C7"].value == dt.datetime(2026, 1, 9) and dw["C7"].is_date
    assert wb[drills[1]]["B6"].value == "Team [A]/B"
    # no cell anywhere is a formula; text starting = + - @ is a text cell
    for sheet in wb.worksheets:
        for c in cells(sheet):
            assert c.data_type != "f", (sheet.title, c.coordinate)
            if isinstance(c.value, str) and c.value[:1] in "=+-@":
                assert c.data_type == "s", (sheet.title, c.coordinate)
    # Changes
    cw = wb["Changes"]
    assert [c.value for c in cw[1]] == [
        "List",
        "Title",
        "Added",
        "Removed",
        "Changed",
        "Previous as at",
        "Current as at",
        "Examples (record keys)",
    ]
    assert [c.value for c in cw[2]][:5] == [1, "List 1: Contacts", 10, 4, 2]
    assert cw["H2"].value == "added: CHILD0101; removed: =CHILD0102"
    assert cw["F2"].value == dt.datetime(2026, 2, 28)
    # the raw XML holds no formula element at all
    import zipfile

    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)


def test_xlsx_aggregate_only(tmp_path):
    path = write_pack_xlsx(tmp_path / "agg.xlsx", make_pack(suppress_below=10))
    assert is_owner_only(path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Indicators", "Trends", "Changes", "About"]  # no drill-downs
    rows = {r[1]: r for r in wb["Indicators"].iter_rows(min_row=2, values_only=True)}
    assert rows["CL01"][3] == SUPPRESSED and rows["CL01"][5] == SUPPRESSED
    assert rows["CL01"][6] == SUPPRESSED and rows["CL01"][10] == SUPPRESSED
    assert rows["WF01"][3] == SUPPRESSED and rows["HP12"][3] == SUPPRESSED
    assert rows["HP12"][5] == SUPPRESSED and rows["HP12"][6] == 80
    assert rows["HP05"][3] == 90.1 and rows["HP05"][10] == "better"
    trend = {r[0]: r for r in wb["Trends"].iter_rows(min_row=2, values_only=True)}
    assert trend["HP03"][3 + 24 + 5] == SUPPRESSED and trend["HP03"][3 + 24 + 6] == 23.0
    assert all(v == SUPPRESSED for v in trend["CL01"][3 + 30 :])
    chg = [c.value for c in wb["Changes"][2]]
    assert chg == [
        1,
        "List 1: Contacts",
        10,
        SUPPRESSED,
        SUPPRESSED,
        dt.datetime(2026, 2, 28),
        dt.datetime(2026, 3, 31),
    ]  # no example keys
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True)}
    assert "2 child-level drill-down(s) omitted" in about["View"]
    text = " ".join(str(c.value) for s in wb.worksheets for c in cells(s))
    assert "CHILD000" not in text and "HYPERLINK" not in text


def test_sheet_names():
    taken = {"indicators", "trends", "changes", "about"}
    assert sheet_name("Trends", taken) == "Trends (2)"
    long = sheet_name("x" * 40, taken)
    assert long == "x" * 31
    assert sheet_name("x" * 40, taken) == "x" * 27 + " (2)"
    assert sheet_name("a/b:c*d?[e]\\f", taken) == "a b c d e f"
    assert sheet_name("''", taken) == "Drill-down"


# --------------------------------------------------------------------------------------------
# a real headless browser
# --------------------------------------------------------------------------------------------

CHROMIUM_FLAGS = [*HEADLESS_FLAGS, "--disable-quic", "--enable-logging=stderr", "--v=0"]


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    if not Path(CHROMIUM).exists():
        pytest.skip("install Debian chromium (the CI installs it)")
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    return subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
    )


def console_lines(stderr: str) -> list[str]:
    """Messages the page logged to its console (chromium logs them as ...:CONSOLE:...)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


@pytest.fixture(scope="module")
def browser_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("browser")


def test_browser_renders_pack_without_console_errors(browser_dir):
    pack = make_pack()
    html_path = write_pack_html(browser_dir / "pack.html", pack)
    run = chromium(browser_dir, "--dump-dom", html_path.as_uri())
    assert run.returncode == 0, run.stderr[-3000:]
    dom = run.stdout
    for r in pack["indicators"]:
        assert r["title"].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in dom
    assert dom.count("<svg") >= 3 and "<polyline" in dom
    assert "Line of enquiry" in dom and "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert console_lines(run.stderr) == [], console_lines(run.stderr)

    # the console check can fail: a page that logs an error is caught
    probe = browser_dir / "probe.html"
    probe.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>p</title></head>'
        '<body><script>console.error("annexa-probe")</script></body></html>'
    )
    run = chromium(browser_dir, "--dump-dom", probe.as_uri())
    assert run.returncode == 0 and any("annexa-probe" in x for x in console_lines(run.stderr))

    # defence in depth: a script that slipped into the pack would not run (CSP)
    page = html_path.read_text().replace(
        "</main>", "<script>document.body.setAttribute('data-pwned','1')</script></main>"
    )
    bad = browser_dir / "injected.html"
    bad.write_text(page)
    run = chromium(browser_dir, "--dump-dom", bad.as_uri())
    assert run.returncode == 0 and 'data-pwned="1"' not in run.stdout
    assert any("Content Security Policy" in x for x in console_lines(run.stderr))


def test_browser_prints_pack_to_pdf(browser_dir):
    html_path = write_pack_html(browser_dir / "print.html", make_pack())
    pdf = browser_dir / "pack.pdf"
    run = chromium(
        browser_dir, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html_path.as_uri()
    )
    assert run.returncode == 0, run.stderr[-3000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    # the header, one page or more per judgement area, the drill-downs, what changed
    assert pages >= 7, pages
    assert console_lines(run.stderr) == []


def test_browser_screenshot(browser_dir):
    html_path = write_pack_html(browser_dir / "shot.html", make_pack(suppress_below=10))
    png = browser_dir / "pack.png"
    run = chromium(browser_dir, f"--screenshot={png}", "--window-size=1366,900", html_path.as_uri())
    assert run.returncode == 0, run.stderr[-3000:]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    if shutil.which("file"):
        assert (
            "1366 x 900"
            in subprocess.run(["file", str(png)], capture_output=True, text=True).stdout
        )


# --------------------------------------------------------------------------------------------
# the real indicator rows
# --------------------------------------------------------------------------------------------


def test_renders_real_indicator_rows(tmp_path):
    """Every row compute_indicators returns on the small synthetic CMS renders in both files
    (rates have no population in the CMS: value None, shown as not available)."""
    from annexa.core.dates import Windows
    from annexa.pack.indicators import compute_indicators
    from annexa.source.extract import extract
    from annexa.source.synthetic import generate
    from annexa.transform.mapping import Mapping
    from annexa.transform.runner import (
        connect,
        register_reference,
        register_snapshot,
        run_models,
    )

    as_at = dt.date(2026, 3, 31)
    url = f"sqlite:///{tmp_path / 'cms.db'}"
    generate(url, scale="small", seed=1, as_at=as_at)
    con = connect(tmp_path / "work")
    try:
        register_snapshot(con, extract(url, tmp_path / "snapshot"))
        register_reference(
            con,
            Windows.for_date(as_at),
            la_code="999",
            la_name="Synthshire",
            version="later",
            mapping=Mapping(),
        )
        run_models(con)
        rows = compute_indicators(con)
    finally:
        con.close()
    pack = {**make_pack(), "indicators": rows, "history": {"HP05": make_pack()["history"]["HP05"]}}
    page = write_pack_html(tmp_path / "real.html", pack).read_text()
    for r in rows:
        html_row = tr(page, r["id"])
        assert r["title"].replace("&", "&amp;") in html_row
        if r["value"] is None:
            assert ">not available<" in html_row
    wb = load_workbook(write_pack_xlsx(tmp_path / "real.xlsx", pack))
    ids = [r[1] for r in wb["Indicators"].iter_rows(min_row=2, values_only=True)]
    order = list(AREA_TITLES)
    assert ids == [r["id"] for r in sorted(rows, key=lambda r: order.index(r["area"]))]
    agg = render_html({**pack, "suppress_below": 10})
    assert all(r["title"].replace("&", "&amp;") in agg for r in rows)
