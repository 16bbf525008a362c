"""Messy mode: render the model's national codes the way a Liquidlogic SSD build holds them.

Why: real SSD builds store CMS descriptions where codes belong, codes with suffix text, flags as
YES/TRUE/1, placeholders (``SSD_PH``, 1900-01-01) and worker ids from other id spaces (spec
source_contract.md §7). The product must cope through its per-LA mapping, so the synthetic CMS
offers the same mess on demand. Rendering happens after the simulation, with its own random
stream, so messy and clean runs of one seed hold the same children, dates and relationships.

Every rendering here is recoverable through :func:`messy_mapping`, which is shipped as
``reference/mappings/synthetic_messy.yaml`` (tests check the file equals it and that mapping each
messy value gives the clean one).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from typing import Any

from annexa.source.contract import TABLES_BY_NAME
from annexa.source.synthetic import codes as K
from annexa.source.synthetic.params import Messy
from annexa.source.synthetic.workforce import Workforce

PLACEHOLDER_DATE = dt.date(1900, 1, 1).toordinal()
PLACEHOLDER_TEXT = "SSD_PH"

FLAG_FIELDS = (
    "ssd_cin_episodes.cine_referral_nfa",
    "ssd_cin_assessments.cina_assessment_child_seen",
    "ssd_cin_assessments.cina_assessment_outcome_nfa",
    "ssd_cin_visits.cinv_cin_visit_seen",
    "ssd_cin_visits.cinv_cin_visit_seen_alone",
    "ssd_s47_enquiry.s47e_s47_nfa",
    "ssd_initial_cp_conference.icpc_icpc_transfer_in",
    "ssd_initial_cp_conference.icpc_icpc_outcome_cp_flag",
    "ssd_cp_plans.cppl_cp_plan_ola",
    "ssd_cp_visits.cppv_cp_visit_seen",
    "ssd_cp_visits.cppv_cp_visit_seen_alone",
    "ssd_cla_reviews.clar_cla_review_cancelled",
    "ssd_cla_visits.clav_cla_visit_seen",
    "ssd_cla_visits.clav_cla_visit_seen_alone",
    "ssd_missing.miss_missing_rhi_offered",
    "ssd_missing.miss_missing_rhi_accepted",
    "ssd_permanence.perm_adopted_by_carer_flag",
    "ssd_adopters.adop_disability",
    "ssd_adopters.adop_ffa_or_concurrent",
)
WORKER_KINDS = {
    "ssd_cin_episodes.cine_referral_worker_id": "name",
    "ssd_cin_assessments.cina_assessment_worker_id": "professional_id",
    "ssd_cin_plans.cinp_cin_plan_worker_id": "professional_id",
    "ssd_s47_enquiry.s47e_s47_completed_by_worker_id": "staff_id",
    "ssd_involvements.invo_professional_id": "professional_id",
    "ssd_care_leavers.clea_care_leaver_worker_id": "professional_id",
    "ssd_care_leavers.clea_care_leaver_personal_advisor": "professional_id",
}


def _inverse(d: dict[str, str]) -> dict[str, str]:
    return {v: k for k, v in d.items()}


def messy_mapping() -> dict[str, Any]:
    """The stage-1 mapping that undoes every rendering of :class:`MessyRenderer`."""
    flags = {"YES": "Y", "NO": "N", "TRUE": "Y", "FALSE": "N", "1": "Y", "0": "N"}
    gender = _inverse(K.GENDER_DESC)
    ethnicity = {**_inverse(K.LEGACY_ETHNICITY), "E5": "NOBT"}
    source_desc = _inverse(K.SOURCE_DESC)
    legal = {
        **_inverse(K.LEGAL_DESC),
        **_inverse(K.LEGAL_DESC_ALT),
        **{d: "NONLAC" for d in K.NONLAC_DESC.values()},
    }
    health = {d: code for code, ds in K.HEALTH_TYPE_DESC.items() for d in ds}
    missing = {d: code for code, ds in K.MISSING_TYPE_DESC.items() for d in ds}
    accom = {
        **_inverse(K.ACCOM_DESC),
        **{f"{a}{s}": a for a in K.ACCOM_DESC for s in K.SUITABILITY_DESC},
    }
    immigration = {K.UASC_DESC: "UASC", **{d: "OTHER" for d in K.IMMIGRATION_OTHER}}
    fields: dict[str, dict[str, Any]] = {
        "ssd_person.pers_gender": {"values": gender},
        "ssd_person.pers_sex": {"values": gender},
        "ssd_person.pers_ethnicity": {"values": ethnicity},
        "ssd_disability.disa_disability_code": {"values": _inverse(K.DISABILITY_DESC)},
        "ssd_immigration_status.immi_immigration_status": {"values": immigration},
        "ssd_contacts.cont_contact_source_code": {"prefix_rule": True},
        "ssd_contacts.cont_contact_source_desc": {"values": source_desc},
        "ssd_cin_episodes.cine_referral_source_code": {"prefix_rule": True},
        "ssd_cin_episodes.cine_referral_source_desc": {"values": source_desc},
        "ssd_cin_episodes.cine_cin_primary_need_code": {"values": _inverse(K.NEED_DESC)},
        "ssd_cin_episodes.cine_close_reason": {"values": _inverse(K.CLOSURE_DESC)},
        "ssd_cp_plans.cppl_cp_plan_initial_category": {"values": _inverse(K.ABUSE_DESC)},
        "ssd_cp_plans.cppl_cp_plan_latest_category": {"values": _inverse(K.ABUSE_DESC)},
        "ssd_cla_episodes.clae_cla_episode_start_reason": {"values": _inverse(K.RNE_DESC)},
        "ssd_cla_episodes.clae_cla_episode_ceased_reason": {"values": _inverse(K.CEASED_DESC)},
        "ssd_legal_status.lega_legal_status": {"values": legal},
        "ssd_cla_placement.clap_cla_placement_type": {
            "prefix_rule": True,
            "values": dict(K.PLACEMENT_LEGACY),
        },
        "ssd_cla_health.clah_health_check_type": {"values": health},
        "ssd_cla_health.clah_health_check_status": {"values": _inverse(K.HEALTH_STATUS_DESC)},
        "ssd_missing.miss_missing_episode_type": {"values": missing},
        "ssd_care_leavers.clea_care_leaver_eligibility": {"values": _inverse(K.ELIGIBILITY_DESC)},
        "ssd_care_leavers.clea_care_leaver_in_touch": {"values": _inverse(K.IN_TOUCH_DESC)},
        "ssd_care_leavers.clea_care_leaver_accommodation": {"values": accom},
        "ssd_care_leavers.clea_care_leaver_accom_suitable": {
            "values": _inverse(K.SUITABILITY_DESC)
        },
        "ssd_care_leavers.clea_care_leaver_activity": {"values": _inverse(K.ACTIVITY_DESC)},
        "ssd_permanence.perm_permanence_order_type": {"values": _inverse(K.ORDER_TYPE_DESC)},
        "ssd_involvements.invo_professional_role_id": {"values": {"16PLUS": "PA"}},
        "ssd_adopters.adop_sex": {"values": gender},
        "ssd_adopters.adop_ethnicity": {"values": ethnicity},
        "ssd_adopters.adop_left_process_reason": {"values": _inverse(K.ADOPTER_LEAVING_DESC)},
    }
    for f in FLAG_FIELDS:
        fields[f] = {"values": dict(flags)}
    # fresh dicts per field: a shared object would be dumped as a YAML anchor and alias
    ordered = {
        name: {k: (dict(v) if isinstance(v, dict) else v) for k, v in fields[name].items()}
        for name in sorted(fields, key=_field_order)
    }
    return {
        "cms": "liquidlogic",
        "fields": ordered,
        "workers": dict(WORKER_KINDS),
        "placeholders": {"text": [PLACEHOLDER_TEXT], "date_before": dt.date(1901, 1, 1)},
    }


_TABLE_ORDER = {name: i for i, name in enumerate(TABLES_BY_NAME)}


def _field_order(name: str) -> tuple[int, int]:
    table, column = name.split(".")
    return _TABLE_ORDER[table], TABLES_BY_NAME[table].column_names.index(column)


class MessyRenderer:
    """Turns clean rows (national codes) into Liquidlogic-style values, table by table."""

    def __init__(self, seed: int, wf: Workforce, q: Messy) -> None:
        self.q = q
        self.flag_styles = tuple(
            (tuple(style.split("/")), cut)
            for style, cut in zip(q.flag_style.items, q.flag_style.cum, strict=True)
        )
        self.rng = random.Random(f"annexa:{seed}:messy")
        self.name = {w.prof_id: w.name for w in wf.workers}
        self.staff = {w.prof_id: w.staff_id for w in wf.workers}
        idx = {
            t: {c: i for i, c in enumerate(TABLES_BY_NAME[t].column_names)} for t in TABLES_BY_NAME
        }
        self.flag_idx: dict[str, tuple[int, ...]] = {}
        for f in FLAG_FIELDS:
            t, c = f.split(".")
            self.flag_idx[t] = (*self.flag_idx.get(t, ()), idx[t][c])
        self.fns: dict[str, Callable[[list[Any]], None]] = {
            "ssd_person": self._person,
            "ssd_disability": self._disability,
            "ssd_immigration_status": self._immigration,
            "ssd_contacts": self._contact,
            "ssd_early_help_episodes": self._early_help,
            "ssd_cin_episodes": self._referral,
            "ssd_s47_enquiry": self._s47,
            "ssd_cp_plans": self._cp_plan,
            "ssd_cla_episodes": self._cla_episode,
            "ssd_legal_status": self._legal,
            "ssd_cla_placement": self._placement,
            "ssd_cla_health": self._health,
            "ssd_missing": self._missing,
            "ssd_care_leavers": self._care_leaver,
            "ssd_permanence": self._permanence,
            "ssd_adopters": self._adopter,
        }

    def render(self, table: str, rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
        fn = self.fns.get(table)
        flags = self.flag_idx.get(table, ())
        if fn is None and not flags:
            return [list(r) for r in rows]
        out = []
        for r in rows:
            row = list(r)
            for i in flags:
                row[i] = self.flag(row[i])
            if fn is not None:
                fn(row)
            out.append(row)
        return out

    # --- value renderings -------------------------------------------------------------------

    def flag(self, v: Any) -> Any:
        if v not in ("Y", "N"):
            return v  # null, or NA in the three-valued flags
        u = self.rng.random()
        for style, cut in self.flag_styles:
            if u < cut:
                return style[0] if v == "Y" else style[1]
        return v

    def maybe(self, p: float, value: Any, rendered: Any) -> Any:
        return rendered if value is not None and self.rng.random() < p else value

    def gender(self, v: Any) -> Any:
        return self.maybe(self.q.p_gender_desc, v, K.GENDER_DESC.get(v, v))

    def ethnicity(self, v: Any, p: float) -> Any:
        """A legacy (A1-E5) code for a share of people: one row per person, so one draw each."""
        if v is None or self.rng.random() >= p:
            return v
        if v == "NOBT" and self.rng.random() < self.q.p_not_obtained_e5:
            return "E5"
        return K.LEGACY_ETHNICITY[v]

    def source(self, v: Any) -> Any:
        u = self.rng.random()
        what = self.q.source.pick(u)
        if v is None or what == "code":
            return v
        if what == "suffixed":
            return f"{v} {K.SOURCE_SUFFIX[v]}"
        return None  # description only (the _desc column carries it)

    # --- tables (rows are lists in contract column order) -----------------------------------

    def _person(self, r: list[Any]) -> None:
        g = self.gender(r[3])
        r[2] = r[3] = g  # LCS copies the gender into both sex and gender
        r[4] = self.ethnicity(r[4], self.q.p_person_legacy_ethnicity)

    def _disability(self, r: list[Any]) -> None:
        r[2] = self.maybe(self.q.p_disability_desc, r[2], K.DISABILITY_DESC.get(r[2], r[2]))

    def _immigration(self, r: list[Any]) -> None:
        if r[2] == "UASC":
            r[2] = K.UASC_DESC
        elif r[2] == "OTHER":
            r[2] = K.IMMIGRATION_OTHER[int(self.rng.random() * len(K.IMMIGRATION_OTHER))]

    def _contact(self, r: list[Any]) -> None:
        r[3] = self.source(r[3])

    def _early_help(self, r: list[Any]) -> None:
        r[5] = PLACEHOLDER_TEXT

    def _referral(self, r: list[Any]) -> None:
        r[3] = self.source(r[3])
        r[6] = self.maybe(self.q.p_need_desc, r[6], K.NEED_DESC.get(r[6], r[6]))
        r[8] = self.maybe(self.q.p_closure_desc, r[8], K.CLOSURE_DESC.get(r[8], r[8]))
        r[10] = self.name.get(r[10], r[10])

    def _s47(self, r: list[Any]) -> None:
        r[8] = self.staff.get(r[8], r[8])

    def _cp_plan(self, r: list[Any]) -> None:
        r[7] = self.maybe(self.q.p_category_desc, r[7], K.ABUSE_DESC.get(r[7], r[7]))
        r[8] = self.maybe(self.q.p_category_desc, r[8], K.ABUSE_DESC.get(r[8], r[8]))

    def _cla_episode(self, r: list[Any]) -> None:
        r[5] = self.maybe(self.q.p_episode_desc, r[5], K.RNE_DESC.get(r[5], r[5]))
        r[8] = self.maybe(self.q.p_episode_desc, r[8], K.CEASED_DESC.get(r[8], r[8]))

    def _legal(self, r: list[Any]) -> None:
        v = r[2]
        if v == "NONLAC":
            descs = tuple(K.NONLAC_DESC.values())
            r[2] = descs[int(self.rng.random() * 2)]
        elif v in K.LEGAL_DESC_ALT and self.rng.random() < self.q.p_legal_desc_alt:
            r[2] = K.LEGAL_DESC_ALT[v]
        else:
            r[2] = K.LEGAL_DESC.get(v, v)

    def _placement(self, r: list[Any]) -> None:
        v = r[5]
        u = self.rng.random()
        legacy = {c: f for f, c in K.PLACEMENT_LEGACY.items()}
        if v in legacy and u < self.q.p_placement_legacy:
            r[5] = legacy[v]
        elif u < self.q.placement_desc_below:
            r[5] = f"{v} - {K.PLACEMENT_DESC[v]}"
        pc = r[7]
        if pc is not None:
            style = self.q.postcode.pick(self.rng.random())
            if style == "lower":
                r[7] = pc.lower()
            elif style == "no_space":
                r[7] = pc.replace(" ", "")
            elif style == "padded":
                r[7] = " " + pc.replace(" ", "  ").lower().title() + " "

    def _health(self, r: list[Any]) -> None:
        descs = K.HEALTH_TYPE_DESC[r[2]]
        r[2] = descs[int(self.rng.random() * len(descs))]
        r[4] = K.HEALTH_STATUS_DESC.get(r[4], r[4])

    def _missing(self, r: list[Any]) -> None:
        descs = K.MISSING_TYPE_DESC[r[4]]
        r[4] = descs[int(self.rng.random() * len(descs))]

    def _care_leaver(self, r: list[Any]) -> None:
        r[2] = K.ELIGIBILITY_DESC[r[2]]
        r[3] = self.maybe(self.q.p_in_touch_desc, r[3], K.IN_TOUCH_DESC.get(r[3], r[3]))
        accom, suit = r[5], r[6]
        if accom is not None:
            u = self.rng.random()
            if u < self.q.p_accommodation_with_suitability and suit is not None:
                r[5] = f"{accom}{suit}"  # 903-style letter+digit carrying suitability
            elif u < self.q.accommodation_desc_below:
                r[5] = K.ACCOM_DESC[accom]
        r[6] = self.maybe(self.q.p_suitability_desc, suit, K.SUITABILITY_DESC.get(suit, suit))
        r[7] = self.maybe(self.q.p_activity_desc, r[7], K.ACTIVITY_DESC.get(r[7], r[7]))
        if r[8] is None:
            r[8] = PLACEHOLDER_DATE

    def _permanence(self, r: list[Any]) -> None:
        r[11] = K.ORDER_TYPE_DESC.get(r[11], r[11])
        if r[13] is None:
            r[13] = PLACEHOLDER_DATE

    def _adopter(self, r: list[Any]) -> None:
        r[2] = self.gender(r[2])
        r[3] = self.ethnicity(r[3], self.q.p_adopter_legacy_ethnicity)
        r[18] = self.maybe(self.q.p_leaving_desc, r[18], K.ADOPTER_LEAVING_DESC.get(r[18], r[18]))
