"""Build the CIN census XML and the SSDA903 CSVs for one collection year from a snapshot.

The SQL in ``sql/returns/`` runs on the same DuckDB session as Annex A's (staging and
intermediate models, calendar, code mapping) with the as-at date A set to the census reference
date; this module only turns its rows into DfE's file formats: the CIN census XML (elements in
the specification's order, empty items omitted) and the 903 CSVs (DD/MM/YYYY dates, DfE's column
names). Every file goes through ``annexa.core.files`` (owner-only, atomic).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import annexa
from annexa.core.constants import london_date
from annexa.core.dates import Windows
from annexa.core.files import private_dir, write_bytes, write_json, write_text
from annexa.core.text import csv_safe
from annexa.transform.mapping import Mapping
from annexa.transform.runner import (
    connect,
    register_reference,
    register_snapshot,
    run_layer,
    run_models,
)

CIN_FILE = "cin_census.xml"

# 903 file -> (model, DfE's columns in order). The validator recognises a file by its columns.
SSDA903: dict[str, tuple[str, list[str]]] = {
    "header.csv": ("ret_903__header", ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]),
    "episodes.csv": (
        "ret_903__episodes",
        [
            "CHILD",
            "DECOM",
            "RNE",
            "LS",
            "CIN",
            "PLACE",
            "PLACE_PROVIDER",
            "DEC",
            "REC",
            "REASON_PLACE_CHANGE",
            "HOME_POST",
            "PL_POST",
            "URN",
        ],
    ),
    "reviews.csv": ("ret_903__reviews", ["CHILD", "DOB", "REVIEW", "REVIEW_CODE"]),
    "uasc.csv": ("ret_903__uasc", ["CHILD", "SEX", "DOB", "DUC"]),
    "oc2.csv": (
        "ret_903__oc2",
        [
            "CHILD",
            "DOB",
            "SDQ_SCORE",
            "SDQ_REASON",
            "CONVICTED",
            "HEALTH_CHECK",
            "IMMUNISATIONS",
            "TEETH_CHECK",
            "HEALTH_ASSESSMENT",
            "SUBSTANCE_MISUSE",
            "INTERVENTION_RECEIVED",
            "INTERVENTION_OFFERED",
        ],
    ),
    "oc3.csv": ("ret_903__oc3", ["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"]),
    "ad1.csv": (
        "ret_903__ad1",
        [
            "CHILD",
            "DOB",
            "DATE_INT",
            "DATE_MATCH",
            "FOSTER_CARE",
            "NB_ADOPTR",
            "SEX_ADOPTR",
            "LS_ADOPTR",
        ],
    ),
    "placed_for_adoption.csv": (
        "ret_903__placed_for_adoption",
        ["CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"],
    ),
    "previous_permanence.csv": (
        "ret_903__previous_permanence",
        ["CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"],
    ),
    "missing.csv": ("ret_903__missing", ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"]),
}

# a 903 column whose model column is not its lower-case name (``dec`` is an SQL keyword)
KEYS = {"DEC": "dec_date"}

CIN_MODELS = (
    "ret_cin__details",
    "ret_cin__children",
    "ret_cin__disabilities",
    "ret_cin__assessments",
    "ret_cin__plans",
    "ret_cin__s47",
    "ret_cin__cp_plans",
    "ret_cin__cp_reviews",
)


def collection_year(reference_date: dt.date) -> int:
    """The collection year is named by the calendar year its 31 March falls in (2025/26 -> 2026)."""
    return reference_date.year + (1 if (reference_date.month, reference_date.day) > (3, 31) else 0)


def default_reference_date(year: int) -> dt.date:
    return dt.date(year, 3, 31)


def last_reference_date(day: dt.date) -> dt.date:
    """The last 31 March on or before ``day``: the end of the last complete collection year."""
    return dt.date(day.year if (day.month, day.day) >= (3, 31) else day.year - 1, 3, 31)


def data_day(snapshot: Path) -> dt.date | None:
    """The London day the snapshot was taken: what the CMS held, nothing later has happened
    in it. None for a snapshot whose manifest does not say."""
    from annexa.source.extract import read_manifest

    started = read_manifest(snapshot).get("started_at")
    return london_date(dt.datetime.fromisoformat(started)) if started else None


@dataclass
class ReturnsBuild:
    """Where the built files are, with counts and timings (JSON-able for XCom)."""

    folder: Path
    year: int
    reference_date: dt.date
    cin_xml: Path
    ssda903: dict[str, Path]
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    data_as_of: dt.date | None = None  # the day the snapshot was taken

    @property
    def in_year(self) -> bool:
        """The snapshot was taken before the reference date: the year is still running, so
        the return is a preview of it (docs/statutory_returns.md, Decisions)."""
        return self.data_as_of is not None and self.data_as_of < self.reference_date

    def to_dict(self) -> dict:
        return {
            "folder": str(self.folder),
            "year": self.year,
            "reference_date": self.reference_date.isoformat(),
            "data_as_of": self.data_as_of.isoformat() if self.data_as_of else None,
            "in_year": self.in_year,
            "cin_xml": str(self.cin_xml),
            "ssda903": {k: str(v) for k, v in self.ssda903.items()},
            "rows": self.rows,
            "seconds": self.seconds,
        }


def _rows(con, model: str) -> list[dict]:
    return con.sql(f"select * from {model}").to_arrow_table().to_pylist()


# ---------------------------------------------------------------------------------------------
# CIN census XML


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return text if text != "" else None


def _add(parent: ET.Element, tag: str, value: object) -> None:
    """Append ``<tag>value</tag>``; a blank item is omitted, as the specification allows."""
    text = _text(value)
    if text is not None:
        ET.SubElement(parent, tag).text = text


def cin_xml(
    tables: dict[str, list[dict]],
    *,
    year: int,
    reference_date: dt.date,
    la_code: str,
    generated_at: dt.datetime | None = None,
) -> bytes:
    """The census message: header, then one Child per child, CIN details in referral order."""
    by: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for model, key in (
        ("ret_cin__disabilities", "person_id"),
        ("ret_cin__details", "person_id"),
        ("ret_cin__assessments", "referral_id"),
        ("ret_cin__plans", "referral_id"),
        ("ret_cin__s47", "referral_id"),
        ("ret_cin__cp_plans", "referral_id"),
        ("ret_cin__cp_reviews", "cp_plan_id"),
    ):
        for r in tables[model]:
            by[model][r[key]].append(r)
    root = ET.Element("Message")
    header = ET.SubElement(root, "Header")
    details = ET.SubElement(header, "CollectionDetails")
    _add(details, "Collection", "CIN")
    _add(details, "Year", year)
    _add(details, "ReferenceDate", reference_date)
    source = ET.SubElement(header, "Source")
    _add(source, "SourceLevel", "L")
    _add(source, "LEA", la_code)
    _add(source, "SoftwareCode", "annexa")
    _add(source, "Release", annexa.__version__)
    _add(source, "SerialNo", "001")
    moment = (generated_at or dt.datetime.now(dt.UTC)).replace(microsecond=0, tzinfo=None)
    _add(source, "DateTime", moment.isoformat())
    children = ET.SubElement(root, "Children")
    for c in sorted(tables["ret_cin__children"], key=lambda r: str(r["la_child_id"])):
        pid = c["person_id"]
        child = ET.SubElement(children, "Child")
        ids = ET.SubElement(child, "ChildIdentifiers")
        _add(ids, "LAchildID", c["la_child_id"])
        _add(ids, "UPN", c["upn"])
        _add(ids, "FormerUPN", c["former_upn"])
        _add(ids, "UPNunknown", c["upn_unknown"])
        _add(ids, "PersonBirthDate", c["person_birth_date"])
        _add(ids, "ExpectedPersonBirthDate", c["expected_person_birth_date"])
        _add(ids, "Sex", c["sex"])
        _add(ids, "PersonDeathDate", c["person_death_date"])
        chars = ET.SubElement(child, "ChildCharacteristics")
        _add(chars, "Ethnicity", c["ethnicity"])
        disabilities = sorted(d["disability"] for d in by["ret_cin__disabilities"][pid])
        if disabilities:
            dis = ET.SubElement(chars, "Disabilities")
            for code in disabilities:
                _add(dis, "Disability", code)
        episodes = sorted(
            by["ret_cin__details"][pid], key=lambda r: (r["referral_date"], r["referral_id"])
        )
        for e in episodes:
            rid = e["referral_id"]
            cin = ET.SubElement(child, "CINdetails")
            _add(cin, "CINreferralDate", e["referral_date"])
            _add(cin, "ReferralSource", e["referral_source"])
            _add(cin, "PrimaryNeedCode", e["primary_need_code"])
            _add(cin, "CINclosureDate", e["closure_date"])
            _add(cin, "ReasonForClosure", e["reason_for_closure"])
            _add(cin, "DateOfInitialCPC", e["date_of_initial_cpc"])
            _modules(cin, "Assessments", by["ret_cin__assessments"][rid])
            _modules(cin, "CINPlanDates", by["ret_cin__plans"][rid])
            _modules(cin, "Section47", by["ret_cin__s47"][rid])
            _add(cin, "ReferralNFA", e["referral_nfa"])
            for el, p in _modules(cin, "ChildProtectionPlans", by["ret_cin__cp_plans"][rid]):
                reviews = sorted(
                    {r["cpp_review_date"] for r in by["ret_cin__cp_reviews"][p["cp_plan_id"]]}
                )
                if reviews:
                    rv = ET.SubElement(el, "Reviews")
                    for d in reviews:
                        _add(rv, "CPPreviewDate", d)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _by(key: str) -> Callable[[dict], tuple]:
    return lambda r: (r[key] is None, r[key] or dt.date.min, str(r))


# a CIN module repeated within CINdetails: its element, in date order, with its items in the
# specification's order (element, model column); the first item orders the modules
MODULES: dict[str, tuple[tuple[str, str], ...]] = {
    "Assessments": (
        ("AssessmentActualStartDate", "assessment_actual_start_date"),
        ("AssessmentInternalReviewDate", "assessment_internal_review_date"),
        ("AssessmentAuthorisationDate", "assessment_authorisation_date"),
    ),
    "CINPlanDates": (
        ("CINPlanStartDate", "cin_plan_start_date"),
        ("CINPlanEndDate", "cin_plan_end_date"),
    ),
    "Section47": (
        ("S47ActualStartDate", "s47_actual_start_date"),
        ("InitialCPCtarget", "initial_cpc_target"),
        ("DateOfInitialCPC", "date_of_initial_cpc"),
        ("ICPCnotRequired", "icpc_not_required"),
    ),
    "ChildProtectionPlans": (
        ("CPPstartDate", "cpp_start_date"),
        ("CPPendDate", "cpp_end_date"),
        ("InitialCategoryOfAbuse", "initial_category_of_abuse"),
        ("LatestCategoryOfAbuse", "latest_category_of_abuse"),
        ("NumberOfPreviousCPP", "number_of_previous_cpp"),
    ),
}


def _modules(parent: ET.Element, tag: str, rows: list[dict]) -> list[tuple[ET.Element, dict]]:
    """One ``<tag>`` per row, in date order, holding the module's items; (element, row) each."""
    items = MODULES[tag]
    out = []
    for r in sorted(rows, key=_by(items[0][1])):
        el = ET.SubElement(parent, tag)
        for name, column in items:
            _add(el, name, r[column])
        out.append((el, r))
    return out


# ---------------------------------------------------------------------------------------------
# SSDA903 CSVs


def _cell_903(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return csv_safe(str(value))


def ssda903_csv(rows: list[dict], columns: list[str]) -> str:
    """One 903 file: DfE's header row, dates as DD/MM/YYYY, children in id order."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(columns)
    keys = [KEYS.get(c, c.lower()) for c in columns]
    for r in sorted(rows, key=lambda r: tuple(str(r.get(k) or "") for k in keys)):
        w.writerow([_cell_903(r.get(k)) for k in keys])
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------


def build_returns(
    snapshot: Path,
    folder: Path,
    *,
    reference_date: dt.date,
    la_code: str,
    la_name: str = "",
    mapping: Mapping | None = None,
    progress: Callable[[str], None] | None = None,
) -> ReturnsBuild:
    """Run the staging, intermediate and returns models with A = the reference date; write the
    CIN census XML and the 903 CSVs into ``folder`` (owner-only)."""
    year = collection_year(reference_date)
    folder = private_dir(Path(folder))
    t0 = time.time()
    con = connect(folder)
    try:
        register_snapshot(con, snapshot)
        register_reference(
            con,
            Windows.for_date(reference_date),
            la_code=la_code,
            la_name=la_name,
            version="later",
            mapping=mapping or Mapping(),
        )
        run_models(con, only_lists={0})  # staging and intermediate; no Annex A list
        seconds = run_layer(con, "returns", progress=progress)
        t1 = time.time()
        cin_tables = {m: _rows(con, m) for m in CIN_MODELS}
        files_903 = {name: _rows(con, model) for name, (model, _) in SSDA903.items()}
    finally:
        con.close()
    xml_path = write_bytes(
        folder / CIN_FILE,
        cin_xml(cin_tables, year=year, reference_date=reference_date, la_code=la_code),
    )
    ssda903 = {}
    private_dir(folder / "ssda903")
    for name, (_, columns) in SSDA903.items():
        ssda903[name] = write_text(folder / "ssda903" / name, ssda903_csv(files_903[name], columns))
    seconds |= {"models": round(t1 - t0, 3), "total": round(time.time() - t0, 3)}
    rows = {m: len(v) for m, v in cin_tables.items()}
    rows |= {SSDA903[n][0]: len(v) for n, v in files_903.items()}
    result = ReturnsBuild(
        folder, year, reference_date, xml_path, ssda903, rows, seconds, data_day(snapshot)
    )
    write_json(folder / "returns_build.json", result.to_dict())
    return result
