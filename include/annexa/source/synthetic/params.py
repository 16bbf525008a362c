"""The journey model's knobs: every probability, rate and duration, loaded from ``params.yaml``.

Why data and not code: calibrating the synthetic CMS against the England values of spec
indicators.md should be a change to one YAML file, reviewable on its own. The file is read into
typed, frozen dataclasses (one per journey stage) and checked strictly: an unknown or missing key,
a wrong type, or a probability outside [0, 1] is an error naming the key, so a typo cannot
silently fall back to a default.

Value kinds (by the annotation of the field):

* ``float`` / ``int``: a number (keys starting ``p_`` must lie in [0, 1]).
* ``Weighted``: ``[[item, weight], ...]``; an item is drawn with chance weight / total.
* ``Cumulative``: ``[[item, bound], ...]`` with ascending bounds ending at 1.0; the first item
  whose bound exceeds the uniform draw is taken (the model's ``u < a ... u < b`` chains).
* ``Cascade``: ``[[item, chance], ..., [last, 1.0]]``; each item takes its own draw in turn.
* ``Span``: ``[lo, n]``: lo plus a uniform whole number of days in [0, n).
"""

from __future__ import annotations

import dataclasses
import random
import types
import typing
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml

from annexa.source.synthetic.codes import Weighted

T = TypeVar("T")

PARAMS_PATH = Path(__file__).with_name("params.yaml")


class ParamsError(ValueError):
    """params.yaml does not match the Params schema (the message names the key)."""


class Cumulative(Weighted[T]):
    """A choice table given by cumulative upper bounds (exact floats, no renormalising)."""


@dataclasses.dataclass(frozen=True)
class Cascade(Generic[T]):
    """Successive draws: the first item whose own draw falls below its chance; the last item
    (chance 1.0) takes no draw. The model's ``a if r() < p else b if r() < q else c``."""

    steps: tuple[tuple[T, float], ...]

    def pick(self, rng: random.Random) -> T:
        steps = self.steps
        for item, p in steps[:-1]:
            if rng.random() < p:
                return item
        return steps[-1][0]


@dataclasses.dataclass(frozen=True)
class Span:
    """``lo`` plus a uniform whole number in [0, n): the model's ``lo + int(rng.random() * n)``."""

    lo: int
    n: int

    def draw(self, rng: random.Random) -> int:
        return self.lo + int(rng.random() * self.n)


@dataclasses.dataclass(frozen=True)
class Delay:
    """0 with chance ``p_none``, else a :class:`Span`: ``0 if r() < p else lo + int(r() * n)``."""

    p_none: float
    otherwise: Span

    def draw(self, rng: random.Random) -> int:
        return 0 if rng.random() < self.p_none else self.otherwise.draw(rng)


# --- one dataclass per journey stage -------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Arrivals:
    """Referrals per referred child over its childhood, contacts per contact-only child, mix."""

    referrals_per_child: float
    contacts_per_referral: float
    contacts_per_contact_child: float
    share_prebirth: float
    share_disabled: float


@dataclasses.dataclass(frozen=True)
class People:
    """Who arrives: ages, sex, disability, immigration status."""

    age_at_arrival: Weighted[int]
    prebirth_birth_after_days: Span
    expected_birth_offset_days: Span
    uasc_min_age: int
    uasc_age_extra_max: int
    uasc_age_rate: float
    disabled_age: Span
    gender: Cumulative[str]
    uasc_gender: Cascade[str]
    p_second_disability: float
    disability_contact_only: Cumulative[str]
    disability_referred: Cumulative[str]
    p_other_immigration: float


@dataclasses.dataclass(frozen=True)
class FrontDoor:
    """Contacts and early help."""

    p_contact_early_help: float
    p_referral_has_contact: float
    p_earlier_contact: float
    p_contact_during_episode: float
    p_another_contact: float
    max_contacts: int
    early_help_after_contact_days: Span
    contact_gap_min_days: int
    contact_gap_mean_days: float
    early_help_days: Span
    contact_before_referral_days: Delay
    earlier_contact_days: Span
    contact_during_episode_days: Span
    prebirth_contact_max_days_before_birth: int


@dataclasses.dataclass(frozen=True)
class Referrals:
    """The referral, what happens at it, and re-referral after the episode closes."""

    p_referral_nfa: float
    p_transfer_in: float
    p_s47_at_referral: float
    p_emergency_care: float
    p_rc9: float
    p_cin_plan: float
    p_rereferral: float
    p_rereferral_after_cp: float
    rereferral_gap_median_days: float
    rereferral_gap_sigma: float
    p_rereferral_after_permanence: float
    source_uasc: Cascade[str]
    source_prebirth: Cascade[str]
    source_disabled: Cascade[str]
    nfa_close_days: Delay
    nfa_need: Cascade[str]
    assessment_start_wd: Delay
    emergency_under1_factor: float
    s47_prebirth_factor: float
    s47_repeat_factor: float
    s47_repeat_cap: float
    p_s47_emergency: float
    s47_start_wd: Delay
    assessed_nfa_close_days: Span
    early_help_after_rc9_days: Span
    p_need_n9_after_assessment: float
    care_start_days: Delay
    care_after_birth_days: Span
    cin_plan_start_days: Span
    close_without_plan_days: Span
    vol_after_cp_min_age: int
    p_vol_after_cp: float
    vol_after_cin_min_age: int
    p_cin_after_care: float
    close_after_care_days: Span
    close_after_assessment_days: Span


@dataclasses.dataclass(frozen=True)
class Assessments:
    """Child and family assessments."""

    p_assess_nfa: float
    p_assess_nfa_after_s47: float
    p_assess_within_45: float
    p_near_deadline: float
    near_deadline_wd: Span
    in_time_max_wd: int
    in_time_shape: float
    late_min_wd: int
    late_mean_extra_wd: float
    child_seen: Cumulative[str | None]


@dataclasses.dataclass(frozen=True)
class Protection:
    """S47 enquiries, ICPCs and CP plans."""

    p_icpc: float
    p_icpc_escalation: float
    p_plan_from_icpc: float
    p_icpc_within_15: float
    icpc_prebirth_factor: float
    icpc_repeat_factor: float
    icpc_repeat_cap: float
    transfer_in_icpc_wd: Span
    cp_end_review: Weighted[int]
    cp_outcome: Weighted[str]
    icpc_min_wd: int
    icpc_early_mean_wd: float
    icpc_late_mean_wd: float
    s47_with_icpc_wd: Span
    s47_wd: Span
    p_s47_nfa: float
    no_plan_days_before_18: int
    plan_without_review_days: Span
    p_same_category: float
    p_other_la: float
    p_review_on_time: float
    review_early_days: Span
    review_late_days: Span
    p_care_under1: float
    p_removal_at_birth: float
    removal_after_birth_days: Span
    p_proceedings_mid_plan: float
    proceedings_min_plan_days: int
    proceedings_min_days: int
    first_visit_wd: Span
    visits_resume_before_window_days: int
    visits_resume_days: Span
    seen_alone_from_months: int
    p_visit_seen: float
    p_seen_alone: float
    p_seen_alone_unrecorded: float
    visit_gap_wd: Span


@dataclasses.dataclass(frozen=True)
class Cin:
    """Child in need plans."""

    cin_plan_median_days: float
    cin_plan_sigma: float
    p_cin_escalate_s47: float
    p_cin_to_care: float
    p_short_breaks: float
    disabled_plan_days: Span
    p_early_help_after: float
    early_help_after_days: Span
    escalate_repeat_factor: float
    escalate_min_days: int
    s47_after_min_days: int
    p_assessment_with_s47: float
    assessment_start_wd: Span
    care_min_days: int
    care_after_min_days: int
    p_transfer_out: float
    p_order_ends_plan: float
    p_order_is_sgo: float
    p_adult_services_at_18: float
    first_visit_days: Span
    visits_resume_before_window_days: int
    visits_resume_days: Span
    seen_alone_from_months: int
    p_visit_seen: float
    p_seen_alone: float
    visit_gap_days: Span
    short_breaks_start_days: Span


@dataclasses.dataclass(frozen=True)
class Care:
    """Periods of care: legal routes, permanence outcomes, exits."""

    p_adoption_reversed: float
    p_ffa: float
    p_own_adopters: float
    before_birth_start_days: Span
    emergency_legal: Cumulative[str]
    police_protection_days: Span
    epo_days: Span
    emergency_next: Cumulative[str]
    emergency_home_exit: Cascade[str]
    p_emergency_move: float
    remand_days: Span
    remand_exit: Cascade[str]
    supported_living_from_age: int
    uasc_exit: Cumulative[str]
    uasc_e3_days: Span
    uasc_e15_days: Span
    uasc_e8_days: Span
    voluntary_young_below_age: int
    voluntary_young: Cumulative[str]
    voluntary_young_home_days: Span
    voluntary_young_home_exit: Cascade[str]
    voluntary_young_home_plan: Cascade[str]
    proceedings_after_s20_days: Span
    voluntary_older: Cumulative[str]
    voluntary_older_home_days: Span
    voluntary_older_home_exit: Cascade[str]
    voluntary_older_home_plan: Cascade[str]
    voluntary_older_stay_plan: Cascade[str]
    final_hearing_days: Span
    outcome_under1: Cumulative[str]
    outcome_1_to_4: Cumulative[str]
    outcome_5_to_11: Cumulative[str]
    outcome_12_plus: Cumulative[str]
    p_kinship_long_term: float
    kinship_placement_days: Span
    kinship_plan_days: Span
    sgo_exit: Cascade[str]
    p_placed_with_parents: float
    placed_with_parents_days: Span
    home_plan_after_days: int
    long_term_match_days: Span
    long_term_later: Cumulative[str]
    sgo_later_days: Span
    home_later_days: Span
    adoption_decision_days: Span
    adoption_decision_before_order_days: int
    p_parallel_plan: float
    ffa_after_decision_days: Span
    ffa_before_hearing_days: int
    ffa_decision_before_days: Span
    p_no_placement_order: float
    adoption_reversed_reference: float
    after_reversal: Cascade[str]
    reversed_after_order_share: float
    reversal_days: Span
    reversal_reason: Weighted[str]
    ffa_match_days: Span
    match_median_days: float
    match_sigma: float
    placed_after_match_days: Span
    p_ffa_placed_at_order: float
    adoption_order_days: Span
    p_adopted_by_carer: float
    adoption_exit: Cascade[str]
    ceased_at_18: Weighted[str]
    semi_independent_min_days_left: int
    p_semi_independent: float
    semi_independent_move_days: Span
    p_death: float
    death_under_age: int
    cic_team_after_days_uasc: Span
    cic_team_after_days: Span
    p_adult_services_at_18: float


@dataclasses.dataclass(frozen=True)
class Placements:
    """Placement stability and durations."""

    p_stable_under10: float
    p_stable_10_13: float
    p_stable_14plus: float
    stable_median_days: float
    unstable_median_days: float
    p_emergency_first_placement: float
    care_plans_kept_before_window_days: int
    kinship_first_days: int
    p_inside_kinship: float
    p_inside_ffa: float
    p_inside_adopters: float
    p_inside_parents: float
    emergency_stay_days: Span
    long_term_median_days: float
    long_term_sigma: float
    semi_independent_median_days: float
    semi_independent_sigma: float
    short_setting_days: Span
    home_median_cap_days: float
    teenage_from_age: int
    teenage_factor: float
    stay_sigma: float
    adopters_provider: Cumulative[str]
    adoptive_type: Cascade[str]
    p_semi_independent_move: float
    p_short_breaks_in_home: float
    p_inside_short_breaks: float
    p_short_breaks_agreement: float
    agreement_days: Span
    agreement_gap_days: Span
    short_breaks_resume_before_window_days: int
    short_breaks_resume_days: Span
    short_break_min_lead_days: int
    short_break_days: Span
    short_break_gap_days: Span


@dataclasses.dataclass(frozen=True)
class CareRecords:
    """Reviews, visits, health checks and missing episodes of children in care."""

    p_misser_11plus: float
    p_misser_under11: float
    missing_per_year: float
    away_per_year: float
    p_iro_contact_after_review: float
    iro_contact_after_review_days: Span
    review_due_grace_days: int
    review_horizon_days: int
    review_future_days: int
    p_review_on_time: float
    review_early_days: Span
    review_late_days: Span
    p_review_cancelled: float
    review_rearranged_days: Span
    seen_alone_from_months: int
    first_visit_days: Span
    visits_resume_before_window_days: int
    visits_resume_days: Span
    visit_seen: Cumulative[str | None]
    p_seen_alone: float
    settled_after_days: int
    settled_visit_gap_days: Span
    visit_gap_days: Span
    visit_after_move_days: Span
    first_health_days: Span
    p_health_refused_under12: float
    p_health_refused: float
    health_rebooked_days: Span
    health_every_days_under5: int
    health_every_days: int
    health_timing_days: Span
    dental_from_days_old: int
    first_dental_days: Span
    dental_every_days: Span
    dental_rebooked_days: int
    p_other_check: float
    other_check_before_days: Span
    planned_within_days: int
    p_planned: float
    p_health_cancelled: float
    missing_from_months: int
    misser_older_from_age: int
    residential_factor: float
    missing_days: Delay
    missing_offered_interview: Cumulative[str]
    p_interview_accepted: float
    p_interview_na: float
    p_away_interview_na: float


@dataclasses.dataclass(frozen=True)
class LeavingCare:
    """Care leavers: support, keeping in touch, accommodation, pathway plan reviews."""

    p_support_to_25: float
    p_not_required: float
    p_in_touch_in_care: float
    p_in_touch_under18: float
    p_in_touch_18_21: float
    p_in_touch_22_plus: float
    out_of_touch: Cumulative[str]
    latest_contact_in_touch_days: Span
    latest_contact_ended_days: Span
    latest_contact_out_of_touch_days: Span
    p_unsuitable_usually: float
    p_unsuitable: float
    p_review_ended: float
    review_ended_days: Span
    review: Cumulative[str]
    review_recent_days: Span
    review_older_days: Span
    p_adviser_unrecorded: float
    p_earlier_record: float
    earlier_record_min_days: int
    earlier_record_days: Span


@dataclasses.dataclass(frozen=True)
class Adoption:
    """Adopter households: assessment stages, outcomes, households."""

    approved_before_match_days: Span
    stage2_days: Span
    between_stages_days: Span
    stage1_days: Span
    enquiry_before_days: Span
    p_couple: float
    p_older_process: float
    independent_before_window_years: int
    p_ffa_approved: float
    independent_outcome: Cumulative[str]
    left_stage1_days: Span
    left_stage1_reason: Cascade[str]
    left_stage2_days: Span
    left_stage2_reason: Cascade[str]
    matched_after_approval_days: Span
    placed_after_match_days: Span
    children_placed: Cumulative[int]
    order_after_placement_days: Span
    left_approved_days: Span
    left_approved_reason: Cascade[str]
    couple_sexes: Cascade[str]
    single_sex: Cascade[str]
    p_adopter_disabled: float


@dataclasses.dataclass(frozen=True)
class Providers:
    """Placement settings, where carers live, and the placement mix by age."""

    homes_min: int
    homes_per_scale: int
    p_home_inside: float
    p_home_run_by_la: float
    secure_units: int
    mother_and_baby_units: int
    p_mbu_inside: float
    schools: int
    semi_min: int
    semi_per_scale: int
    p_semi_inside: float
    inside_miles_min: float
    inside_miles_range: float
    outside_nation: Cumulative[str]
    outside_miles_default: float
    miles_jitter_min: float
    miles_jitter_range: float
    mix_under_12: Cumulative[str]
    mix_12_to_15: Cumulative[str]
    mix_16_plus: Cumulative[str]
    p_inside_family_friends: float
    p_inside_other_setting: float
    p_inside_young_offender: float
    p_inside_independent_living: float
    p_foster_in_house: float
    p_inside_in_house_foster: float
    agency_foster_provider: Cascade[str]
    p_inside_agency_foster: float


@dataclasses.dataclass(frozen=True)
class Workforce:
    """Posts per team kind, tenure, contracts, case re-allocation."""

    cases_per_1000_referrals: dict[str, float]
    caseload: float
    first_post_spread_days: int
    tenure_min_days: int
    mean_tenure_days: float
    fte: Cumulative[float]
    p_lc_registered: float
    p_agency: float
    reallocation_min_days: int
    reallocation_mean_days: float


@dataclasses.dataclass(frozen=True)
class Messy:
    """Messy mode: how often each Liquidlogic-style rendering replaces a national code."""

    flag_style: Cumulative[str]
    p_gender_desc: float
    p_not_obtained_e5: float
    source: Cumulative[str]
    p_person_legacy_ethnicity: float
    p_adopter_legacy_ethnicity: float
    p_disability_desc: float
    p_need_desc: float
    p_closure_desc: float
    p_category_desc: float
    p_episode_desc: float
    p_legal_desc_alt: float
    p_placement_legacy: float
    placement_desc_below: float
    postcode: Cumulative[str]
    p_in_touch_desc: float
    p_accommodation_with_suitability: float
    accommodation_desc_below: float
    p_suitability_desc: float
    p_activity_desc: float
    p_leaving_desc: float


@dataclasses.dataclass(frozen=True)
class Codes:
    """Shares of the national codes drawn for people, referrals, plans, placements, leavers."""

    ethnicity: Weighted[str]
    uasc_ethnicity: Weighted[str]
    adopter_ethnicity: Weighted[str]
    disability: Weighted[str]
    referral_source: Weighted[str]
    contact_source: Weighted[str]
    need: Weighted[str]
    abuse_category: Weighted[str]
    placement_change_reason: Weighted[str]
    accommodation_16_17: Weighted[str]
    accommodation_16_17_left_care: Weighted[str]
    accommodation_18_plus: Weighted[str]
    activity_16_17: Weighted[str]
    activity_18_plus: Weighted[str]


@dataclasses.dataclass(frozen=True)
class Params:
    """Probabilities and durations of the journey model (calibrated to spec indicators.md).

    ``care_scale`` is not in the file: larger authorities look after fewer children per
    referral, so each scale sets it (``Scale.care_scale``) on the loaded parameters.
    """

    arrivals: Arrivals
    workforce: Workforce
    people: People
    front_door: FrontDoor
    referrals: Referrals
    assessments: Assessments
    protection: Protection
    cin: Cin
    care: Care
    placements: Placements
    providers: Providers
    care_records: CareRecords
    leaving_care: LeavingCare
    adoption: Adoption
    codes: Codes
    messy: Messy
    care_scale: float = 1.0


# --- loading and validation -----------------------------------------------------------------

_FROM_SCALE = frozenset({"care_scale"})


def _number(v: Any, key: str, kind: type) -> Any:
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise ParamsError(f"params: {key} must be a number, got {type(v).__name__}")
    if kind is int:
        if not isinstance(v, int):
            raise ParamsError(f"params: {key} must be a whole number, got {v!r}")
        return v
    v = float(v)
    if key.rsplit(".", 1)[-1].startswith("p_") and not 0.0 <= v <= 1.0:
        raise ParamsError(f"params: {key} is a probability and must lie in [0, 1], got {v!r}")
    return v


def _item_ok(item: Any, tp: Any) -> bool:
    kinds = typing.get_args(tp) if isinstance(tp, types.UnionType) else (tp,)
    for k in kinds:
        if k is type(None) and item is None:
            return True
        if k in (int, str) and isinstance(item, k) and not isinstance(item, bool):
            return True
        if k is float and isinstance(item, int | float) and not isinstance(item, bool):
            return True
    return False


def _pairs(v: Any, key: str, item_type: Any) -> list[tuple[Any, float]]:
    if not isinstance(v, list) or not v:
        raise ParamsError(f"params: {key} must be a non-empty list of [item, number] pairs")
    out = []
    for i, pair in enumerate(v):
        if not isinstance(pair, list) or len(pair) != 2:
            raise ParamsError(f"params: {key}[{i}] must be an [item, number] pair")
        if not _item_ok(pair[0], item_type):
            raise ParamsError(
                f"params: {key}[{i}] item must be {item_type!r} (quote codes in YAML), "
                f"got {pair[0]!r}"
            )
        out.append((pair[0], _number(pair[1], f"{key}[{i}]", float)))
    return out


def _cumulative(v: Any, key: str, item_type: Any) -> Cumulative[Any]:
    pairs = _pairs(v, key, item_type)
    bounds = [b for _, b in pairs]
    if any(b1 < b0 for b0, b1 in zip(bounds, bounds[1:], strict=False)) or bounds[-1] != 1.0:
        raise ParamsError(f"params: {key} bounds must ascend and end at 1.0")
    return Cumulative(tuple(i for i, _ in pairs), tuple(bounds))


def _value(tp: Any, v: Any, key: str) -> Any:
    origin = typing.get_origin(tp) or tp
    args = typing.get_args(tp)
    if origin is Cumulative:
        return _cumulative(v, key, args[0])
    if origin is Cascade:
        pairs = _pairs(v, key, args[0])
        if pairs[-1][1] != 1.0:
            raise ParamsError(f"params: {key} must end with an item of chance 1.0")
        return Cascade(tuple(pairs))
    if origin is Span:
        if not isinstance(v, list) or len(v) != 2:
            raise ParamsError(f"params: {key} must be [lo, n] (whole days)")
        return Span(_number(v[0], f"{key}[0]", int), _number(v[1], f"{key}[1]", int))
    if origin is Weighted:
        pairs = _pairs(v, key, args[0])
        if sum(w for _, w in pairs) <= 0:
            raise ParamsError(f"params: {key} weights must add up to more than 0")
        return Weighted.of(pairs)
    if isinstance(origin, type) and dataclasses.is_dataclass(origin):
        return _section(origin, v, key)
    if origin in (float, int):
        return _number(v, key, origin)
    if origin is str:
        if not isinstance(v, str):
            raise ParamsError(f"params: {key} must be text")
        return v
    if origin is dict:
        if not isinstance(v, dict) or not v:
            raise ParamsError(f"params: {key} must be a non-empty mapping")
        _, vt = typing.get_args(tp)
        return {str(k): _value(vt, x, f"{key}.{k}") for k, x in v.items()}
    if origin is tuple:
        if not isinstance(v, list):
            raise ParamsError(f"params: {key} must be a list")
        (item,) = {a for a in typing.get_args(tp) if a is not Ellipsis}
        return tuple(_value(item, x, f"{key}[{i}]") for i, x in enumerate(v))
    if isinstance(tp, types.UnionType):  # pragma: no cover - not used by the schema yet
        raise ParamsError(f"params: {key}: union types are not supported")
    raise ParamsError(f"params: {key}: unsupported type {tp!r}")  # pragma: no cover


def _section(cls: type[T], doc: Any, prefix: str) -> T:
    if not isinstance(doc, dict):
        raise ParamsError(f"params: {prefix or 'the file'} must be a mapping of keys to values")
    hints = typing.get_type_hints(cls)
    fields = [f for f in dataclasses.fields(cls) if f.name not in _FROM_SCALE]  # type: ignore[arg-type]
    names = {f.name for f in fields}
    dot = f"{prefix}." if prefix else ""
    unknown = sorted(str(k) for k in doc if k not in names)
    if unknown:
        raise ParamsError(
            f"params: unknown key {dot}{unknown[0]} (known: {', '.join(sorted(names))})"
        )
    missing = [f.name for f in fields if f.name not in doc]
    if missing:
        raise ParamsError(f"params: missing key {dot}{missing[0]}")
    kwargs = {f.name: _value(hints[f.name], doc[f.name], f"{dot}{f.name}") for f in fields}
    return cls(**kwargs)


def params_from_dict(doc: Any) -> Params:
    """Params from a parsed document (the structure of params.yaml); strict about every key."""
    return _section(Params, doc, "")


def load_params(path: Path | None = None) -> Params:
    """Params from ``path`` (default: the shipped params.yaml)."""
    if path is None:
        return _default()
    return params_from_dict(yaml.safe_load(Path(path).read_text(encoding="utf-8")))


@cache
def _default() -> Params:
    return params_from_dict(yaml.safe_load(PARAMS_PATH.read_text(encoding="utf-8")))
