"""The headline page, a child's journey and an explorer filter in a real headless browser
(Debian chromium; issue 12.6): DOM assertions on what the page shows after its script ran, and
screenshots. The explorer is made from the published CSVs of a hand-built CMS whose worker and
team names are hostile; the expected rows are worked out by hand below."""

from __future__ import annotations

import datetime as dt
import json
import re
import stat
import urllib.parse

import pytest
from golden.cms import make_cms

from annexa.core.dates import Windows
from annexa.pack.explorer import write_explorer
from annexa.pack.html import write_pack_html
from annexa.publish.workbook import ReturnFacts, write_csvs
from annexa.source.extract import extract
from annexa.transform.mapping import Mapping
from annexa.transform.runner import build
from pack.test_breakdowns import ROWS as BREAKDOWN_ROWS
from pack.test_headline import pack as headline_pack
from pack.test_render import chromium, console_lines

pytestmark = pytest.mark.golden

D = dt.date
A = D(2026, 6, 30)
SCRIPT_NAME = "Bob <" + "/script><script>document.body.dataset.pwned='1'<" + "/script> Jones"
FORMULA_TEAM = '=HYPERLINK("http://example.invalid")'

# police contacts (code 6) on these days; three health contacts (3A) too
POLICE = [
    ("C01", "P1", D(2026, 1, 5)),
    ("C02", "P2", D(2026, 1, 20)),
    ("C03", "P3", D(2026, 2, 2)),
    ("C04", "P4", D(2026, 2, 16)),
    ("C05", "P1", D(2026, 3, 2)),
    ("C06", "P2", D(2026, 3, 16)),
    ("C07", "P3", D(2026, 4, 1)),
    ("C08", "P4", D(2026, 4, 20)),
    ("C09", "P1", D(2026, 5, 5)),
    ("C10", "P2", D(2026, 5, 18)),
    ("C11", "P3", D(2026, 6, 1)),
    ("C12", "P4", D(2026, 6, 15)),
]
HEALTH = [
    ("C13", "P1", D(2026, 6, 29)),
    ("C14", "P2", D(2026, 6, 30)),
    ("C15", "P3", D(2026, 2, 1)),
]


def _contact(cid, pid, day, code):
    return {
        "cont_contact_id": cid,
        "cont_person_id": pid,
        "cont_contact_date": day,
        "cont_contact_source_code": code,
    }


def rows() -> dict:
    out = {k: [dict(r) for r in v] for k, v in BREAKDOWN_ROWS.items()}
    out["ssd_professionals"][1]["prof_professional_name"] = SCRIPT_NAME
    out["ssd_department"][1]["dept_team_name"] = FORMULA_TEAM
    out["ssd_contacts"] = [_contact(c, p, d, "6") for c, p, d in POLICE] + [
        _contact(c, p, d, "3A") for c, p, d in HEALTH
    ]
    assert {r["pers_person_id"] for r in out["ssd_person"]} == {"P1", "P2", "P3", "P4"}
    return out


@pytest.fixture(scope="module")
def explorer(tmp_path_factory):
    folder = tmp_path_factory.mktemp("explorer")
    snap = extract(make_cms(folder / "cms", rows()), folder / "snapshot")
    w = Windows.for_date(A)
    result = build(snap, folder / "work", w, la_code="999", la_name="S", mapping=Mapping())
    release = folder / "999" / A.isoformat()
    release.mkdir(parents=True)
    facts = ReturnFacts(
        "999", "Synthshire", A, w.w6_start, w.w12_start, "later", dt.datetime.now(dt.UTC)
    )
    write_csvs(release, result.lists, facts)
    return write_explorer(folder / "explorer.html", release, "999", "Synthshire", A.isoformat())


def dom(tmp_path, path, fragment: str = "") -> tuple[str, list[str]]:
    run = chromium(tmp_path, "--dump-dom", path.as_uri() + fragment)
    assert run.returncode == 0, run.stderr[-3000:]
    return run.stdout, console_lines(run.stderr)


def body_data(page: str) -> dict[str, str]:
    tag = re.search(r"<body([^>]*)>", page).group(1)
    return dict(re.findall(r'data-([a-z]+)="([^"]*)"', tag))


def cells(page: str, table_id: str) -> list[list[str]]:
    body = re.search(rf'<table id="{table_id}">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    return [
        [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
        for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def test_explorer_is_owner_only_offline_and_escaped(explorer):
    assert stat.S_IMODE(explorer.stat().st_mode) == 0o600
    page = explorer.read_text()
    low = page.lower()
    assert "http://" not in low.replace("http://example.invalid", "") and "https://" not in low
    assert "<link" not in low and "src=" not in low
    assert "script-src 'sha256-" in page.replace("&#x27;", "'")
    assert "Full pack: contains child-level records" in page
    # the hostile worker name is data, never markup: no "</script>" or "<!--" inside the JSON
    data = page[page.index('<script type="application/json" id="data">') :]
    data = data[len('<script type="application/json" id="data">') : data.index("</script>")]
    assert "<" not in data and json.loads(data)["as_at"] == A.isoformat()


def test_explorer_latest_10_police_contacts(explorer, tmp_path):
    src = urllib.parse.quote("q) 6: Police")
    page, console = dom(tmp_path, explorer, f"#list=1&source={src}&latest=10&export=1")
    assert console == [], console
    data = body_data(page)
    assert data["rows"] == "10" and data["exported"] == "10" and "pwned" not in data
    got = cells(page, "grid")
    # the 10 latest of the 12 police contacts, newest first: C12 back to C03
    want = sorted(POLICE, key=lambda x: x[2], reverse=True)[:10]
    assert [(r[0], r[5]) for r in got] == [(p, d.strftime("%d/%m/%Y")) for _, p, d in want]
    assert all(r[6] == "q) 6: Police" for r in got)
    assert "List 1: Contacts: 10 of 15 rows" in page
    png = tmp_path / "explorer.png"
    run = chromium(
        tmp_path,
        f"--screenshot={png}",
        "--window-size=1366,900",
        explorer.as_uri() + f"#list=1&source={src}&latest=10",
    )
    assert run.returncode == 0 and png.stat().st_size > 10_000


def test_explorer_child_journey(explorer, tmp_path):
    page, console = dom(tmp_path, explorer, "#journey=P1")
    assert console == []
    # P1: 3 police contacts and 1 health contact (List 1), AS1 and AS2 (List 4), the open CIN
    # episode RP1 (List 6); RP1 is dated before W6, so no List 3 row. In list order, then date.
    assert body_data(page)["journey"] == "7"
    got = cells(page, "journey")
    assert [(r[0], r[1]) for r in got] == [
        ("List 1: Contacts", "05/01/2026"),
        ("List 1: Contacts", "02/03/2026"),
        ("List 1: Contacts", "05/05/2026"),
        ("List 1: Contacts", "29/06/2026"),
        ("List 4: Assessments", "05/01/2026"),
        ("List 4: Assessments", "02/02/2026"),
        ("List 6: Children in Need", "15/12/2025"),
    ]
    assert [r[4] for r in got if r[0].startswith("List 4")] == ["Alice Smith", "Alice Smith"]
    png = tmp_path / "journey.png"
    run = chromium(
        tmp_path, f"--screenshot={png}", "--window-size=1366,900", explorer.as_uri() + "#journey=P1"
    )
    assert run.returncode == 0 and png.stat().st_size > 10_000


def test_explorer_children_of_a_worker_and_a_team(explorer, tmp_path):
    # Bob Jones (the hostile name) has P2 (AS3, open CIN) and P3 (AS4, closed CIN)
    frag = "#children=1&worker=" + urllib.parse.quote(SCRIPT_NAME)
    page, console = dom(tmp_path, explorer, frag)
    data = body_data(page)
    assert data["children"] == "2" and "pwned" not in data
    got = cells(page, "people")
    assert [r[0] for r in got] == ["P2", "P3"]
    assert got[0][1] == "L4, L6 (open)" and got[1][1] == "L4, L6"
    assert "Bob &lt;/script&gt;&lt;script&gt;" in page  # shown as text
    # the team with a formula-like name: shown without the CSV guard
    frag = "#children=1&team=" + urllib.parse.quote("'" + FORMULA_TEAM)
    page, _ = dom(tmp_path, explorer, frag)
    assert body_data(page)["children"] == "2"
    teams = [r[4] for r in cells(page, "people")]
    assert teams == [FORMULA_TEAM.replace('"', "&quot;")] * 2 or teams == [FORMULA_TEAM] * 2


def test_headline_page_in_the_browser(tmp_path):
    path = write_pack_html(tmp_path / "pack.html", headline_pack())
    page, console = dom(tmp_path, path)
    assert console == [], console
    tiles = re.findall(r'<div class="tile" id="tile-([A-Z0-9]+)">', page)
    assert tiles == ["CONTACTS", "HP03", "HP05", "CIC01"]
    assert page.index('id="headline"') < page.index('id="area-help_and_protection"')
    assert "+1.0 pp" in page and "84.1% (2025)" in page and "90.0% (2026)" in page
    assert page.count('<polyline class="ln"') >= 1
    png = tmp_path / "headline.png"
    run = chromium(tmp_path, f"--screenshot={png}", "--window-size=1366,1000", path.as_uri())
    assert run.returncode == 0 and png.stat().st_size > 10_000


# worker caseloads as breakdowns() gives them (largest first, then by name); hostile name kept
CASELOADS = [
    ("Carol Ng", "Child Protection", (5, 3, 0, 0), 5),
    (SCRIPT_NAME, "Front Door", (3, 0, 2, 0), 4),
    ("alice smith", "Assessment Team 1", (1, 0, 0, 2), 3),
    ("Dev Patel", "Assessment Team 1", (2, 1, 0, 0), 2),
]


def caseload_pack(suppress_below: int | None = None) -> dict:
    loads = [
        {
            "worker": w,
            "team": t,
            "by_list": dict(zip(("6", "7", "8", "9"), n, strict=True)),
            "children": c,
        }
        for w, t, n, c in CASELOADS
    ]
    views = {"lists": [], "caseloads": loads, "unallocated": {"6": 1, "7": 0, "8": 0, "9": 0}}
    return headline_pack() | {"list_views": views, "suppress_below": suppress_below}


def test_the_sorter_is_the_only_script_and_only_in_the_full_pack(tmp_path):
    from annexa.core.templating import inline_script, script_hash

    page = write_pack_html(tmp_path / "pack.html", caseload_pack()).read_text()
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", page, re.S)
    assert scripts == [str(inline_script("pack_sort.js"))]
    csp = re.search(r'Content-Security-Policy" content="([^"]*)"', page).group(1)
    csp = csp.replace("&#x27;", "'")
    assert f"script-src {script_hash('pack_sort.js')};" in csp and "default-src 'none'" in csp
    assert "Bob &lt;/script&gt;&lt;script&gt;" in page  # the hostile name is text
    # the aggregate-only view names no worker and carries no script; nor does a pack without
    # caseloads
    for pack in (caseload_pack(suppress_below=10), headline_pack()):
        page = write_pack_html(tmp_path / "other.html", pack).read_text()
        assert "<script" not in page and "script-src" not in page.replace("&#x27;", "'")


def test_caseload_table_sorts_by_a_clicked_header_in_the_browser(tmp_path):
    from cdp import run_in_page

    path = write_pack_html(tmp_path / "pack.html", caseload_pack())
    rows = (
        "Array.from(document.querySelectorAll('#caseload-table tbody tr'), "
        "r => r.cells[0].textContent)"
    )

    def click(col: int) -> str:
        return (
            f"(document.querySelectorAll('#caseload-table thead th')[{col}]"
            ".querySelector('button.sort').click(), "
            f"[{rows}, Array.from(document.querySelectorAll('#caseload-table thead th'), "
            "h => h.getAttribute('aria-sort'))])"
        )

    bob = SCRIPT_NAME
    values, errors = run_in_page(
        path.as_uri(),
        [rows, click(0), click(0), click(4), click(1), click(6), "document.body.dataset.pwned"],
        tmp_path / "profile",
    )
    assert errors == [], errors

    def sort(col: int, how: str) -> list:
        return [how if i == col else None for i in range(8)]

    assert values[0] == ["Carol Ng", bob, "alice smith", "Dev Patel"]  # as rendered
    # Worker, text: A to Z ignoring case, then Z to A
    assert values[1] == [["alice smith", bob, "Carol Ng", "Dev Patel"], sort(0, "ascending")]
    assert values[2] == [["Dev Patel", "Carol Ng", bob, "alice smith"], sort(0, "descending")]
    # CLA (L8), a number: largest first; the ties (0) keep the rendered order
    assert values[3] == [[bob, "Carol Ng", "alice smith", "Dev Patel"], sort(4, "descending")]
    # Team A to Z: Assessment Team 1 (alice, Dev as rendered), Child Protection, Front Door
    assert values[4] == [["alice smith", "Dev Patel", "Carol Ng", bob], sort(1, "ascending")]
    # Children, largest first: back to the rendered order
    assert values[5] == [["Carol Ng", bob, "alice smith", "Dev Patel"], sort(6, "descending")]
    assert values[6] is None  # the hostile worker name never ran


def test_explorer_answers_the_two_questions_through_its_controls(explorer, tmp_path):
    """The issue's "done when", as the analyst asks it (no address fragment): choose Contacts,
    source Police, latest 10 -> the 10 latest police contacts, newest first; then the "Worker
    or team" tab, type the worker's name, press Show children -> that worker's children."""
    from cdp import run_in_page

    def rows(table: str) -> str:
        return (
            f"Array.from(document.querySelectorAll('#{table} tbody tr'), "
            "r => Array.from(r.cells, c => c.textContent))"
        )

    set_value = (
        "(function (id, v, ev) {{ var e = document.getElementById(id); e.value = v; "
        "e.dispatchEvent(new Event(ev, {{bubbles: true}})); }})({!r}, {!r}, {!r})"
    )
    worker = json.dumps(SCRIPT_NAME)
    values, errors = run_in_page(
        explorer.as_uri(),
        [
            set_value.format("f-list", "1", "change"),
            set_value.format("f-source", "q) 6: Police", "change"),
            set_value.format("f-latest", "10", "input"),
            rows("grid"),
            "document.getElementById('status').textContent",
            "document.querySelector('nav button[data-tab=people]').click()",
            f"document.getElementById('p-worker').value = {worker}",
            "document.querySelector('#p-form button[type=submit]').click()",
            rows("people"),
            "document.getElementById('p-status').textContent",
            "document.body.dataset.pwned",
        ],
        tmp_path / "profile",
    )
    assert errors == [], errors
    want = sorted(POLICE, key=lambda x: x[2], reverse=True)[:10]  # C12 back to C03
    assert [(r[0], r[5], r[6]) for r in values[3]] == [
        (p, d.strftime("%d/%m/%Y"), "q) 6: Police") for _, p, d in want
    ]
    assert values[4] == "List 1: Contacts: 10 of 15 rows"
    # Bob Jones (the hostile name): P2 (AS3, CIN open) and P3 (AS4, CIN closed)
    assert [(r[0], r[1]) for r in values[8]] == [("P2", "L4, L6 (open)"), ("P3", "L4, L6")]
    assert values[9] == f"2 child(ren) of worker {SCRIPT_NAME}"
    assert values[10] is None
