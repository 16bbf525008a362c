"""Issue 14.4 through a real DAG run on PostgreSQL: personal data and secrets.

A small synthetic CMS is generated into PostgreSQL and read through a URL with a password
(trust auth accepts any). Every worker and team name is one of the hostile values below, and
every free-text column holds a hostile value plus a unique marker. After ``annex_a`` and
``annex_a_pack`` ran:

* nothing under ``ANNEXA_HOME`` or the output folder is group/other-accessible (the test first
  sets a permissive umask, so the product's own policy is what is measured), nor the SQLite
  Airflow metadata DB;
* no date of birth, free-text marker or the password is in the task logs, the validation
  report, the worklist, validation.json or the notification text; the password is in no file,
  XCom or manifest at all;
* every hostile value is inert: a string (never a formula) in the workbook and the pack
  workbook, apostrophe-prefixed in the CSVs, text (never an element) in report.html and
  pack.html as headless Chromium builds them.
"""

import csv
import datetime as dt
import io
import json
import logging
import os
import re
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from cdp import CHROMIUM, HEADLESS_FLAGS
from conftest import PG_URL
from openpyxl import load_workbook

from annexa.cli import run_dag, run_pack_dag
from annexa.validate.report import summary_text

LA = "997"
AS_AT = dt.date(2026, 3, 31)
PASSWORD = "s3cr3t-pw"
HOSTILE = ['=HYPERLINK("http://x","y")', "@SUM(A1)", "+1", "-1", "<script>alert(1)</script>"]
MARK = re.compile(r"ftx\d+q")
# names (a worker's department text is shown as the team when nothing else names one)
NAMES = {
    "ssd_professionals": ["prof_professional_name", "prof_professional_department"],
    "ssd_department": ["dept_team_name"],
}
FREE_TEXT = {
    "ssd_contacts": ["cont_contact_source_desc"],
    "ssd_early_help_episodes": ["earl_episode_organisation"],
    "ssd_cin_episodes": ["cine_referral_source_desc"],
    "ssd_professionals": ["prof_professional_job_title"],
    "ssd_department": ["dept_team_parent_name"],
}


def _pw_url() -> str:
    return sa.engine.make_url(PG_URL).set(password=PASSWORD).render_as_string(hide_password=False)


def _poison(url: str) -> None:
    """Names get the hostile values exactly (round robin over the sorted ids); free text gets a
    hostile value, then a marker unique to the row's key."""
    from annexa.source.contract import TABLES_BY_NAME

    engine = sa.create_engine(url)
    md = sa.MetaData()
    md.reflect(engine, only=sorted(set(NAMES) | set(FREE_TEXT)))
    with engine.begin() as conn:
        for table in sorted(set(NAMES) | set(FREE_TEXT)):
            t = md.tables[table]
            key = t.c[TABLES_BY_NAME[table].key]
            ids = sorted(r[0] for r in conn.execute(sa.select(key)))
            for i, rid in enumerate(ids):
                values = {c: f"{HOSTILE[i % 5]} ftx{i}q" for c in FREE_TEXT.get(table, [])}
                values |= {c: HOSTILE[i % 5] for c in NAMES.get(table, [])}
                conn.execute(sa.update(t).where(key == rid).values(values))
    engine.dispose()


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.buf = io.StringIO()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.buf.write(record.getMessage() + "\n")
        except Exception:  # noqa: BLE001 - a log line that cannot format is not our data
            pass


@pytest.fixture(scope="module")
def private_run(airflow_db, tmp_path_factory):
    from annexa.source.synthetic import generate

    url = _pw_url()
    generate(url, scale="small", seed=7, as_at=AS_AT)
    _poison(url)
    home = tmp_path_factory.mktemp("home")
    out = tmp_path_factory.mktemp("out")
    old_home, old_umask = os.environ["ANNEXA_HOME"], os.umask(0o022)  # permissive, as a shell
    os.environ["ANNEXA_HOME"] = str(home / "annexa")
    capture = _Capture()
    logging.getLogger().addHandler(capture)
    try:
        state, _ = run_dag(url, AS_AT, out, la_code=LA)
        pack_state, pack = run_pack_dag(out, LA)
    finally:
        logging.getLogger().removeHandler(capture)
        os.environ["ANNEXA_HOME"] = old_home
        os.umask(old_umask)
    run = next((home / "annexa" / "runs" / LA / AS_AT.isoformat()).iterdir())
    return {
        "url": url,
        "state": state,
        "pack_state": pack_state,
        "pack": pack,
        "home": home / "annexa",
        "out": out,
        "run": run,
        "log": capture.buf.getvalue(),
    }


def _cms_values(url: str) -> tuple[set[str], set[str]]:
    """(dates of birth as the files write them, free-text values) of the CMS."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        dobs = {
            d
            for (a, b) in conn.execute(
                sa.text("select pers_dob, pers_expected_dob from ssd_person")
            )
            for d in (a, b)
            if d is not None
        }
    engine.dispose()

    def as_date(d):
        return d.date() if isinstance(d, dt.datetime) else d

    dates = {as_date(d) for d in dobs}
    return {
        f(d) for d in dates for f in (dt.date.isoformat, lambda x: x.strftime("%d/%m/%Y"))
    }, dates


def test_the_run_publishes_and_packs(private_run):
    assert private_run["state"] == "success"
    assert private_run["pack_state"] == "success"
    assert private_run["log"].strip()  # the capture saw the tasks' logs


def test_nothing_the_product_wrote_is_readable_by_others(private_run):
    loose = []
    for root in (private_run["home"], private_run["out"]):
        for p in [root, *root.rglob("*")]:
            if os.lstat(p).st_mode & 0o077 and not p.is_symlink():
                loose.append(f"{oct(os.lstat(p).st_mode & 0o777)} {p}")
    assert loose == []
    db = sa.engine.make_url(os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]).database
    assert os.stat(db).st_mode & 0o077 == 0


def _outputs(r) -> dict[str, str]:
    summary = json.loads((r["run"] / "validation.json").read_text())
    return {
        "task logs": r["log"],
        "report.html": (r["run"] / "report.html").read_text(),
        "worklist.csv": (r["run"] / "worklist.csv").read_text(),
        "validation.json": json.dumps(summary),
        "notification": summary_text(summary),
    }


def test_no_date_of_birth_or_free_text_in_logs_reports_worklist_or_notification(private_run):
    r = private_run
    texts, dates = _cms_values(r["url"])
    w = __import__("annexa.core.dates", fromlist=["Windows"]).Windows.for_date(AS_AT)
    # the run's own dates (as-at, windows, today) are printed legitimately; a DOB equal to
    # one of them cannot be told apart
    run_days = {AS_AT, w.w6_start, w.w12_start, dt.date.today()}
    dobs: set[str] = set()
    for d in dates - run_days:
        dobs |= {d.isoformat(), d.strftime("%d/%m/%Y")}
    assert len(dobs) > 100
    hits = {}
    for name, text in _outputs(r).items():
        # the worklist's dates are event dates (checked per child below), so only markers there
        dated = name != "worklist.csv"
        found = sorted({d for d in dobs if dated and d in text})[:5] + MARK.findall(text)[:5]
        if found:
            hits[name] = found
    assert hits == {}


def test_worklist_rows_carry_ids_team_and_worker_only(private_run):
    with (private_run["run"] / "worklist.csv").open(newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert rows  # the hostile names leave warnings to list
    engine = sa.create_engine(private_run["url"])
    with engine.connect() as conn:
        dob = {
            str(p): {str(d)[:10] for d in (a, b) if d is not None}
            for p, a, b in conn.execute(
                sa.text("select pers_person_id, pers_dob, pers_expected_dob from ssd_person")
            )
        }
    engine.dispose()
    own = [x for x in rows if x["value"] and x["value"][:10] in dob.get(x["child_id"], set())]
    assert own == []  # never the child's own date of birth
    assert not [x for x in rows if x["column"] in ("date_of_birth", "pers_dob") and x["value"]]


def test_the_password_is_nowhere(private_run):
    r = private_run
    hits = [
        str(p)
        for root in (r["home"], r["out"])
        for p in root.rglob("*")
        if p.is_file() and PASSWORD.encode() in p.read_bytes()
    ]
    assert hits == []
    assert PASSWORD not in r["log"]
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session

    with create_session() as s:
        values = [str(x.value) for x in s.query(XComModel).filter(XComModel.dag_id == "annex_a")]
    assert values and not [v for v in values if PASSWORD in v]


def _cells(path: Path):
    wb = load_workbook(path)  # not read-only: data_type tells a formula from a string
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    yield ws.title, c


@pytest.mark.parametrize("which", ["return", "pack"])
def test_hostile_text_is_a_string_in_the_workbooks(private_run, which):
    r = private_run
    if which == "return":
        (book,) = (r["out"] / LA / AS_AT.isoformat()).glob("*.xlsx")
    else:
        book = r["pack"] / "pack.xlsx"
    cells = list(_cells(book))
    assert not [(s, c.coordinate, c.value) for s, c in cells if c.data_type == "f"]
    seen = {h for h in HOSTILE for _, c in cells if isinstance(c.value, str) and h in c.value}
    assert {'=HYPERLINK("http://x","y")', "@SUM(A1)", "<script>alert(1)</script>"} <= seen


def test_hostile_text_is_apostrophe_prefixed_in_the_csvs(private_run):
    folder = private_run["out"] / LA / AS_AT.isoformat()
    risky, neutralised = [], 0
    for p in folder.glob("*.csv"):
        with p.open(newline="", encoding="utf-8-sig") as f:
            for row in csv.reader(f):
                for cell in row:
                    if cell[:1] in ("=", "@", "+") or (cell[:1] == "-" and not _number(cell)):
                        risky.append((p.name, cell))
                    neutralised += cell.startswith(("'=", "'@", "'+", "'-"))
    assert risky == [] and neutralised > 0


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("page", ["report", "pack"])
def test_script_in_a_name_renders_inert_in_chromium(private_run, page, tmp_path):
    assert Path(CHROMIUM).exists(), "make test installs Debian chromium"
    path = (
        private_run["run"] / "report.html"
        if page == "report"
        else private_run["pack"] / "pack.html"
    )
    run = subprocess.run(
        [
            CHROMIUM,
            *HEADLESS_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            path.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    dom = run.stdout
    assert "<body" in dom
    assert "<script>alert(1)</script>" not in dom
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", dom, flags=re.S)
    assert not [s for s in scripts if "alert(1)" in s]
    if page == "pack":  # the hostile team and worker names are shown, as text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
