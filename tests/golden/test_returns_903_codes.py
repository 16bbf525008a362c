"""Golden: 903 items that DfE's 2025/26 rules found wrong at ``large`` (docs/statutory_returns.md,
"Decisions"). Expected rows worked out by hand.

* Z1 "other placement": the CMS records DfE's 2025/26 sub-code (Z11-Z14, any case; under an LA
  mapping's prefix rule also leading a description); the 2025/26 return reports it with no
  provider (DfE 146, 213), a bare Z1 stays Z1 (the SSD cannot tell which sub-code it is: DfE 146
  names it), and the 2024/25 return reports Z1.
* K3 (supported accommodation): a CMS that records the 903's own code is Annex A's H5 (List 8,
  "n) H5"), the 2025/26 return reports K3 and the 2024/25 return H5; Z11-Z14 are Annex A's Z1.
* PlacedAdoption: a decision fulfilled by an adoption order before the year is spent (DfE 1003).
* OC3: a young person whose last period of care ended with a transfer to another LA (E3) is not
  in this LA's OC3 (DfE 1011).
"""

import csv
import datetime as dt

import pytest

from annexa.returns.build import build_returns
from annexa.source.extract import extract
from golden.cms import build_lists, cla_episode, legal_status, make_cms, person, placement

pytestmark = pytest.mark.golden
D = dt.date
A = D(2026, 3, 31)


def _ep(eid, pid, cla, start, ceased=None, reason=None, rne="S"):
    return cla_episode(eid, pid, cla, start, rne=rne, need="N2", ceased=ceased, reason=reason)


def _leaver(tid, pid, accom="T", suit="1", act="F2"):
    return {
        "clea_table_id": tid,
        "clea_person_id": pid,
        "clea_care_leaver_eligibility": "QUALIFYING",
        "clea_care_leaver_in_touch": "YES",
        "clea_care_leaver_latest_contact": D(2026, 3, 1),
        "clea_care_leaver_accommodation": accom,
        "clea_care_leaver_accom_suitable": suit,
        "clea_care_leaver_activity": act,
    }


def _perm(tid, pid, cla, decision, order=None, order_type=None):
    return {
        "perm_table_id": tid,
        "perm_person_id": pid,
        "perm_cla_id": cla,
        "perm_adm_decision_date": decision,
        "perm_permanence_order_date": order,
        "perm_permanence_order_type": order_type,
    }


ROWS = {
    "ssd_person": [
        person("Z", dob=D(2012, 5, 1)),
        person("W", dob=D(2021, 9, 14)),
        person("X", dob=D(2009, 1, 15)),  # 17 on 15/01/2026, in the year
        person("Y", dob=D(2009, 2, 20)),  # 17 on 20/02/2026
        person("K", dob=D(2008, 11, 2)),  # 16 on 02/11/2024, 17 on 02/11/2025
    ],
    "ssd_cla_episodes": [
        # Z: three other placements in a row, from before the year
        _ep("EZ1", "Z", "LZ", D(2025, 1, 10)),
        _ep("EZ2", "Z", "LZ", D(2025, 6, 1), rne="P"),
        _ep("EZ3", "Z", "LZ", D(2025, 9, 1), rne="P"),
        # W: adopted in 2022, looked after again from 25/12/2025
        _ep("EW1", "W", "LW1", D(2021, 9, 15), D(2022, 10, 23), "E11"),
        _ep("EW2", "W", "LW2", D(2025, 12, 25)),
        # X: care transferred to another LA before the 17th birthday; Y: left care (E8)
        _ep("EX", "X", "LX", D(2025, 10, 1), D(2025, 12, 1), "E3"),
        _ep("EY", "Y", "LY", D(2025, 10, 1), D(2025, 12, 1), "E8"),
        # K: in supported accommodation, recorded in the CMS as K3, from before the year
        _ep("EK", "K", "LK", D(2025, 2, 3)),
    ],
    "ssd_legal_status": [
        legal_status("GZ", "Z", "C2", D(2025, 1, 10)),
        legal_status("GW1", "W", "E1", D(2021, 9, 15), D(2022, 10, 23)),
        legal_status("GW2", "W", "C1", D(2025, 12, 25)),
        legal_status("GX", "X", "V2", D(2025, 10, 1), D(2025, 12, 1)),
        legal_status("GY", "Y", "V2", D(2025, 10, 1), D(2025, 12, 1)),
        legal_status("GK", "K", "V2", D(2025, 2, 3)),
    ],
    "ssd_cla_placement": [
        placement("PZ1", "LZ", D(2025, 1, 10), "Z12", "PR4", end=D(2025, 6, 1), why="CARPL"),
        placement("PZ2", "LZ", D(2025, 6, 1), "z13", "PR4", end=D(2025, 9, 1)),
        placement("PZ3", "LZ", D(2025, 9, 1), "Z1", "PR4"),
        placement("PW1", "LW1", D(2021, 9, 15), "A6", "PR1", end=D(2022, 10, 23)),
        placement("PW2", "LW2", D(2025, 12, 25), "U6", "PR1"),
        placement("PX", "LX", D(2025, 10, 1), "K2", "PR4", urn="SC1", end=D(2025, 12, 1)),
        placement("PY", "LY", D(2025, 10, 1), "K2", "PR4", urn="SC1", end=D(2025, 12, 1)),
        placement("PK", "LK", D(2025, 2, 3), "K3", "PR4", urn="2555501"),
    ],
    "ssd_permanence": [
        _perm("MW1", "W", "LW1", D(2022, 2, 23), D(2022, 10, 23), "ADOPTION"),
        _perm("MW2", "W", "LW2", D(2026, 2, 1)),
    ],
    "ssd_care_leavers": [_leaver("CX", "X"), _leaver("CY", "Y")],
}


@pytest.fixture(scope="module")
def cms(tmp_path_factory):
    folder = tmp_path_factory.mktemp("returns_903_codes")
    snap = extract(make_cms(folder / "cms", ROWS), folder / "snapshot")
    return folder, snap


def _csv(built, name, columns):
    with open(built.ssda903[name], newline="") as f:
        return [tuple(r[c] for c in columns) for r in csv.DictReader(f)]


@pytest.fixture(scope="module")
def built(cms):
    folder, snap = cms
    return build_returns(snap, folder / "out", reference_date=A, la_code="999")


def test_z1_sub_codes_from_2025_26(built):
    got = [
        r
        for r in _csv(
            built, "episodes.csv", ["CHILD", "DECOM", "PLACE", "PLACE_PROVIDER", "DEC", "REC"]
        )
        if r[0] == "Z"
    ]
    assert got == [
        ("Z", "10/01/2025", "Z12", "", "01/06/2025", "X1"),
        ("Z", "01/06/2025", "Z13", "", "01/09/2025", "X1"),
        ("Z", "01/09/2025", "Z1", "PR4", "", ""),  # a bare Z1: DfE 146 names it
    ]


def test_z1_before_2025_26(cms):
    folder, snap = cms
    earlier = build_returns(snap, folder / "out_2025", reference_date=D(2025, 3, 31), la_code="999")
    got = [
        r
        for r in _csv(earlier, "episodes.csv", ["CHILD", "DECOM", "PLACE", "PLACE_PROVIDER", "DEC"])
        if r[0] == "Z"
    ]
    assert got == [("Z", "10/01/2025", "Z1", "PR4", "")]


def test_a_decision_fulfilled_before_the_year_is_spent(built):
    cols = ["CHILD", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"]
    assert _csv(built, "placed_for_adoption.csv", cols) == [("W", "01/02/2026", "", "")]


def test_oc3_leaves_out_a_transfer_to_another_la(built):
    cols = ["CHILD", "IN_TOUCH", "ACTIV", "ACCOM"]
    assert _csv(built, "oc3.csv", cols) == [("Y", "YES", "F2", "T1")]


def test_k3_is_reported_as_k3_from_2025_26_and_h5_before(cms, built):
    cols = ["CHILD", "DECOM", "RNE", "LS", "PLACE", "URN"]
    k = [r for r in _csv(built, "episodes.csv", cols) if r[0] == "K"]
    assert k == [("K", "03/02/2025", "S", "V2", "K3", "2555501")]
    folder, snap = cms
    earlier = build_returns(snap, folder / "out_k3", reference_date=D(2025, 3, 31), la_code="999")
    k = [r for r in _csv(earlier, "episodes.csv", cols) if r[0] == "K"]
    assert k == [("K", "03/02/2025", "S", "V2", "H5", "2555501")]


def test_annex_a_keeps_h5_and_z1_for_the_903s_newer_codes(tmp_path):
    """List 8 (CS-PLACETYPE has neither K3 nor Z11-Z14, annex_a.md 4.14): the CMS's K3 is
    "n) H5" and its Z12 "v) Z1", as built-in synonyms, so neither is an unmapped value."""
    rows = {
        "ssd_person": [person("Z", dob=D(2012, 5, 1)), person("K", dob=D(2008, 11, 2))],
        "ssd_cla_episodes": [
            _ep("EZ", "Z", "LZ", D(2025, 9, 1)),
            _ep("EK", "K", "LK", D(2025, 2, 3)),
        ],
        "ssd_legal_status": [
            legal_status("GZ", "Z", "C2", D(2025, 9, 1)),
            legal_status("GK", "K", "V2", D(2025, 2, 3)),
        ],
        "ssd_cla_placement": [
            placement("PZ", "LZ", D(2025, 9, 1), "Z12", "PR4"),
            placement("PK", "LK", D(2025, 2, 3), "K3", "PR4", urn="2555501"),
        ],
    }
    got = {
        r["child_unique_id"]: r["placement_type"]
        for r in build_lists(tmp_path, rows, A, lists={8})[8]
    }
    assert got == {"K": "n) H5: Residential accommodation", "Z": "v) Z1: Other placements"}
