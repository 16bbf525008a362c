"""Pack: adoption indicators A1 (ADP1), A10 (ADP2) and A2 (ADP3) on a hand-built CMS. Expected
means worked out by hand in calendar days (indicators.md §3, §6.4).

A = Tue 30/06/2026, W12 = 30/06/2025 .. A. Each child has one period of care and one adoption
decision; the adoption order is the permanence order of type ADOPTION.
"""

import datetime as dt

import pytest
from golden.cms import person

from pack.build import build_connection, indicator

pytestmark = pytest.mark.golden

D = dt.date
A = D(2026, 6, 30)
W12_START = D(2025, 6, 30)


def _episode(pid, entered):
    return {
        "clae_cla_episode_id": f"E_{pid}",
        "clae_person_id": pid,
        "clae_cla_id": f"P_{pid}",
        "clae_cla_episode_start_date": entered,
        "clae_entered_care_date": entered,
        "clae_cla_episode_start_reason": "S",
    }


def _perm(
    pid,
    decision,
    order=None,
    matched=None,
    placed=None,
    adopted=None,
    ffa=None,
    by_carer=None,
    foster=None,
):
    return {
        "perm_table_id": f"PM_{pid}",
        "perm_person_id": pid,
        "perm_cla_id": f"P_{pid}",
        "perm_adm_decision_date": decision,
        "perm_placement_order_date": order,
        "perm_matched_date": matched,
        "perm_placed_for_adoption_date": placed,
        "perm_permanence_order_date": adopted,
        "perm_permanence_order_type": "ADOPTION" if adopted else None,
        "perm_placed_ffa_cp_date": ffa,
        "perm_adopted_by_carer_flag": by_carer,
        "perm_placed_foster_carer_date": foster,
    }


ROWS = {
    "ssd_person": [person(p) for p in ("C1", "C2", "C3", "C4", "C5")],
    "ssd_cla_episodes": [
        _episode("C1", D(2024, 1, 1)),
        _episode("C2", D(2024, 3, 1)),
        _episode("C3", D(2024, 6, 1)),
        _episode("C4", D(2024, 1, 1)),
        _episode("C5", D(2024, 1, 1)),
    ],
    "ssd_permanence": [
        # C1: entered 01/01/2024, order 01/03/2024, matched 01/05/2024, placed 01/06/2024,
        # adopted 30/06/2025 (W12's first day). A1 = 152 days; A2 = 61 days
        _perm("C1", D(2024, 2, 1), D(2024, 3, 1), D(2024, 5, 1), D(2024, 6, 1), D(2025, 6, 30)),
        # C2: matched before the placement order: A2 = 0. Entered 01/03/2024, placed
        # 01/03/2025: A1 = 365 days (2024 is a leap year, but 01/03 to 01/03 spans no 29/02)
        _perm("C2", D(2024, 4, 1), D(2024, 9, 1), D(2024, 8, 1), D(2025, 3, 1), D(2026, 1, 10)),
        # C3: adopted by its foster carers, FFA placement 01/07/2024: A1 uses the placement for
        # adoption 01/01/2025 (214 days from 01/06/2024); A10 uses 01/07/2024 (30 days);
        # no placement order: not in A2
        _perm(
            "C3",
            D(2024, 6, 15),
            None,
            D(2024, 12, 1),
            D(2025, 1, 1),
            D(2026, 2, 1),
            ffa=D(2024, 7, 1),
            by_carer="Y",
        ),
        # C4: adopted by foster carers, no FFA date: A10 uses the foster placement 01/02/2024
        # (31 days); A1 placed 01/07/2024 (182 days); order 01/04/2024, matched 01/06/2024:
        # A2 = 61 days
        _perm(
            "C4",
            D(2024, 2, 1),
            D(2024, 4, 1),
            D(2024, 6, 1),
            D(2024, 7, 1),
            D(2025, 12, 1),
            by_carer="Y",
            foster=D(2024, 2, 1),
        ),
        # C5: adopted the day before W12: in none
        _perm("C5", D(2024, 2, 1), D(2024, 3, 1), D(2024, 5, 1), D(2024, 6, 1), D(2025, 6, 29)),
    ],
}


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    c = build_connection(tmp_path_factory.mktemp("adp"), ROWS, A)
    yield c
    c.close()


def _check(con, ind_id, numerator, denominator, value):
    assert indicator(con, ind_id) == {
        "indicator_id": ind_id,
        "numerator": numerator,
        "denominator": denominator,
        "value": value,
        "period_start": W12_START,
        "period_end": A,
    }


def test_adp1_a1_days_to_placement(con):
    # C1 152 + C2 365 + C3 214 + C4 182 = 913 over 4 children = 228.25 -> 228.3 (C5 outside)
    _check(con, "ADP1", 913.0, 4.0, 228.3)


def test_adp2_a10_adjusted_for_foster_carers(con):
    # C1 152 + C2 365 + C3 30 (FFA) + C4 31 (foster placement) = 578 / 4 = 144.5
    _check(con, "ADP2", 578.0, 4.0, 144.5)


def test_adp3_a2_order_to_match(con):
    # with a placement order: C1 61, C2 0 (matched first), C4 61 = 122 / 3 = 40.7
    _check(con, "ADP3", 122.0, 3.0, 40.7)
