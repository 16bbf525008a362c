"""Hand-built CMS scenarios for golden tests: write a few SSD rows, build the lists for real.

Scenarios go through the same path as production: SQLite CMS -> extract -> DuckDB SQL -> Parquet.
Only the rows a scenario names are written; every other column is null.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow.parquet as pq
import sqlalchemy as sa

from annexa.core.dates import Windows
from annexa.source.contract import TABLES_BY_NAME, metadata
from annexa.source.extract import extract
from annexa.transform.mapping import Mapping, load_mapping
from annexa.transform.runner import build


def make_cms(folder: Path, rows: dict[str, list[dict]]) -> str:
    """Create every contract table in a new SQLite file and insert ``rows``; returns its URL."""
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'cms.db'}"
    return write_cms(url, rows)


def write_cms(url: str, rows: dict[str, list[dict]]) -> str:
    """(Re)create every contract table at any SQLAlchemy URL and insert ``rows``."""
    engine = sa.create_engine(url)
    md = metadata()
    md.drop_all(engine)
    md.create_all(engine)
    with engine.begin() as conn:
        for table, recs in rows.items():
            cols = TABLES_BY_NAME[table].column_names
            for r in recs:
                unknown = set(r) - set(cols)
                assert not unknown, f"{table} has no column(s) {unknown}"
            if recs:
                conn.execute(md.tables[table].insert(), [{c: r.get(c) for c in cols} for r in recs])
    engine.dispose()
    return url


def build_lists(
    folder: Path,
    rows: dict[str, list[dict]],
    as_at: dt.date,
    *,
    version: str = "later",
    mapping: Mapping | str | Path | None = None,
    la_code: str = "999",
    lists: set[int] | None = None,
) -> dict[int, list[dict]]:
    """Build the Annex A lists for a scenario; returns list number -> rows (dicts, in order)."""
    url = make_cms(folder / "cms", rows)
    snap = extract(url, folder / "snapshot")
    if not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)
    result = build(
        snap,
        folder / "work",
        Windows.for_date(as_at),
        la_code=la_code,
        la_name="Synthshire",
        version=version,
        mapping=mapping,
        only_lists=lists,
    )
    return {n: pq.read_table(p).to_pylist() for n, p in result.lists.items()}


_DEFAULT_DOB = dt.date(2015, 5, 1)


def person(pid: str, dob: dt.date | None = _DEFAULT_DOB, **kw) -> dict:
    """A person row with sensible defaults (girl, White British, born 2015-05-01);
    pass ``dob=None`` for no recorded date of birth."""
    return {
        "pers_person_id": pid,
        "pers_gender": "F",
        "pers_ethnicity": "WBRI",
        "pers_dob": dob,
        **kw,
    }


# --- SSD rows shared by the scenarios: the contract's column names live here; a scenario's own
# defaults are keyword arguments (or SSD columns passed by name through ``extra``)


def referral(rid, pid, start, close=None, reason=None, *, nfa="N", need="N1", **extra) -> dict:
    return {
        "cine_referral_id": rid,
        "cine_person_id": pid,
        "cine_referral_date": start,
        "cine_referral_nfa": nfa,
        "cine_cin_primary_need_code": need,
        "cine_close_date": close,
        "cine_close_reason": reason,
        **extra,
    }


def assessment(aid, pid, rid, start, auth=None, *, team=None, worker=None, **extra) -> dict:
    return {
        "cina_assessment_id": aid,
        "cina_person_id": pid,
        "cina_referral_id": rid,
        "cina_assessment_start_date": start,
        "cina_assessment_auth_date": auth,
        "cina_assessment_child_seen": "Y",
        "cina_assessment_team": team,
        "cina_assessment_worker_id": worker,
        **extra,
    }


def cp_plan(plid, pid, start, end=None, *, rid=None, ola=None, initial="NEG", latest="NEG") -> dict:
    return {
        "cppl_cp_plan_id": plid,
        "cppl_referral_id": rid,
        "cppl_person_id": pid,
        "cppl_cp_plan_start_date": start,
        "cppl_cp_plan_end_date": end,
        "cppl_cp_plan_ola": ola,
        "cppl_cp_plan_initial_category": initial,
        "cppl_cp_plan_latest_category": latest,
    }


def cla_episode(
    eid,
    pid,
    cla,
    start,
    rne="S",
    need="N1",
    ceased=None,
    reason=None,
    entered="start",
    iro=None,
    ref=None,
) -> dict:
    """An episode of care; ``entered`` is the date the child entered care ("start": ``start``)."""
    return {
        "clae_cla_episode_id": eid,
        "clae_person_id": pid,
        "clae_cla_id": cla,
        "clae_cla_episode_start_date": start,
        "clae_cla_episode_start_reason": rne,
        "clae_cla_primary_need_code": need,
        "clae_cla_episode_ceased_date": ceased,
        "clae_cla_episode_ceased_reason": reason,
        "clae_referral_id": ref,
        "clae_cla_last_iro_contact_date": iro,
        "clae_entered_care_date": start if entered == "start" else entered,
    }


def legal_status(lid, pid, code, start, end=None) -> dict:
    return {
        "lega_legal_status_id": lid,
        "lega_person_id": pid,
        "lega_legal_status": code,
        "lega_legal_status_start_date": start,
        "lega_legal_status_end_date": end,
    }


def placement(
    plid,
    cla,
    start,
    ptype="U4",
    prov="PR1",
    pc="ZZ1 0ED",
    urn=None,
    end=None,
    pid=None,
    *,
    why=None,
) -> dict:
    return {
        "clap_cla_placement_id": plid,
        "clap_cla_id": cla,
        "clap_person_id": pid,
        "clap_cla_placement_start_date": start,
        "clap_cla_placement_end_date": end,
        "clap_cla_placement_type": ptype,
        "clap_cla_placement_provider": prov,
        "clap_cla_placement_postcode": pc,
        "clap_cla_placement_urn": urn,
        "clap_cla_placement_change_reason": why,
    }


def missing(mid, pid, start, kind="M", offered=None, accepted=None, end=None) -> dict:
    return {
        "miss_table_id": mid,
        "miss_person_id": pid,
        "miss_missing_episode_start_date": start,
        "miss_missing_episode_end_date": end,
        "miss_missing_episode_type": kind,
        "miss_missing_rhi_offered": offered,
        "miss_missing_rhi_accepted": accepted,
    }


def immigration_status(iid, pid, status, start, end=None) -> dict:
    return {
        "immi_immigration_status_id": iid,
        "immi_person_id": pid,
        "immi_immigration_status": status,
        "immi_immigration_status_start_date": start,
        "immi_immigration_status_end_date": end,
    }


def published(row: dict) -> dict:
    """The published columns of an output row (hidden '_' columns dropped)."""
    return {k: v for k, v in row.items() if not k.startswith("_")}
