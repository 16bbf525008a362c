"""Pack: contacts (HP01), children in need (HP16-HP18), placement location (CIC08a) and the
Annex A workforce views (WF05, WF09) on a hand-built CMS. Expected values worked out by hand
from indicators.md §2, §3, §5 and §6.

A = Tue 30/06/2026, W6 = 30/12/2025 .. A. Bank holidays used: 1 Jan 2026; 3 and 6 Apr 2026.
June 2026 has none: WD(02/06/2026, A) = 20, WD(01/06/2026, A) = 21.
"""

import datetime as dt

import pytest
from golden.cms import person

from pack.build import build_connection, indicator

pytestmark = pytest.mark.golden

D = dt.date
A = D(2026, 6, 30)
W6_START = D(2025, 12, 30)


def _contact(cid, pid, day):
    return {
        "cont_contact_id": cid,
        "cont_person_id": pid,
        "cont_contact_date": day,
        "cont_contact_source_code": "1A",
    }


def _ref(rid, pid, day, close=None, reason=None, nfa="N"):
    return {
        "cine_referral_id": rid,
        "cine_person_id": pid,
        "cine_referral_date": day,
        "cine_referral_nfa": nfa,
        "cine_close_date": close,
        "cine_close_reason": reason,
        "cine_cin_primary_need_code": "N1",
    }


def _nfa_ref(rid, pid, day):
    """A referral closed the same day with NFA: on List 3, never on List 6."""
    return _ref(rid, pid, day, close=day, reason="RC8", nfa="Y")


def _plan(plid, pid, rid, start):
    return {
        "cinp_cin_plan_id": plid,
        "cinp_referral_id": rid,
        "cinp_person_id": pid,
        "cinp_cin_plan_start_date": start,
    }


def _visit(vid, pid, plan, day):
    return {
        "cinv_cin_visit_id": vid,
        "cinv_person_id": pid,
        "cinv_cin_plan_id": plan,
        "cinv_cin_visit_date": day,
        "cinv_cin_visit_seen": "Y",
    }


def _cw(iid, pid, prof):
    return {
        "invo_involvements_id": iid,
        "invo_person_id": pid,
        "invo_professional_id": prof,
        "invo_professional_role_id": "CW",
        "invo_involvement_start_date": D(2025, 1, 1),
    }


def _lac(pid, postcode):
    return {
        "episode": {
            "clae_cla_episode_id": f"E_{pid}",
            "clae_person_id": pid,
            "clae_cla_id": f"P_{pid}",
            "clae_cla_episode_start_date": D(2025, 1, 1),
            "clae_cla_episode_start_reason": "S",
            "clae_cla_primary_need_code": "N1",
            "clae_entered_care_date": D(2025, 1, 1),
        },
        "legal": {
            "lega_legal_status_id": f"L_{pid}",
            "lega_person_id": pid,
            "lega_legal_status": "C2",
            "lega_legal_status_start_date": D(2025, 1, 1),
        },
        "placement": {
            "clap_cla_placement_id": f"PL_{pid}",
            "clap_cla_id": f"P_{pid}",
            "clap_person_id": pid,
            "clap_cla_placement_start_date": D(2025, 1, 1),
            "clap_cla_placement_type": "U4",
            "clap_cla_placement_provider": "PR1",
            "clap_cla_placement_postcode": postcode,
        },
    }


LAC = [_lac("C1", "ZZ1 0ED"), _lac("C2", "M1 1AD")]  # Synthshire (LA 999): in; Manchester: out

CONTACTS = [
    _contact("K1", "K1", D(2025, 12, 30)),  # referral Wed 31/12: 1 WD -> converted
    _contact("K2", "K2", D(2025, 12, 31)),  # referral Fri 02/01 (1 Jan holiday): 1 WD
    _contact("K3", "K3", D(2025, 12, 31)),  # referral Mon 05/01: 2 WD -> not
    _contact("K4", "K4", D(2026, 4, 2)),  # referral Tue 07/04 (Easter): 1 WD
    _contact("K5", "K5", D(2026, 6, 30)),  # on A: its 1-WD window has not ended
    _contact("K6", "K6", D(2026, 5, 1)),  # referral the day before the contact -> not
]

REFERRALS = [
    _nfa_ref("RK1", "K1", D(2025, 12, 31)),
    _nfa_ref("RK2", "K2", D(2026, 1, 2)),
    _nfa_ref("RK3", "K3", D(2026, 1, 5)),
    _nfa_ref("RK4", "K4", D(2026, 4, 7)),
    _nfa_ref("RK6", "K6", D(2026, 4, 30)),
    # open at A on CIN plans
    _ref("R1", "N1", D(2025, 1, 1)),
    _ref("R2", "N2", D(2025, 1, 1)),
    _ref("R3", "N3", D(2026, 6, 2)),
    _ref("R4", "N4", D(2025, 1, 1)),
    # closed in W6
    _ref("R5", "N5", D(2026, 1, 10), D(2026, 4, 10), "RC1"),  # exactly 3 months
    _ref("R6", "N6", D(2026, 1, 10), D(2026, 4, 11), "RC1"),  # 3 months + 1 day
    _ref("R7", "N7", D(2024, 2, 29), D(2026, 2, 28), "RC1"),  # 29 Feb: 2nd anniversary 28 Feb
    _ref("R8", "N8", D(2024, 3, 1), D(2026, 2, 28), "RC1"),  # one day short of 2 years
    _ref("R9", "N9", D(2025, 6, 1), D(2025, 12, 29), "RC1"),  # closed before W6: not listed
    _ref("R10", "N10", D(2026, 1, 10), D(2026, 2, 10), "RC8"),  # RC8: not on List 6
]

PEOPLE = sorted(
    {c["cont_person_id"] for c in CONTACTS}
    | {r["cine_person_id"] for r in REFERRALS}
    | {"C1", "C2"}
)

ROWS = {
    "ssd_person": [person(p) for p in PEOPLE],
    "ssd_contacts": CONTACTS,
    "ssd_cin_episodes": REFERRALS,
    "ssd_cin_plans": [
        _plan("PL1", "N1", "R1", D(2025, 2, 1)),
        _plan("PL2", "N2", "R2", D(2025, 2, 1)),
        _plan("PL3", "N3", "R3", D(2026, 6, 2)),
        _plan("PL4", "N4", "R4", D(2025, 2, 1)),
    ],
    "ssd_cin_visits": [
        _visit("V1", "N1", "PL1", D(2026, 6, 2)),  # 20 WD before A: within
        _visit("V2", "N2", "PL2", D(2026, 6, 1)),
    ],  # 21 WD: outside
    "ssd_professionals": [
        {"prof_professional_id": "W1", "prof_professional_name": "Ann One"},
        {"prof_professional_id": "W2", "prof_professional_name": "Bea Two"},
    ],
    "ssd_involvements": [
        _cw("I1", "N1", "W1"),
        _cw("I2", "N2", "W1"),
        _cw("I3", "N3", "W2"),
        _cw("I4", "C1", "W2"),
    ],
    "ssd_cla_episodes": [c["episode"] for c in LAC],
    "ssd_legal_status": [c["legal"] for c in LAC],
    "ssd_cla_placement": [c["placement"] for c in LAC],
}


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    c = build_connection(tmp_path_factory.mktemp("cinwf"), ROWS, A)
    yield c
    c.close()


def _check(con, ind_id, numerator, denominator, value, start=A):
    assert indicator(con, ind_id) == {
        "indicator_id": ind_id,
        "numerator": numerator,
        "denominator": denominator,
        "value": value,
        "period_start": start,
        "period_end": A,
    }


def test_hp01_contacts_converted_within_1_working_day(con):
    # window ended by A: K1, K2, K3, K4, K6 = 5 (K5 is on A); converted: K1, K2 (over 1 Jan),
    # K4 (over Easter) = 3. 3 / 5 = 60.0%
    _check(con, "HP01", 3.0, 5.0, 60.0, start=W6_START)


def test_hp16_children_in_need_at_a(con):
    # List 6 open at A: N1, N2, N3, N4 = 4 (NFA referrals and RC8 closures are not on List 6)
    _check(con, "HP16", 4.0, None, None)


def test_hp17_cin_plan_visits_within_20_working_days(con):
    # CIN plan, episode started more than 20 WD before A: N1, N2, N4 = 3 (N3 started 02/06,
    # exactly 20 WD); seen within 20 WD: N1 (02/06) = 1; N2 (01/06, 21 WD) and N4 (no visit)
    # not. 1 / 3 = 33.3%
    _check(con, "HP17", 1.0, 3.0, 33.3)


def test_hp18a_cin_episodes_three_months_or_less(con):
    # closed in W6 on List 6: N5, N6, N7, N8 = 4; closure on or before start + 3 months: N5 = 1
    _check(con, "HP18a", 1.0, 4.0, 25.0, start=W6_START)


def test_hp18b_cin_episodes_two_years_or_more(con):
    # on or after the second anniversary: N7 (29/02/2024 -> 28/02/2026) = 1 of 4
    _check(con, "HP18b", 1.0, 4.0, 25.0, start=W6_START)


def test_cic08a_placed_out_of_area(con):
    # looked after at A: C1 (Synthshire postcode), C2 (Manchester) -> out: C2. 1 / 2 = 50.0%
    _check(con, "CIC08a", 1.0, 2.0, 50.0)


def test_wf05_average_caseload(con):
    # open at A: List 6 N1 (W1), N2 (W1), N3 (W2), N4 (none); List 8 C1 (W2), C2 (none).
    # W1 2 children, W2 2 children: 4 / 2 workers = 2.0
    _check(con, "WF05", 4.0, 2.0, 2.0)


def test_wf09_unallocated(con):
    # rows open at A: 4 on List 6 + 2 on List 8 = 6; blank worker: N4, C2 = 2 -> 33.3%
    _check(con, "WF09", 2.0, 6.0, 33.3)
