"""End to end through Airflow: the statutory_returns DAG on a CMS builds the CIN census XML and
the 903 CSVs, runs DfE's validators, and publishes beside Annex A only when they find no errors.
Two hand-built CMSs: a clean one (one child in need, one child looked after, records complete as
far as the SSD goes) publishes; the same with the fault children of annexa.returns.faults does
not, and its validation.json names the faults' rules."""

import datetime as dt
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from golden.cms import make_cms, person

from annexa.cli import run_returns_dag
from annexa.core.constants import today_london
from annexa.returns.build import collection_year
from annexa.returns.faults import fault_rows

pytestmark = pytest.mark.validators
A = dt.date(2026, 3, 31)


def clean_rows() -> dict[str, list[dict]]:
    start = dt.date(2025, 9, 10)
    return {
        "ssd_person": [
            person("N1", dob=dt.date(2014, 5, 1)),
            person("L1", dob=dt.date(2012, 5, 1)),
        ],
        "ssd_cin_episodes": [
            {
                "cine_referral_id": "R1",
                "cine_person_id": "N1",
                "cine_referral_date": start,
                "cine_referral_source_code": "1A",
                "cine_referral_nfa": "N",
                "cine_cin_primary_need_code": "N1",
                "cine_referral_team": "T1",
                "cine_referral_worker_id": "W1",
            }
        ],
        "ssd_cin_assessments": [
            {
                "cina_assessment_id": "A1",
                "cina_person_id": "N1",
                "cina_referral_id": "R1",
                "cina_assessment_start_date": start + dt.timedelta(days=1),
                "cina_assessment_child_seen": "Y",
                "cina_assessment_auth_date": start + dt.timedelta(days=20),
                "cina_assessment_outcome_nfa": "N",
                "cina_assessment_team": "T1",
                "cina_assessment_worker_id": "W1",
            }
        ],
        "ssd_cla_episodes": [
            {
                "clae_cla_episode_id": "E1",
                "clae_person_id": "L1",
                "clae_cla_id": "C1",
                "clae_cla_episode_start_date": start,
                "clae_cla_episode_start_reason": "S",
                "clae_cla_primary_need_code": "N1",
                "clae_entered_care_date": start,
            }
        ],
        "ssd_legal_status": [
            {
                "lega_legal_status_id": "G1",
                "lega_person_id": "L1",
                "lega_legal_status": "C2",
                "lega_legal_status_start_date": start,
            }
        ],
        "ssd_cla_placement": [
            {
                "clap_cla_placement_id": "P1",
                "clap_cla_id": "C1",
                "clap_person_id": "L1",
                "clap_cla_placement_start_date": start,
                "clap_cla_placement_type": "U1",
                "clap_cla_placement_provider": "PR1",
                "clap_cla_placement_postcode": "ZZ1 0ED",
                "clap_cla_placement_urn": "SC000001",
            }
        ],
    }


def test_clean_cms_publishes_the_returns(airflow_db, tmp_path):
    url = make_cms(tmp_path / "cms", clean_rows())
    out = tmp_path / "out"
    state, folder = run_returns_dag(url, out, la_code="999", year=2026)
    assert state == "success" and folder == out / "999" / "returns" / "2026" / "2026-03-31"
    root = ET.parse(folder / "cin_census.xml").getroot()
    assert [c.findtext("ChildIdentifiers/LAchildID") for c in root.iter("Child")] == ["N1"]
    episodes = (folder / "ssda903" / "episodes.csv").read_text().splitlines()
    assert episodes[1].startswith("L1,10/09/2025,S,C2,N1,U1,PR1,,,")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["validators"]["cin_census"]["errors"] == []
    assert manifest["validators"]["ssda903"]["errors"] == []
    assert manifest["validators"]["ssda903"]["rules_run"] > 300
    assert (folder / "ssda903" / "episodes.csv").stat().st_mode & 0o777 == 0o600


def test_faulted_cms_publishes_nothing(airflow_db, tmp_path):
    rows = clean_rows()
    faults, manifest = fault_rows(A, per_fault=1)
    for table, recs in faults.items():
        rows.setdefault(table, []).extend(recs)
    out = tmp_path / "out"
    state, folder = run_returns_dag(make_cms(tmp_path / "cms", rows), out, la_code="999", year=2026)
    assert state != "success" and folder is None
    assert not (out / "999" / "returns" / "2026" / "2026-03-31").exists()
    runs = Path(os.environ["ANNEXA_HOME"]) / "runs" / "999" / "2026-03-31"
    summaries = list(runs.glob("*/returns/validation.json"))
    summary = json.loads(max(summaries, key=lambda p: p.stat().st_mtime).read_text())
    failing = {r["id"] for r in summary["rules"] if r["blocking"]}
    for fault in manifest.values():
        target = "cin_census" if fault["return"] == "cin" else "ssda903"
        assert f"{target}:{fault['rule']}" in failing


LOOKED_AFTER = ("ssd_cla_episodes", "ssd_legal_status", "ssd_cla_placement")


def test_in_year_default_is_a_preview_that_publishes(airflow_db, tmp_path):
    # no year, no reference date: the current collection year, whose 31 March is still to come,
    # so the run is an in-year preview. L2 turns 18 tomorrow, in care: at the year's end DfE's
    # 359 (looked after past 18) fires on it, which the data taken today cannot yet show
    # otherwise. L3 came into care yesterday on an emergency protection order (L2), still open:
    # DfE's 362 takes it to last until 31 March, over 21 days. In-year both are warnings naming
    # the child and the preview is published, marked so
    today = today_london()
    if (today.month, today.day) == (3, 31):
        pytest.skip("on 31 March the current collection year ends today: no in-year run")
    tomorrow = today + dt.timedelta(days=1)
    rows = clean_rows()
    born = dt.date(tomorrow.year - 18, tomorrow.month, min(tomorrow.day, 28))  # not 29/02
    rows["ssd_person"].append(person("L2", dob=born))
    # L2 looked after like L1: the same start, legal status and kind of placement
    episode, status, placement = (rows[t][0] for t in LOOKED_AFTER)
    rows["ssd_cla_episodes"].append(
        episode | {"clae_cla_episode_id": "E2", "clae_person_id": "L2", "clae_cla_id": "C2"}
    )
    rows["ssd_legal_status"].append(status | {"lega_legal_status_id": "G2", "lega_person_id": "L2"})
    rows["ssd_cla_placement"].append(
        placement | {"clap_cla_placement_id": "P2", "clap_person_id": "L2", "clap_cla_id": "C2"}
    )
    yesterday = today - dt.timedelta(days=1)
    rows["ssd_person"].append(person("L3", dob=dt.date(2016, 5, 1)))
    rows["ssd_cla_episodes"].append(
        episode
        | {
            "clae_cla_episode_id": "E3",
            "clae_person_id": "L3",
            "clae_cla_id": "C3",
            "clae_cla_episode_start_date": yesterday,
            "clae_entered_care_date": yesterday,
        }
    )
    rows["ssd_legal_status"].append(
        status
        | {
            "lega_legal_status_id": "G3",
            "lega_person_id": "L3",
            "lega_legal_status": "L2",
            "lega_legal_status_start_date": yesterday,
        }
    )
    rows["ssd_cla_placement"].append(
        placement
        | {
            "clap_cla_placement_id": "P3",
            "clap_person_id": "L3",
            "clap_cla_id": "C3",
            "clap_cla_placement_start_date": yesterday,
        }
    )
    out = tmp_path / "out"
    state, folder = run_returns_dag(make_cms(tmp_path / "cms", rows), out, la_code="999")
    year = collection_year(today)
    assert state == "success" and folder == out / "999" / "returns" / str(year) / f"{year}-03-31"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["in_year"] is True and manifest["data_as_of"] == today.isoformat()
    assert manifest["validators"]["ssda903"]["year_end"] == ["359", "362"]
    summary = json.loads((folder / "validation.json").read_text())
    rules = {r["id"]: (r["severity"], r["sample_ids"]) for r in summary["rules"]}
    assert rules["ssda903:359"] == ("warning", ["L2"])
    assert rules["ssda903:362"] == ("warning", ["L3"])
