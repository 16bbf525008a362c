"""Golden: List 8 Children in care. Expected rows worked out by hand from annex_a.md §3, §4.7,
§4.11-§4.15, §5 List 8, §7 and D1-D3, D12, D21, D22, D26, D27, and source_contract.md §5.9,
§6.3-§6.5. A = 30/06/2026, so W6 starts 30/12/2025 and W12 starts 30/06/2025."""

import datetime as dt

import pytest

from annexa import reference
from annexa.transform.mapping import Mapping
from golden.cms import (
    build_lists,
    cla_episode,
    immigration_status,
    legal_status,
    missing,
    person,
    placement,
    published,
)

pytestmark = pytest.mark.golden

D = dt.date
A = D(2026, 6, 30)
W6 = D(2025, 12, 30)
W12 = D(2025, 6, 30)


# --- SSD rows ---------------------------------------------------------------------------------


def _rev(rid, cla, pid, date, cancelled="N"):
    return {
        "clar_cla_review_id": rid,
        "clar_cla_id": cla,
        "clar_cla_person_id": pid,
        "clar_cla_review_date": date,
        "clar_cla_review_cancelled": cancelled,
    }


def _vis(vid, pid, date, cla=None):
    return {
        "clav_cla_visit_id": vid,
        "clav_cla_id": cla,
        "clav_person_id": pid,
        "clav_cla_visit_date": date,
        "clav_cla_visit_seen": "Y",
    }


def _plan(tid, pid, start, js, end=None):
    return {
        "lacp_table_id": tid,
        "lacp_person_id": pid,
        "lacp_cla_care_plan_start_date": start,
        "lacp_cla_care_plan_end_date": end,
        "lacp_cla_care_plan_json": js,
    }


def _hc(hid, pid, kind, date, status):
    return {
        "clah_health_check_id": hid,
        "clah_person_id": pid,
        "clah_health_check_type": kind,
        "clah_health_check_date": date,
        "clah_health_check_status": status,
    }


def _invo(iid, pid, prof, start, end=None, team=None):
    return {
        "invo_involvements_id": iid,
        "invo_person_id": pid,
        "invo_professional_id": prof,
        "invo_professional_role_id": "CW",
        "invo_professional_team": team,
        "invo_involvement_start_date": start,
        "invo_involvement_end_date": end,
    }


def _lac(
    pid,
    start,
    *,
    ceased=None,
    reason=None,
    need="N1",
    legal="C2",
    pc="ZZ1 0ED",
    dob=dt.date(2015, 5, 1),
    iro=None,
):
    """A child with one period of care P_<pid> of one episode (reason S), one legal status over
    the period and one placement PL_<pid> starting with the period."""
    return {
        "ssd_person": [person(pid, dob)],
        "ssd_cla_episodes": [
            cla_episode(
                f"E_{pid}", pid, f"P_{pid}", start, need=need, ceased=ceased, reason=reason, iro=iro
            )
        ],
        "ssd_legal_status": [legal_status(f"L_{pid}", pid, legal, start, ceased)] if legal else [],
        "ssd_cla_placement": [placement(f"PL_{pid}", f"P_{pid}", start, pc=pc)],
    }


def _merge(*parts: dict) -> dict:
    out: dict[str, list[dict]] = {}
    for p in parts:
        for table, recs in p.items():
            out.setdefault(table, []).extend(recs)
    return out


ROWS = _merge(
    # W6 edge: ended on W6's first day -> in; legal status at the period's end (C2 from
    # 01/05/2025), not the NONLAC one or the V2 one starting after it ended; health check and
    # visit after the end not counted; the plan in force at the end (record ended that day);
    # allocation at the end of the period
    _lac("W6IN", D(2025, 3, 1), ceased=W6, reason="E4A", legal=None),
    {
        "ssd_legal_status": [
            legal_status("LW1", "W6IN", "C1", D(2025, 3, 1), D(2025, 5, 1)),
            legal_status("LW2", "W6IN", "C2", D(2025, 5, 1), W6),
            legal_status("LW3", "W6IN", "NONLAC", W6),
            legal_status("LW4", "W6IN", "V2", D(2026, 2, 1)),
        ],
        "ssd_cla_health": [
            _hc("HW1", "W6IN", "HEALTH", D(2025, 11, 1), "Completed"),
            _hc("HW2", "W6IN", "HEALTH", D(2026, 2, 1), "Completed"),
        ],
        "ssd_cla_visits": [
            _vis("VW1", "W6IN", D(2025, 12, 20)),
            _vis("VW2", "W6IN", D(2026, 1, 15)),
        ],
        "ssd_cla_care_plan": [_plan("CPW", "W6IN", D(2025, 3, 1), '{"RETURN1M": "Y"}', W6)],
        "ssd_involvements": [
            _invo("IW1", "W6IN", "PW1", D(2025, 3, 1), W6, team="T1"),
            _invo("IW2", "W6IN", "PW2", D(2026, 2, 1), team="T2"),
        ],
    },
    # ... ended the day before W6 -> out
    _lac("W6OUT", D(2025, 3, 1), ceased=D(2025, 12, 29), reason="E4A"),
    # ceased on A: shown as ceased (D2); legal status E1 in force at the end
    _lac("ENDA", D(2024, 9, 1), ceased=A, reason="E11", legal=None),
    {
        "ssd_legal_status": [
            legal_status("LE1", "ENDA", "C2", D(2024, 9, 1), D(2025, 8, 1)),
            legal_status("LE2", "ENDA", "E1", D(2025, 8, 1)),
        ]
    },
    # ceased after A: still open at A, ceased date and reason blank (D3); status from after A
    # ignored; a plan record ending after A is in force at A
    _lac("AFTER", D(2025, 2, 1), ceased=D(2026, 7, 5), reason="E13"),
    {
        "ssd_legal_status": [legal_status("LA2", "AFTER", "V2", D(2026, 7, 1))],
        "ssd_cla_care_plan": [
            _plan("CPA", "AFTER", D(2026, 1, 1), '{"RETURN1M": "Y"}', D(2026, 7, 5))
        ],
    },
    # short breaks only (V3; the NONLAC status is ignored) -> out
    _lac("SB", D(2026, 1, 1), legal="V3"),
    {"ssd_legal_status": [legal_status("LSB2", "SB", "NONLAC", D(2025, 1, 1))]},
    # two periods: the latest is listed; the earlier ended 01/11/2025 (in W12) -> subsequent;
    # placements: the episode open on W12's first day 1, + P (01/07/2025) 1, T and L 0,
    # + S of the new period 1 = 3
    {
        "ssd_person": [person("LATEST")],
        "ssd_cla_episodes": [
            cla_episode(
                "EL1", "LATEST", "PL1", D(2025, 1, 1), "S", ceased=D(2025, 7, 1), reason="X1"
            ),
            cla_episode(
                "EL2",
                "LATEST",
                "PL1",
                D(2025, 7, 1),
                "P",
                ceased=D(2025, 8, 1),
                reason="X1",
                entered=D(2025, 1, 1),
            ),
            cla_episode(
                "EL3",
                "LATEST",
                "PL1",
                D(2025, 8, 1),
                "T",
                ceased=D(2025, 10, 1),
                reason="X1",
                entered=D(2025, 1, 1),
            ),
            cla_episode(
                "EL4",
                "LATEST",
                "PL1",
                D(2025, 10, 1),
                "L",
                ceased=D(2025, 11, 1),
                reason="E4B",
                entered=D(2025, 1, 1),
            ),
            cla_episode("EL5", "LATEST", "PL2", D(2026, 2, 1), "S", need="N5"),
        ],
        "ssd_legal_status": [
            legal_status("LL1", "LATEST", "C2", D(2025, 1, 1), D(2025, 11, 1)),
            legal_status("LL2", "LATEST", "V2", D(2026, 2, 1)),
        ],
        "ssd_cla_placement": [
            placement("PLL1", "PL1", D(2025, 1, 1), end=D(2025, 11, 1)),
            placement("PLL2", "PL2", D(2026, 2, 1), ptype="U6", prov="PR2"),
        ],
        "ssd_involvements": [
            _invo("IL1", "LATEST", "PW3", D(2025, 1, 1), D(2026, 3, 1), "T1"),
            _invo("IL2", "LATEST", "PW4", D(2026, 3, 1), team="T2"),
        ],
    },
    # earlier period ended on W12's first day -> subsequent yes; placements 1 (open on that
    # day) + 1 (S of the new period) = 2
    {
        "ssd_person": [person("SUBY")],
        "ssd_cla_episodes": [
            cla_episode("EY1", "SUBY", "PY1", D(2025, 1, 1), ceased=W12, reason="E4A"),
            cla_episode("EY2", "SUBY", "PY2", D(2026, 1, 1)),
        ],
        "ssd_legal_status": [
            legal_status("LY1", "SUBY", "C2", D(2025, 1, 1), W12),
            legal_status("LY2", "SUBY", "C2", D(2026, 1, 1)),
        ],
        "ssd_cla_placement": [placement("PLY2", "PY2", D(2026, 1, 1))],
    },
    # earlier period ended the day before W12 -> no; a short-break-only period in W12 neither
    # makes it a subsequent period nor counts as a placement -> placements 1
    {
        "ssd_person": [person("SUBN")],
        "ssd_cla_episodes": [
            cla_episode("EN1", "SUBN", "PN1", D(2025, 1, 1), ceased=D(2025, 6, 29), reason="E4A"),
            cla_episode("EN2", "SUBN", "PN2", D(2025, 8, 1), ceased=D(2025, 8, 3), reason="E4A"),
            cla_episode("EN3", "SUBN", "PN3", D(2026, 1, 1)),
        ],
        "ssd_legal_status": [
            legal_status("LN1", "SUBN", "C2", D(2025, 1, 1), D(2025, 6, 29)),
            legal_status("LN2", "SUBN", "V3", D(2025, 8, 1), D(2025, 8, 3)),
            legal_status("LN3", "SUBN", "C2", D(2026, 1, 1)),
        ],
        "ssd_cla_placement": [placement("PLN3", "PN3", D(2026, 1, 1))],
    },
    # category of need of the latest episode starting by A (N4, not N1 nor N5 after A); its X1
    # end after A leaves the period open; L does not count -> placements 1; IRO date shown
    {
        "ssd_person": [person("NEED")],
        "ssd_cla_episodes": [
            cla_episode(
                "ED1",
                "NEED",
                "PD",
                D(2025, 3, 1),
                "S",
                "N1",
                D(2026, 1, 10),
                "X1",
                iro=D(2026, 6, 1),
            ),
            cla_episode(
                "ED2",
                "NEED",
                "PD",
                D(2026, 1, 10),
                "L",
                "N4",
                D(2026, 7, 10),
                "X1",
                entered=D(2025, 3, 1),
                iro=D(2026, 6, 1),
            ),
            cla_episode(
                "ED3",
                "NEED",
                "PD",
                D(2026, 7, 10),
                "T",
                "N5",
                entered=D(2025, 3, 1),
                iro=D(2026, 6, 1),
            ),
        ],
        "ssd_legal_status": [
            legal_status("LD1", "NEED", "C1", D(2025, 3, 1), D(2026, 1, 10)),
            legal_status("LD2", "NEED", "C2", D(2026, 1, 10)),
        ],
        "ssd_cla_placement": [placement("PLD", "PD", D(2025, 3, 1))],
    },
    # reviews: latest not cancelled up to A, one linked by person and date only; visits up to
    # A; IRO contact after A -> blank; unparseable care-plan JSON -> no plan
    _lac("REV", D(2025, 10, 1), iro=D(2026, 7, 2)),
    {
        "ssd_cla_reviews": [
            _rev("R1", "P_REV", "REV", D(2026, 3, 1)),
            _rev("R2", "P_REV", "REV", D(2026, 5, 1), "Y"),
            _rev("R3", "P_REV", "REV", D(2026, 7, 10)),
            _rev("R4", None, "REV", D(2026, 4, 1), None),
            _rev("R5", None, "REV", D(2025, 9, 1)),
        ],
        "ssd_cla_visits": [
            _vis("V1", "REV", A),
            _vis("V2", "REV", D(2026, 7, 1)),
            _vis("V3", "REV", D(2025, 9, 15)),
        ],
        "ssd_cla_care_plan": [_plan("CPR", "REV", D(2025, 10, 1), "{not json")],
    },
    # permanence plans (D22)
    _lac("PERM1", D(2025, 10, 1)),
    {
        "ssd_cla_care_plan": [
            _plan("CP1A", "PERM1", D(2025, 10, 1), '{"ADOPTION": "Y"}', D(2025, 11, 1)),
            _plan("CP1B", "PERM1", D(2025, 11, 1), '{"ADOPTION": "N", "LTFOST18": "Y"}'),
        ]
    },
    _lac("PERM2", D(2025, 10, 1)),
    {
        "ssd_cla_care_plan": [
            _plan("CP2A", "PERM2", D(2025, 10, 1), '{"ADOPTION": "Y"}', A),  # ended on A
            _plan(
                "CP2B",
                "PERM2",
                A,
                '{"SUPPLIV": "Y", "RETURN6M": true, "LTFOST18": "1", '
                '"OTHERPLN": "Yes", "RESPLMT": "N"}',
            ),
            _plan("CP2C", "PERM2", D(2026, 7, 1), '{"ADOPTION": "Y"}'),
        ]
    },  # starts after A
    _lac("PERM3", D(2025, 10, 1)),
    {
        "ssd_cla_care_plan": [
            _plan(
                "CP3", "PERM3", D(2025, 10, 1), '{"LTRELFR": "Y", "RESPLMT": "Y", "ADOPTION": "Y"}'
            )
        ]
    },
    _lac("PERM4", D(2025, 10, 1)),
    {
        "ssd_cla_care_plan": [
            _plan(
                "CP4",
                "PERM4",
                D(2025, 10, 1),
                '{"RESPLMT": "Y", "SUPPLIV": "Y", "LTRELFR": "Y", "LTFOST18": "Y"}',
            )
        ]
    },
    _lac("PERM5", D(2025, 10, 1)),
    {
        "ssd_cla_care_plan": [
            _plan(
                "CP5", "PERM5", D(2025, 10, 1), '{"SUPPLIV": "Y", "RESPLMT": "Y", "OTHERPLN": "Y"}'
            )
        ]
    },
    # health and dental checks: completed (or no status), in the period, up to A
    _lac("HEALTH", D(2025, 10, 1)),
    {
        "ssd_cla_health": [
            _hc("H1", "HEALTH", "HEALTH", D(2025, 9, 1), "Completed"),
            _hc("H2", "HEALTH", "HEALTH", D(2026, 2, 1), "COMPLETED"),
            _hc("H3", "HEALTH", "HEALTH", D(2026, 5, 1), "Planned"),
            _hc("H4", "HEALTH", "HEALTH", D(2026, 6, 1), "Refused"),
            _hc("H5", "HEALTH", "HEALTH", D(2026, 7, 1), "Completed"),
            _hc("H6", "HEALTH", "DENTAL", D(2026, 3, 1), None),
            _hc("H7", "HEALTH", "DENTAL", D(2026, 4, 1), "Cancelled"),
            _hc("H8", "HEALTH", "OTHER", D(2026, 6, 15), "Completed"),
        ]
    },
    # placements: most recent up to A; postcode normalised; location and LA of placement
    _lac("PCIN", D(2025, 10, 1)),
    {
        "ssd_cla_placement": [
            placement("PLIN2", "P_PCIN", D(2026, 2, 1), "K2", "PR4", " zz1  0ed ", "SC123456"),
            placement("PLIN3", "P_PCIN", D(2026, 7, 1), "R1", "PR5", "B1 1BB"),
        ]
    },
    _lac("PCSW", D(2025, 10, 1), pc="sw1a1aa"),
    _lac("PCOUT", D(2025, 10, 1), pc="b11bb"),
    _lac("PCWAL", D(2025, 10, 1), pc="CF10 4UW"),
    _lac("PCSCO", D(2025, 10, 1), pc="EH1 1YJ"),
    _lac("PCNIR", D(2025, 10, 1), pc="BT9 9ZZ"),
    _lac("PCCON", D(2025, 10, 1), pc="ZZ1 0ES"),
    _lac("PCCON2", D(2025, 10, 1), pc=None),
    _lac("PCNUK", D(2025, 10, 1), pc=None),
    # missing / absent from max(period start, W12 start) to A; return interview of the latest
    # counted missing episode
    _lac("MISS", D(2025, 3, 1)),
    {
        "ssd_missing": [
            missing("M1", "MISS", D(2025, 6, 29), "M", "Y", "Y"),
            missing("M2", "MISS", W12, "M", "Y", "Y"),
            missing("M3", "MISS", D(2025, 8, 1), "A", "N"),
            missing("M4", "MISS", D(2026, 3, 1), "M", "N"),
            missing("M5", "MISS", D(2026, 5, 1), "M", "Y", "N"),
            missing("M6", "MISS", D(2026, 7, 1), "M", "N"),
        ]
    },
    _lac("MISS2", D(2026, 1, 15)),
    {
        "ssd_missing": [
            missing("N1", "MISS2", D(2026, 1, 10), "M", "Y", "Y"),
            missing("N2", "MISS2", D(2026, 2, 1), "M", "NA", None),
            missing("N3", "MISS2", D(2026, 3, 1), "A"),
            missing("N4", "MISS2", D(2026, 4, 1), "A"),
        ]
    },
    _lac("MISS3", D(2025, 10, 1)),
    {
        "ssd_missing": [
            missing("O1", "MISS3", D(2026, 2, 1), "M", "Y", "Y"),
            missing("O2", "MISS3", D(2026, 4, 1), "M", "N", "Y"),
        ]
    },
    _lac("MISS4", D(2025, 10, 1)),
    {"ssd_missing": [missing("Q1", "MISS4", D(2026, 2, 1), "M", None, "NA")]},
    _lac("MISS5", D(2025, 10, 1)),
    {"ssd_missing": [missing("Q2", "MISS5", D(2026, 6, 20), "M", "Y", "Y", D(2026, 7, 2))]},
    # UASC at any time in W12
    _lac("UASCY", D(2025, 10, 1)),
    {"ssd_immigration_status": [immigration_status("U1", "UASCY", "UASC", D(2024, 1, 1), W12)]},
    _lac("UASCN", D(2025, 10, 1)),
    {
        "ssd_immigration_status": [
            immigration_status("U2", "UASCN", "UASC", D(2024, 1, 1), D(2025, 6, 29)),
            immigration_status("U3", "UASCN", "UASC", D(2026, 7, 1)),
            immigration_status("U4", "UASCN", "OTHER", D(2025, 6, 29)),
        ]
    },
    # turned 18 on 01/03/2026 and ceased E17 that day: listed, age 18 at A
    _lac("E17", D(2024, 5, 1), ceased=D(2026, 3, 1), reason="E17", dob=D(2008, 3, 1)),
    # no period-of-care id: episodes chained by X1 (E_C3 continues E_C2); E_C1 is an earlier
    # period ended before W12. Placements and reviews link by person and date.
    {
        "ssd_person": [person("CHAIN")],
        "ssd_cla_episodes": [
            cla_episode(
                "E_C1",
                "CHAIN",
                None,
                D(2024, 1, 1),
                "S",
                ceased=D(2025, 2, 1),
                reason="E4A",
                entered=None,
            ),
            cla_episode(
                "E_C2", "CHAIN", None, D(2025, 9, 1), "S", "N1", D(2026, 1, 10), "X1", entered=None
            ),
            cla_episode(
                "E_C3", "CHAIN", None, D(2026, 1, 10), "P", "N2", D(2026, 4, 1), "E8", entered=None
            ),
        ],
        "ssd_legal_status": [
            legal_status("LC1", "CHAIN", "C2", D(2024, 1, 1), D(2025, 2, 1)),
            legal_status("LC2", "CHAIN", "C1", D(2025, 9, 1), D(2026, 1, 10)),
            legal_status("LC3", "CHAIN", "C2", D(2026, 1, 10), D(2026, 4, 1)),
        ],
        "ssd_cla_placement": [
            placement("PLC1", None, D(2024, 1, 1), pid="CHAIN", end=D(2025, 2, 1)),
            placement("PLC2", None, D(2025, 9, 1), "U6", pid="CHAIN", end=D(2026, 1, 10)),
            placement("PLC3", None, D(2026, 1, 10), "U4", "PR3", "ZZ1 0ES", pid="CHAIN"),
        ],
        "ssd_cla_reviews": [
            _rev("RC1", None, "CHAIN", D(2026, 3, 1)),
            _rev("RC2", None, "CHAIN", D(2026, 5, 1)),
        ],
    },
    # no date of birth, only an expected one after A: no unborn rule on List 8 -> both blank
    {
        "ssd_person": [person("NODOB", None, pers_expected_dob=D(2026, 9, 1))],
        "ssd_cla_episodes": [cla_episode("E_NODOB", "NODOB", "P_NODOB", D(2026, 1, 1))],
        "ssd_legal_status": [legal_status("L_NODOB", "NODOB", "C2", D(2026, 1, 1))],
        "ssd_cla_placement": [placement("PL_NODOB", "P_NODOB", D(2026, 1, 1))],
    },
    # out: a period starting after A; an orphan (no ssd_person row)
    _lac("FUTURE", D(2026, 7, 1)),
    {
        "ssd_cla_episodes": [cla_episode("E_GHOST", "GHOST", "P_GHOST", D(2026, 1, 1))],
        "ssd_legal_status": [legal_status("L_GHOST", "GHOST", "C2", D(2026, 1, 1))],
    },
    # workers and teams
    {
        "ssd_professionals": [
            {"prof_professional_id": "PW1", "prof_professional_name": "Sue Smith"},
            {"prof_professional_id": "PW2", "prof_professional_name": "Later Worker"},
            {"prof_professional_id": "PW3", "prof_professional_name": "Old Worker"},
            {"prof_professional_id": "PW4", "prof_professional_name": "Joe Bloggs"},
        ],
        "ssd_department": [
            {"dept_team_id": "T1", "dept_team_name": "Children in Care Team"},
            {"dept_team_id": "T2", "dept_team_name": "Fostering Team"},
        ],
    },
)

MAPPING = Mapping(
    confidential_placements=["PL_PCCON", "PL_PCCON2"], outside_uk_placements=["PL_PCNUK"]
)


# --- expected rows ----------------------------------------------------------------------------

YES, NO, UNKNOWN = "a) Yes", "b) No", "c) Unknown"
C2 = "C2: FCO"
U4 = "d) U4: Foster placement - long term"
PR1 = "b) PR1: Own provision"
IN, OUT = "a) In", "b) Out"


def _row(cid, start, **kw):
    """A child's expected row: defaults are those of _lac (open period, C2 from the start,
    one placement U4/PR1 at ZZ1 0ED in Synthshire starting with the period)."""
    row = {
        "child_unique_id": cid,
        "gender": "b) Female",
        "ethnicity": "a) WBRI",
        "date_of_birth": D(2015, 5, 1),
        "age": 11,
        "uasc_last_12_months": NO,
        "disability": UNKNOWN,
        "date_started_looked_after": start,
        "category_of_need": "N1 - Abuse or neglect",
        "subsequent_period_last_12_months": NO,
        "legal_status_start_date": start,
        "legal_status": C2,
        "date_latest_statutory_review": None,
        "date_last_social_work_visit": None,
        "permanence_plan": None,
        "date_last_iro_contact": None,
        "date_last_health_assessment": None,
        "date_last_dental_check": None,
        "placements_last_12_months": 1,
        "date_ceased_looked_after": None,
        "reason_ceased_looked_after": None,
        "placement_start_date": start,
        "placement_type": U4,
        "placement_provider": PR1,
        "placement_postcode": "ZZ1 0ED",
        "placement_urn": None,
        "placement_location": IN,
        "la_of_placement": "Synthshire",
        "missing_episodes_last_12_months": 0,
        "absent_episodes_last_12_months": 0,
        "return_interview_offered": None,
        "return_interview_accepted": None,
        "allocated_team": None,
        "allocated_worker": None,
    }
    assert set(kw) <= set(row)
    row.update(kw)
    return row


S25_10 = D(2025, 10, 1)
CON = "CON - Child placed in confidential placement"

EXPECTED = {
    # ended on W6's first day: ceased date and reason shown; legal status in force at the end
    # (C2 from 01/05/2025); health check of 01/02/2026 and visit of 15/01/2026 are after the
    # end; plan RETURN1M in force on the last day; allocation: the CW involvement that ran to
    # the end (the one started after it is ignored)
    "W6IN": _row(
        "W6IN",
        D(2025, 3, 1),
        legal_status_start_date=D(2025, 5, 1),
        date_last_social_work_visit=D(2025, 12, 20),
        permanence_plan="a) Return to family",
        date_last_health_assessment=D(2025, 11, 1),
        date_ceased_looked_after=W6,
        reason_ceased_looked_after="e) E4A: Returned home to live with parents or "
        "relatives - part of planning",
        allocated_team="Children in Care Team",
        allocated_worker="Sue Smith",
    ),
    # started 01/09/2024, open on W12's first day -> 1 placement; ceased on A (D2)
    "ENDA": _row(
        "ENDA",
        D(2024, 9, 1),
        legal_status_start_date=D(2025, 8, 1),
        legal_status="E1: Placement order",
        date_ceased_looked_after=A,
        reason_ceased_looked_after="a) E11: Adopted - application unopposed",
    ),
    # ceased 05/07/2026 is after A: open, blanks (D3); V2 from 01/07/2026 not yet; plan RETURN1M
    "AFTER": _row("AFTER", D(2025, 2, 1), permanence_plan="a) Return to family"),
    # latest period PL2 from 01/02/2026: need N5, V2; earlier period open in W12; 3 placements;
    # the CW involvement open at A
    "LATEST": _row(
        "LATEST",
        D(2026, 2, 1),
        category_of_need="N5 - Family dysfunction",
        subsequent_period_last_12_months=YES,
        legal_status="V2: Single period under S20",
        placements_last_12_months=3,
        placement_type="f) U6: Foster placement - not FFA",
        placement_provider="c) PR2: Other LA provision",
        allocated_team="Fostering Team",
        allocated_worker="Joe Bloggs",
    ),
    "SUBY": _row(
        "SUBY", D(2026, 1, 1), subsequent_period_last_12_months=YES, placements_last_12_months=2
    ),
    "SUBN": _row("SUBN", D(2026, 1, 1)),
    # latest episode by A is ED2 (N4); C2 from 10/01/2026; IRO 01/06/2026
    "NEED": _row(
        "NEED",
        D(2025, 3, 1),
        category_of_need="N4 - Family in acute stress",
        legal_status_start_date=D(2026, 1, 10),
        date_last_iro_contact=D(2026, 6, 1),
    ),
    # R4 (01/04/2026, no period id, in the period) beats R1; R2 cancelled, R3 after A
    "REV": _row(
        "REV", S25_10, date_latest_statutory_review=D(2026, 4, 1), date_last_social_work_visit=A
    ),
    "PERM1": _row("PERM1", S25_10, permanence_plan="f) Long-term fostering"),
    "PERM2": _row("PERM2", S25_10, permanence_plan="a) Return to family"),
    "PERM3": _row("PERM3", S25_10, permanence_plan="b) Adoption"),
    "PERM4": _row("PERM4", S25_10, permanence_plan="c) SGO/CAO"),
    "PERM5": _row("PERM5", S25_10, permanence_plan="e) Long-term residential placement"),
    "HEALTH": _row(
        "HEALTH",
        S25_10,
        date_last_health_assessment=D(2026, 2, 1),
        date_last_dental_check=D(2026, 3, 1),
    ),
    "PCIN": _row(
        "PCIN",
        S25_10,
        placement_start_date=D(2026, 2, 1),
        placement_type="p) K2: Children’s Homes",
        placement_provider="e) PR4: Private provision",
        placement_urn="SC123456",
    ),
    # not in the lookup: LA of placement and location blank (reported)
    "PCSW": _row(
        "PCSW", S25_10, placement_postcode="SW1A 1AA", placement_location=None, la_of_placement=None
    ),
    "PCOUT": _row(
        "PCOUT",
        S25_10,
        placement_postcode="B1 1BB",
        placement_location=OUT,
        la_of_placement="Birmingham",
    ),
    "PCWAL": _row(
        "PCWAL",
        S25_10,
        placement_postcode="CF10 4UW",
        placement_location=OUT,
        la_of_placement="WAL - Child placed in Wales",
    ),
    "PCSCO": _row(
        "PCSCO",
        S25_10,
        placement_postcode="EH1 1YJ",
        placement_location=OUT,
        la_of_placement="SCO - Child placed in Scotland",
    ),
    # a BT postcode is Northern Ireland even when the lookup lacks it
    "PCNIR": _row(
        "PCNIR",
        S25_10,
        placement_postcode="BT9 9ZZ",
        placement_location=OUT,
        la_of_placement="NIR - Child placed in Northern Ireland",
    ),
    # confidential: CON; location from its postcode (in Synthshire) or blank without one
    "PCCON": _row("PCCON", S25_10, placement_postcode="ZZ1 0ES", la_of_placement=CON),
    "PCCON2": _row(
        "PCCON2", S25_10, placement_postcode=None, placement_location=None, la_of_placement=CON
    ),
    "PCNUK": _row(
        "PCNUK",
        S25_10,
        placement_postcode=None,
        placement_location=OUT,
        la_of_placement="NUK - Child placed outside the UK",
    ),
    # M2 (on W12's first day), M4, M5 missing; M3 absent; latest counted M5: offered Y, accepted N
    "MISS": _row(
        "MISS",
        D(2025, 3, 1),
        missing_episodes_last_12_months=3,
        absent_episodes_last_12_months=1,
        return_interview_offered=YES,
        return_interview_accepted=NO,
    ),
    # window starts at the period start (15/01/2026): N1 out; NA / blank -> Unknown
    "MISS2": _row(
        "MISS2",
        D(2026, 1, 15),
        missing_episodes_last_12_months=1,
        absent_episodes_last_12_months=2,
        return_interview_offered=UNKNOWN,
        return_interview_accepted=UNKNOWN,
    ),
    # latest not offered: accepted blank
    "MISS3": _row("MISS3", S25_10, missing_episodes_last_12_months=2, return_interview_offered=NO),
    "MISS4": _row(
        "MISS4",
        S25_10,
        missing_episodes_last_12_months=1,
        return_interview_offered=UNKNOWN,
        return_interview_accepted=UNKNOWN,
    ),
    # still missing at A (returned 02/07/2026): the interview recorded later is not known at A
    "MISS5": _row(
        "MISS5",
        S25_10,
        missing_episodes_last_12_months=1,
        return_interview_offered=UNKNOWN,
        return_interview_accepted=UNKNOWN,
    ),
    "UASCY": _row("UASCY", S25_10, uasc_last_12_months=YES),
    "UASCN": _row("UASCN", S25_10),
    "E17": _row(
        "E17",
        D(2024, 5, 1),
        date_of_birth=D(2008, 3, 1),
        age=18,
        date_ceased_looked_after=D(2026, 3, 1),
        reason_ceased_looked_after="v) E17: Aged 18+ and remained with current carers",
    ),
    # period chained from E_C2 (start 01/09/2025, no entered-care date) to E_C3's E8 end;
    # need of E_C3; C2 in force at the end; placements S + P = 2; PLC3 the latest placement;
    # review RC2 is after the period's end
    "CHAIN": _row(
        "CHAIN",
        D(2025, 9, 1),
        category_of_need="N2 - Child’s disability",
        legal_status_start_date=D(2026, 1, 10),
        placements_last_12_months=2,
        date_latest_statutory_review=D(2026, 3, 1),
        date_ceased_looked_after=D(2026, 4, 1),
        reason_ceased_looked_after="t) E8: Care ceased for any other reason",
        placement_start_date=D(2026, 1, 10),
        placement_provider="d) PR3: Other public provision",
        placement_postcode="ZZ1 0ES",
    ),
    "NODOB": _row("NODOB", D(2026, 1, 1), date_of_birth=None, age=None),
}


@pytest.fixture(scope="module")
def later(tmp_path_factory):
    return build_lists(tmp_path_factory.mktemp("l8"), ROWS, A, mapping=MAPPING, lists={8})[8]


def _by_child(rows):
    return {r["child_unique_id"]: r for r in rows}


def test_list_8_columns_and_order(later):
    assert [k for k in later[0] if not k.startswith("_")] == reference.list_spec(8, "later").keys
    # D27: Child Unique ID, then period start, then record id; one row per child
    assert [r["child_unique_id"] for r in later] == sorted(EXPECTED)


def test_list_8_selection_window_edges_and_exclusions(later):
    ids = {r["child_unique_id"] for r in later}
    assert "W6IN" in ids and "W6OUT" not in ids  # D1 edge of W6
    assert "SB" not in ids  # D21(a) short breaks only
    assert "FUTURE" not in ids and "GHOST" not in ids  # D3; orphan


@pytest.mark.parametrize("cid", sorted(EXPECTED))
def test_list_8_rows(later, cid):
    assert published(_by_child(later)[cid]) == EXPECTED[cid]


def test_list_8_hidden_columns(later):
    rows = _by_child(later)
    assert rows["LATEST"]["_record_id"] == "PL2"
    assert rows["CHAIN"]["_record_id"] == "chain:E_C2"
    assert all(r["_person_id"] == r["child_unique_id"] for r in later)
    assert len({r["_record_id"] for r in later}) == len(later)
    assert rows["PCIN"]["_placement_id"] == "PLIN2"
    assert rows["LATEST"]["_worker_how"] == "involvement"
    assert rows["W6IN"]["_worker_how"] == "involvement"
    # several permanence options: the D22 first one shown, all listed as a warning
    assert rows["PERM1"]["_perm_warning"] is None
    assert rows["PERM2"]["_perm_warning"] == "RETURN+LT_FOSTERING+SUPPORTED_LIVING+OTHER"
    assert rows["PERM3"]["_perm_warning"] == "ADOPTION+SGO_CAO+LT_RESIDENTIAL"
    assert rows["PERM4"]["_perm_warning"] == (
        "SGO_CAO+LT_FOSTERING+LT_RESIDENTIAL+SUPPORTED_LIVING"
    )
    assert rows["PERM5"]["_perm_warning"] == "LT_RESIDENTIAL+SUPPORTED_LIVING+OTHER"


def test_list_8_2019_writes_e17_as_e8(tmp_path):
    rows = build_lists(tmp_path, ROWS, A, version="2019", mapping=MAPPING, lists={8})[8]
    row = _by_child(rows)["E17"]
    assert published(row) == {
        **EXPECTED["E17"],
        "reason_ceased_looked_after": "t) E8: Care ceased for any other reason",
    }
