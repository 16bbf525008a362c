"""Headline rates measured straight from a (synthetic) CMS, for the README and calibration tests.

Why here and not in the pipeline: the pack computes its indicators from the published lists; this
is an independent, deliberately simple reading of the source tables (spec indicators.md
definitions, CMS refinements) so that the generator's calibration can be checked without running
the product. Raw values are normalised through the shipped synthetic mapping, so a messy CMS
measures the same as a clean one.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa
import yaml

from annexa.core.calendar import bank_holidays
from annexa.core.dates import add_months
from annexa.core.paths import PACKAGE_DIR

_FLAG_WORDS = {
    "y": "Y",
    "yes": "Y",
    "true": "Y",
    "1": "Y",
    "n": "N",
    "no": "N",
    "false": "N",
    "0": "N",
    "na": "NA",
}


def mapping_path() -> Path:
    return PACKAGE_DIR / "reference" / "mappings" / "synthetic_messy.yaml"


@cache
def _values() -> dict[str, dict[str, str]]:
    path = mapping_path()
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    doc = doc or {}
    out: dict[str, dict[str, str]] = {}
    for fname, rule in (doc.get("fields") or {}).items():
        out[fname] = {
            " ".join(str(k).split()).lower(): str(v)
            for k, v in ((rule or {}).get("values") or {}).items()
        }
    return out


def _code(field: str, s: pd.Series, flag: bool = False) -> pd.Series:
    """Raw values -> national codes: explicit mapping entries, then identity (upper-cased)."""
    vals = _values().get(field, {})

    def one(v: object) -> object:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        key = " ".join(str(v).split()).lower()
        if key in vals:
            return vals[key]
        if flag:
            return _FLAG_WORDS.get(key, key.upper())
        return key.upper()

    return s.map(one)


def _read(engine: sa.Engine, table: str, cols: list[str], dates: list[str]) -> pd.DataFrame:
    with engine.connect() as conn:
        df = pd.read_sql(sa.text(f"SELECT {', '.join(cols)} FROM {table}"), conn)
    for c in dates:
        df[c] = pd.to_datetime(df[c], errors="coerce").dt.normalize()
    return df


def _wd(start: pd.Series, end: pd.Series, hol: np.ndarray) -> np.ndarray:
    """WD(s, e): working days d with s < d <= e (start day = day 0)."""
    s = start.values.astype("datetime64[D]") + np.timedelta64(1, "D")
    e = end.values.astype("datetime64[D]") + np.timedelta64(1, "D")
    return np.busday_count(s, e, holidays=hol)


def _pct(num: float, den: float) -> float:
    return round(100.0 * float(num) / float(den), 1) if den else float("nan")


def measure_rates(url: str, as_at: dt.date) -> dict[str, float]:
    """Headline rates from the tables at ``url`` as at ``as_at`` (12-month windows, W12 inclusive).

    Keys: contacts_12m, referrals_12m, contact_to_referral_pct, re_referral_pct,
    referral_nfa_pct, assessments_12m, assessments_45wd_pct, assessment_nfa_pct, s47_12m,
    s47_to_icpc_pct (ICPCs held in the year / S47s started, DfE's ratio), icpc_15wd_pct,
    icpc_to_plan_pct, cp_plans_started_12m, cp_repeat_pct, cp_2yr_pct, cp_children_at_as_at,
    cin_at_as_at, cic_at_as_at (short-break-only periods excluded), lt_stability_pct,
    cic_3plus_placements_pct, cic_missing_pct (children looked after during the year),
    placements_inside_pct, care_leavers_16_25, avg_caseload (open CW involvements per worker
    holding any).
    """
    engine = sa.create_engine(url)
    try:
        return _measure(engine, as_at)
    finally:
        engine.dispose()


def _in(s: pd.Series, w: pd.Timestamp, a: pd.Timestamp) -> pd.Series:
    return (s >= w) & (s <= a)


def _measure(engine: sa.Engine, as_at: dt.date) -> dict[str, float]:
    A = pd.Timestamp(as_at)
    W = pd.Timestamp(add_months(as_at, -12))
    hol = np.array(sorted(bank_holidays()), dtype="datetime64[D]")
    out: dict[str, float] = {}
    with engine.connect() as conn:
        out["contacts_12m"] = float(
            conn.execute(
                sa.text(
                    "SELECT COUNT(*) FROM ssd_contacts WHERE cont_contact_date >= :w "
                    "AND cont_contact_date <= :a"
                ),
                {"w": W.date(), "a": as_at},
            ).scalar_one()
        )
    _referrals(engine, A, W, out)
    _assessments(engine, A, W, hol, out)
    _protection(engine, A, W, hol, out)
    _care(engine, A, W, out)
    _caseload(engine, A, out)
    return out


def _referrals(engine: sa.Engine, A: pd.Timestamp, W: pd.Timestamp, out: dict[str, float]) -> None:
    """Referrals, re-referrals within 12 months, NFA at referral, children in need at A."""
    ref = _read(
        engine,
        "ssd_cin_episodes",
        [
            "cine_referral_id",
            "cine_person_id",
            "cine_referral_date",
            "cine_referral_nfa",
            "cine_close_date",
        ],
        ["cine_referral_date", "cine_close_date"],
    )
    ref["nfa"] = _code("ssd_cin_episodes.cine_referral_nfa", ref["cine_referral_nfa"], True)
    ref = ref.sort_values(["cine_person_id", "cine_referral_date", "cine_referral_id"])
    prev_person = ref["cine_person_id"].shift(1)
    prev_date = ref["cine_referral_date"].shift(1)
    lookback = ref["cine_referral_date"] - pd.DateOffset(months=12)
    ref["rereferral"] = (prev_person == ref["cine_person_id"]) & (prev_date >= lookback)
    r12 = ref[_in(ref["cine_referral_date"], W, A)]
    out["referrals_12m"] = float(len(r12))
    out["contact_to_referral_pct"] = _pct(len(r12), out["contacts_12m"])
    out["re_referral_pct"] = _pct(r12["rereferral"].sum(), len(r12))
    out["referral_nfa_pct"] = _pct((r12["nfa"] == "Y").sum(), len(r12))
    open_ref = ref[
        (ref["cine_referral_date"] <= A)
        & (ref["cine_close_date"].isna() | (ref["cine_close_date"] > A))
    ]
    out["cin_at_as_at"] = float(open_ref["cine_person_id"].nunique())


def _assessments(
    engine: sa.Engine, A: pd.Timestamp, W: pd.Timestamp, hol: np.ndarray, out: dict[str, float]
) -> None:
    asm = _read(
        engine,
        "ssd_cin_assessments",
        ["cina_assessment_start_date", "cina_assessment_auth_date", "cina_assessment_outcome_nfa"],
        ["cina_assessment_start_date", "cina_assessment_auth_date"],
    )
    a12 = asm[_in(asm["cina_assessment_auth_date"], W, A)]
    out["assessments_12m"] = float(len(a12))
    wd = _wd(a12["cina_assessment_start_date"], a12["cina_assessment_auth_date"], hol)
    out["assessments_45wd_pct"] = _pct((wd <= 45).sum(), len(a12))
    nfa = _code(
        "ssd_cin_assessments.cina_assessment_outcome_nfa", a12["cina_assessment_outcome_nfa"], True
    )
    out["assessment_nfa_pct"] = _pct((nfa == "Y").sum(), len(a12))


def _protection(
    engine: sa.Engine, A: pd.Timestamp, W: pd.Timestamp, hol: np.ndarray, out: dict[str, float]
) -> None:
    """S47 to ICPC, ICPC timeliness and outcome; then the CP plan measures."""
    s47 = _read(
        engine,
        "ssd_s47_enquiry",
        ["s47e_s47_enquiry_id", "s47e_s47_start_date"],
        ["s47e_s47_start_date"],
    )
    icpc = _read(
        engine,
        "ssd_initial_cp_conference",
        [
            "icpc_s47_enquiry_id",
            "icpc_icpc_date",
            "icpc_icpc_transfer_in",
            "icpc_icpc_outcome_cp_flag",
        ],
        ["icpc_icpc_date"],
    )
    icpc["ti"] = _code(
        "ssd_initial_cp_conference.icpc_icpc_transfer_in", icpc["icpc_icpc_transfer_in"], True
    )
    icpc["plan"] = _code(
        "ssd_initial_cp_conference.icpc_icpc_outcome_cp_flag",
        icpc["icpc_icpc_outcome_cp_flag"],
        True,
    )
    i12 = icpc[
        _in(icpc["icpc_icpc_date"], W, A)
        & (icpc["ti"] != "Y")
        & icpc["icpc_s47_enquiry_id"].notna()
    ]
    s12 = s47[_in(s47["s47e_s47_start_date"], W, A)]
    out["s47_12m"] = float(len(s12))
    out["s47_to_icpc_pct"] = _pct(len(i12), len(s12))
    j = i12.merge(s47, left_on="icpc_s47_enquiry_id", right_on="s47e_s47_enquiry_id")
    wd = _wd(j["s47e_s47_start_date"], j["icpc_icpc_date"], hol)
    out["icpc_15wd_pct"] = _pct(((wd <= 15) & (wd >= 0)).sum(), len(i12))
    out["icpc_to_plan_pct"] = _pct((i12["plan"] == "Y").sum(), len(i12))
    _cp_plans(engine, A, W, out)


def _cp_plans(engine: sa.Engine, A: pd.Timestamp, W: pd.Timestamp, out: dict[str, float]) -> None:
    cp = _read(
        engine,
        "ssd_cp_plans",
        [
            "cppl_cp_plan_id",
            "cppl_person_id",
            "cppl_cp_plan_start_date",
            "cppl_cp_plan_end_date",
            "cppl_cp_plan_ola",
        ],
        ["cppl_cp_plan_start_date", "cppl_cp_plan_end_date"],
    )
    cp["ola"] = _code("ssd_cp_plans.cppl_cp_plan_ola", cp["cppl_cp_plan_ola"], True)
    cp = cp[cp["ola"] != "Y"].sort_values(
        ["cppl_person_id", "cppl_cp_plan_start_date", "cppl_cp_plan_id"]
    )
    started = cp[_in(cp["cppl_cp_plan_start_date"], W, A)]
    out["cp_plans_started_12m"] = float(len(started))
    first_start = cp.groupby("cppl_person_id")["cppl_cp_plan_start_date"].transform("min")
    repeat = cp["cppl_cp_plan_start_date"] > first_start
    out["cp_repeat_pct"] = _pct(repeat[started.index].sum(), len(started))
    ended = cp[_in(cp["cppl_cp_plan_end_date"], W, A)]
    second_anniversary = ended["cppl_cp_plan_start_date"] + pd.DateOffset(years=2)
    two = ended["cppl_cp_plan_end_date"] >= second_anniversary
    out["cp_2yr_pct"] = _pct(two.sum(), len(ended))
    open_cp = cp[
        (cp["cppl_cp_plan_start_date"] <= A)
        & (cp["cppl_cp_plan_end_date"].isna() | (cp["cppl_cp_plan_end_date"] > A))
    ]
    out["cp_children_at_as_at"] = float(open_cp["cppl_person_id"].nunique())


def _caseload(engine: sa.Engine, A: pd.Timestamp, out: dict[str, float]) -> None:
    """Open CW involvements per worker holding any at A."""
    invo = _read(
        engine,
        "ssd_involvements",
        [
            "invo_professional_id",
            "invo_professional_role_id",
            "invo_involvement_start_date",
            "invo_involvement_end_date",
        ],
        ["invo_involvement_start_date", "invo_involvement_end_date"],
    )
    invo["role"] = _code(
        "ssd_involvements.invo_professional_role_id", invo["invo_professional_role_id"]
    )
    cw = invo[
        (invo["role"] == "CW")
        & (invo["invo_involvement_start_date"] <= A)
        & (invo["invo_involvement_end_date"].isna() | (invo["invo_involvement_end_date"] > A))
    ]
    workers = cw["invo_professional_id"].nunique()
    out["avg_caseload"] = round(len(cw) / workers, 1) if workers else float("nan")


def _care(engine: sa.Engine, A: pd.Timestamp, W: pd.Timestamp, out: dict[str, float]) -> None:
    """Children in care measures (CIC01-CIC04, CIC08) and care leavers."""
    ep, lac, person = _periods(engine, A)
    at_a = lac[lac["open_"]]
    cic = at_a["person"].unique()
    out["cic_at_as_at"] = float(len(cic))
    _stability(ep, at_a, person, A, out)
    _three_placements(ep, cic, W, out)
    _missing(engine, lac, A, W, out)
    _inside(engine, cic, A, out)
    _care_leavers(engine, person, A, out)


def _periods(engine: sa.Engine, A: pd.Timestamp) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(episodes, periods of care that are not short breaks only, people)."""
    ep = _read(
        engine,
        "ssd_cla_episodes",
        [
            "clae_cla_episode_id",
            "clae_person_id",
            "clae_cla_id",
            "clae_cla_episode_start_date",
            "clae_cla_episode_start_reason",
            "clae_cla_episode_ceased_date",
            "clae_entered_care_date",
            "clae_cla_placement_id",
        ],
        ["clae_cla_episode_start_date", "clae_cla_episode_ceased_date", "clae_entered_care_date"],
    )
    ep["rne"] = _code(
        "ssd_cla_episodes.clae_cla_episode_start_reason", ep["clae_cla_episode_start_reason"]
    )
    leg = _read(
        engine,
        "ssd_legal_status",
        [
            "lega_person_id",
            "lega_legal_status",
            "lega_legal_status_start_date",
            "lega_legal_status_end_date",
        ],
        ["lega_legal_status_start_date", "lega_legal_status_end_date"],
    )
    leg["code"] = _code("ssd_legal_status.lega_legal_status", leg["lega_legal_status"])
    person = _read(engine, "ssd_person", ["pers_person_id", "pers_dob"], ["pers_dob"])

    # periods of care and whether they are short breaks only (every status V1/V3/V4)
    ep = ep[ep["clae_cla_episode_start_date"] <= A]
    per = ep.groupby("clae_cla_id").agg(
        person=("clae_person_id", "first"),
        start=("clae_entered_care_date", "min"),
        last_start=("clae_cla_episode_start_date", "max"),
        open_=("clae_cla_episode_ceased_date", lambda s: s.isna().any() or (s > A).any()),
        end=("clae_cla_episode_ceased_date", "max"),
    )
    per.loc[per["open_"], "end"] = pd.NaT
    lj = per.reset_index().merge(leg, left_on="person", right_on="lega_person_id")
    lj = lj[
        (lj["lega_legal_status_start_date"] >= lj["start"])
        & (
            lj["end"].isna()
            | (lj["lega_legal_status_start_date"] < lj["end"])
            | (lj["lega_legal_status_start_date"] == lj["start"])
        )
    ]
    lj = lj[lj["code"] != "NONLAC"]
    sb = lj.assign(sb=lj["code"].isin(["V1", "V3", "V4"])).groupby("clae_cla_id")["sb"].all()
    per["short_breaks"] = sb.reindex(per.index).fillna(False).astype(bool)
    lac = per[~per["short_breaks"]]
    return ep, lac, person


def _stability(
    ep: pd.DataFrame,
    at_a: pd.DataFrame,
    person: pd.DataFrame,
    A: pd.Timestamp,
    out: dict[str, float],
) -> None:
    # long-term stability: under 16, looked after >= 2.5 years, same carer >= 2 years
    dob = person.set_index("pers_person_id")["pers_dob"]
    cur = at_a.reset_index()
    cur["dob"] = cur["person"].map(dob)
    age16 = cur["dob"] + pd.DateOffset(years=16)
    den = cur[(age16 > A) & (cur["start"] <= A - pd.DateOffset(months=30))]
    eps = ep[ep["clae_cla_id"].isin(den["clae_cla_id"]) & ep["rne"].isin(["S", "P", "B"])]
    carer_since = eps.groupby("clae_cla_id")["clae_cla_episode_start_date"].max()
    since = den["clae_cla_id"].map(carer_since)
    out["lt_stability_pct"] = _pct((since <= A - pd.DateOffset(years=2)).sum(), len(den))


def _three_placements(
    ep: pd.DataFrame, cic: np.ndarray, W: pd.Timestamp, out: dict[str, float]
) -> None:
    # three or more placements in the 12 months (annex_a D21), children looked after at A
    pe = ep[ep["clae_person_id"].isin(cic)]
    open_at_w = pe[
        (pe["clae_cla_episode_start_date"] < W)
        & (pe["clae_cla_episode_ceased_date"].isna() | (pe["clae_cla_episode_ceased_date"] > W))
    ]
    moves = pe[(pe["clae_cla_episode_start_date"] >= W) & pe["rne"].isin(["S", "P", "B"])]
    n = (
        moves.groupby("clae_person_id")
        .size()
        .add(open_at_w.groupby("clae_person_id").size().clip(upper=1), fill_value=0)
    )
    out["cic_3plus_placements_pct"] = _pct((n >= 3).sum(), len(cic))


def _missing(
    engine: sa.Engine, lac: pd.DataFrame, A: pd.Timestamp, W: pd.Timestamp, out: dict[str, float]
) -> None:
    # missing: children looked after at any time in the 12 months
    during = lac[(lac["start"] <= A) & (lac["end"].isna() | (lac["end"] >= W))].reset_index()
    miss = _read(
        engine,
        "ssd_missing",
        ["miss_person_id", "miss_missing_episode_start_date", "miss_missing_episode_type"],
        ["miss_missing_episode_start_date"],
    )
    miss["type"] = _code("ssd_missing.miss_missing_episode_type", miss["miss_missing_episode_type"])
    miss = miss[(miss["type"] == "M") & _in(miss["miss_missing_episode_start_date"], W, A)]
    mj = during.merge(miss, left_on="person", right_on="miss_person_id")
    mj = mj[
        (mj["miss_missing_episode_start_date"] >= mj["start"])
        & (mj["end"].isna() | (mj["miss_missing_episode_start_date"] <= mj["end"]))
    ]
    out["cic_missing_pct"] = _pct(mj["person"].nunique(), during["person"].nunique())


def _inside(engine: sa.Engine, cic: np.ndarray, A: pd.Timestamp, out: dict[str, float]) -> None:
    # placement inside the LA (Synthshire postcodes are ZZ...), children looked after at A
    pl = _read(
        engine,
        "ssd_cla_placement",
        [
            "clap_cla_placement_id",
            "clap_person_id",
            "clap_cla_placement_start_date",
            "clap_cla_placement_postcode",
        ],
        ["clap_cla_placement_start_date"],
    )
    pl = pl[pl["clap_person_id"].isin(cic) & (pl["clap_cla_placement_start_date"] <= A)]
    latest = (
        pl.sort_values(["clap_person_id", "clap_cla_placement_start_date"])
        .groupby("clap_person_id")
        .tail(1)
    )
    inside = (
        latest["clap_cla_placement_postcode"]
        .fillna("")
        .str.strip()
        .str.upper()
        .str.startswith("ZZ")
    )
    out["placements_inside_pct"] = _pct(inside.sum(), len(latest))


def _care_leavers(
    engine: sa.Engine, person: pd.DataFrame, A: pd.Timestamp, out: dict[str, float]
) -> None:
    cl = _read(engine, "ssd_care_leavers", ["clea_person_id", "clea_care_leaver_eligibility"], [])
    cl["elig"] = _code(
        "ssd_care_leavers.clea_care_leaver_eligibility", cl["clea_care_leaver_eligibility"]
    )
    cl = cl[cl["elig"] != "NONE"].merge(person, left_on="clea_person_id", right_on="pers_person_id")
    b = cl["pers_dob"]
    before = (b.dt.month > A.month) | ((b.dt.month == A.month) & (b.dt.day > A.day))
    age = A.year - b.dt.year - before.astype(int)
    out["care_leavers_16_25"] = float(cl[(age >= 16) & (age <= 25)]["clea_person_id"].nunique())
