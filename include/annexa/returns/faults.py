"""Fault injection for the statutory returns: add children whose records break one DfE rule each.

Why: DfE's rules must be shown to stop a bad CIN census or 903, child by child. ``inject`` adds,
to any SSD-shaped CMS (SQLite or PostgreSQL, through SQLAlchemy Core on the contract tables), a
few new children per fault, each otherwise clean and with exactly one defect that one named DfE
rule catches. The manifest says, per fault, the return, the rule and the child ids it must name:
a fault is caught when that rule's flagged children are those ids, no more and no fewer. The
children get ids of their own (``RF…``), so a clean CMS's children are untouched and the faults
never disturb each other.

Kept apart from ``annexa.source.faults`` (Annex A's gate), which corrupts existing records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from annexa.core.files import write_json
from annexa.source.contract import metadata

Rows = dict[str, list[dict]]


@dataclass(frozen=True)
class Fault:
    name: str
    kind: str  # "cin" or "903"
    rule: str  # DfE's rule code that must name exactly the fault's children
    description: str


def _d(reference_date: dt.date, months_before: int, day: int = 10) -> dt.date:
    """A day ``months_before`` whole months before the reference date's month, inside the year."""
    y, m = reference_date.year, reference_date.month - months_before
    while m < 1:
        y, m = y - 1, m + 12
    return dt.date(y, m, day)


def _person(pid: str, dob: dt.date | None, **kw) -> dict:
    return {
        "pers_person_id": pid,
        "pers_gender": "F",
        "pers_ethnicity": "WBRI",
        "pers_dob": dob,
    } | kw


def _referral(pid: str, start: dt.date, **kw) -> dict:
    return {
        "cine_referral_id": f"{pid}-R",
        "cine_person_id": pid,
        "cine_referral_date": start,
        "cine_referral_source_code": "1A",
        "cine_referral_nfa": "N",
        "cine_cin_primary_need_code": "N1",
        "cine_referral_team": "RFT",
        "cine_referral_worker_id": "RFW",
    } | kw


def _assessment(pid: str, start: dt.date, auth: dt.date | None, **kw) -> dict:
    return {
        "cina_assessment_id": f"{pid}-A",
        "cina_person_id": pid,
        "cina_referral_id": f"{pid}-R",
        "cina_assessment_start_date": start,
        "cina_assessment_child_seen": "Y",
        "cina_assessment_auth_date": auth,
        "cina_assessment_outcome_nfa": "N",
        "cina_assessment_team": "RFT",
        "cina_assessment_worker_id": "RFW",
    } | kw


def _cin_child(pid: str, ref: dt.date, **person) -> Rows:
    start = _d(ref, 6)
    return {
        "ssd_person": [_person(pid, dt.date(2014, 5, 1), **person)],
        "ssd_cin_episodes": [_referral(pid, start)],
        "ssd_cin_assessments": [
            _assessment(pid, start + dt.timedelta(days=1), start + dt.timedelta(days=20))
        ],
    }


def _cla_child(
    pid: str, ref: dt.date, *, dob: dt.date | None = dt.date(2012, 5, 1), **person
) -> Rows:
    start = _d(ref, 6)
    return {
        "ssd_person": [_person(pid, dob, **person)],
        "ssd_cla_episodes": [
            {
                "clae_cla_episode_id": f"{pid}-E",
                "clae_person_id": pid,
                "clae_cla_id": f"{pid}-C",
                "clae_cla_episode_start_date": start,
                "clae_cla_episode_start_reason": "S",
                "clae_cla_primary_need_code": "N1",
                "clae_entered_care_date": start,
            }
        ],
        "ssd_legal_status": [
            {
                "lega_legal_status_id": f"{pid}-L",
                "lega_person_id": pid,
                "lega_legal_status": "C2",
                "lega_legal_status_start_date": start,
            }
        ],
        "ssd_cla_placement": [
            {
                "clap_cla_placement_id": f"{pid}-P",
                "clap_cla_id": f"{pid}-C",
                "clap_person_id": pid,
                "clap_cla_placement_start_date": start,
                "clap_cla_placement_type": "U1",
                "clap_cla_placement_provider": "PR1",
                "clap_cla_placement_postcode": "ZZ1 0ED",
                "clap_cla_placement_urn": "SC000001",
            }
        ],
    }


def _edit(rows: Rows, table: str, **changes) -> Rows:
    rows[table] = [r | changes for r in rows[table]]
    return rows


Maker = Callable[[str], Rows]


def _edited(base: Maker, table: str, **changes) -> Maker:
    """A child made by ``base`` whose ``table`` rows carry ``changes`` (the one defect)."""
    return lambda p: _edit(base(p), table, **changes)


def _named(*entries: tuple[Fault, Maker]) -> dict[str, tuple[Fault, Maker]]:
    return {fault.name: (fault, make) for fault, make in entries}


def _missing(pid: str, start: dt.date, end: dt.date | None) -> dict:
    return {
        "miss_table_id": f"{pid}-M",
        "miss_person_id": pid,
        "miss_missing_episode_start_date": start,
        "miss_missing_episode_end_date": end,
        "miss_missing_episode_type": "M",
        "miss_missing_rhi_offered": "Y",
        "miss_missing_rhi_accepted": "Y",
    }


def _cin_faults(ref: dt.date) -> dict[str, tuple[Fault, Maker]]:
    start = _d(ref, 6)
    day = dt.timedelta(days=1)

    def child(p: str) -> Rows:
        return _cin_child(p, ref)

    return _named(
        (
            Fault("cin_assessment_before_referral", "cin", "1103", "assessment before referral"),
            _edited(child, "ssd_cin_assessments", cina_assessment_start_date=start - 5 * day),
        ),
        (
            Fault("cin_closed_before_referral", "cin", "8630", "closed before it was referred"),
            _edited(
                child, "ssd_cin_episodes", cine_close_date=start - 3 * day, cine_close_reason="RC7"
            ),
        ),
        (
            Fault("cin_no_sex", "cin", "4180", "no sex or gender recorded"),
            lambda p: _cin_child(p, ref, pers_gender=None),
        ),
        (
            Fault("cin_no_ethnicity", "cin", "4220", "no ethnicity recorded"),
            lambda p: _cin_child(p, ref, pers_ethnicity=None),
        ),
        (
            Fault("cin_no_primary_need", "cin", "8610", "referral to further action, no need"),
            _edited(child, "ssd_cin_episodes", cine_cin_primary_need_code=None),
        ),
        (
            Fault("cin_assessment_ends_before_start", "cin", "8608", "authorised before started"),
            _edited(
                child,
                "ssd_cin_assessments",
                cina_assessment_start_date=start + 2 * day,
                cina_assessment_auth_date=start + day,
            ),
        ),
    )


def _903_faults(ref: dt.date) -> dict[str, tuple[Fault, Maker]]:
    start = _d(ref, 6)
    day = dt.timedelta(days=1)

    def child(p: str) -> Rows:
        return _cla_child(p, ref)

    def with_missing(p: str) -> Rows:
        return {
            **_cla_child(p, ref),
            "ssd_missing": [_missing(p, start + 20 * day, start + 10 * day)],
        }

    return _named(
        (
            Fault("903_no_sex", "903", "101", "no sex or gender recorded"),
            lambda p: _cla_child(p, ref, pers_gender=None),
        ),
        (
            Fault("903_no_ethnicity", "903", "103", "no ethnicity recorded"),
            lambda p: _cla_child(p, ref, pers_ethnicity=None),
        ),
        (
            Fault("903_born_after_care", "903", "302", "in care before being born"),
            lambda p: _cla_child(p, ref, dob=start + 40 * day),
        ),
        (
            Fault("903_ceased_without_reason", "903", "148", "care ended with no reason"),
            _edited(
                _edited(
                    child,
                    "ssd_cla_episodes",
                    clae_cla_episode_ceased_date=start + 30 * day,
                    clae_cla_episode_ceased_reason=None,
                ),
                "ssd_cla_placement",
                clap_cla_placement_end_date=start + 30 * day,
            ),
        ),
        (
            Fault("903_missing_ends_before_start", "903", "567", "missing ends before it starts"),
            with_missing,
        ),
        (
            Fault("903_no_provider", "903", "526", "placement with no provider"),
            _edited(child, "ssd_cla_placement", clap_cla_placement_provider=None),
        ),
        (
            Fault("903_no_dob", "903", "102", "no date of birth"),
            lambda p: _cla_child(p, ref, dob=None),
        ),
    )


def faults(reference_date: dt.date) -> dict[str, tuple[Fault, Maker]]:
    return _cin_faults(reference_date) | _903_faults(reference_date)


def fault_rows(reference_date: dt.date, per_fault: int = 2) -> tuple[Rows, dict[str, dict]]:
    """The rows of every fault's children and the manifest (fault -> return, rule, child ids)."""
    rows: Rows = {}
    manifest: dict[str, dict] = {}
    for i, (name, (fault, make)) in enumerate(faults(reference_date).items()):
        ids = [f"RF{i:02d}{k}" for k in range(per_fault)]
        for pid in ids:
            for table, recs in make(pid).items():
                rows.setdefault(table, []).extend(recs)
        manifest[name] = {"return": fault.kind, "rule": fault.rule, "children": ids}
    return rows, manifest


def inject(url: str, reference_date: dt.date, *, per_fault: int = 2) -> dict[str, dict]:
    """Insert every fault's children into the CMS at ``url`` (one transaction); the manifest."""
    rows, manifest = fault_rows(reference_date, per_fault)
    md = metadata()
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for table, recs in rows.items():
                cols = [c.name for c in md.tables[table].columns]
                conn.execute(md.tables[table].insert(), [{c: r.get(c) for c in cols} for r in recs])
    finally:
        engine.dispose()
    return manifest


def write_manifest(path: Path, manifest: dict[str, dict]) -> Path:
    return write_json(path, manifest)
