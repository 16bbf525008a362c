"""Sizes of the synthetic local authority (``small``, ``medium``, ``large``, ``xlarge``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    """Size of the synthetic local authority (one entry per scale in ``SCALES``).

    * contacts_per_year, referrals_per_year: the front door's yearly volumes the model is
      calibrated to (arrival rates are derived from them).
    * cic_target: children in care expected at the as-at date; documentation of what the model
      gives at the default parameters, not a constraint.
    * history_years: the SSD history window written (records open in it are kept).
    * uasc_per_year: unaccompanied asylum-seeking children arriving each year.
    * adopters_per_year: adopter households not matched with a Synthshire child (in process,
      left the process, matched with other LAs' children).
    * care_scale: relative chance of entering care from CIN and CP work (larger LAs look after
      fewer children per referral).
    * burn_in_years: years simulated before the window so that long stays in care, repeat plans
      and care leavers exist.
    * cohort_children: children simulated per flushed batch (bounds memory).
    """

    contacts_per_year: int
    referrals_per_year: int
    cic_target: int
    history_years: int
    uasc_per_year: float
    adopters_per_year: float
    care_scale: float = 1.0
    burn_in_years: int = 12
    cohort_children: int = 5000

    @property
    def factor(self) -> float:
        """Size relative to the small unitary (1,100 referrals a year)."""
        return self.referrals_per_year / 1100.0


SCALES: dict[str, Scale] = {
    # a small unitary: ~6,000 contacts, ~1,100 referrals a year, ~130-180 children in care
    "small": Scale(6_000, 1_100, 155, history_years=6, uasc_per_year=4.0, adopters_per_year=6.0),
    # a mid-sized authority: ~25,000 contacts, ~5,000 referrals a year, ~600 children in care
    "medium": Scale(
        25_000,
        5_000,
        620,
        history_years=6,
        uasc_per_year=18.0,
        adopters_per_year=25.0,
        care_scale=0.9,
    ),
    # the largest county: ~100,000 contacts, ~19,000 referrals a year, ~2,400 children in care,
    # 10 years of history (several million rows)
    "large": Scale(
        100_000,
        19_000,
        2_400,
        history_years=10,
        uasc_per_year=90.0,
        adopters_per_year=90.0,
        care_scale=0.85,
        cohort_children=10_000,
    ),
    # four times the largest county (no English LA is this big): for the cost-growth bench
    # (docs/performance.md), ~21 million rows
    "xlarge": Scale(
        400_000,
        76_000,
        9_600,
        history_years=10,
        uasc_per_year=360.0,
        adopters_per_year=360.0,
        care_scale=0.85,
        cohort_children=10_000,
    ),
}
