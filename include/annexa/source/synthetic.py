"""The synthetic CMS: SSD-shaped tables of a fictional local authority (Synthshire, LA 999).

Public API (others code against exactly this)::

    counts = generate(url, scale="small", seed=1, as_at=date(2026, 3, 31), messy=False,
                      progress=None)
    rates = measure_rates(url, as_at)

Why it exists: the product must be demonstrable and testable end to end without real children's
data. ``generate`` (re)creates every table of the source contract at any SQLAlchemy URL and fills
it with children whose journeys (contact, referral, assessment, CIN plan, S47, ICPC, CP plan, care,
leaving care, adoption) are calibrated to England's published rates (spec indicators.md). With
``messy=True`` the same children are written as a Liquidlogic SSD build holds them: descriptions
instead of codes, placeholders, worker names and staff ids in worker fields (spec
source_contract.md §7); ``reference/mappings/synthetic_messy.yaml`` maps all of it back.

Same (scale, seed, as_at, messy) -> identical table contents: every draw comes from generators
seeded from ``seed``; nothing reads the clock; everything is relative to ``as_at``.
Memory stays bounded: children are simulated in cohorts and each cohort is flushed (SQLite
``executemany`` with journalling off, PostgreSQL ``COPY``) before the next starts.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, replace

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from annexa.source.contract import TABLES
from annexa.source.synthetic_io import WORKER_ID_COLUMNS, Writer, recreate
from annexa.source.synthetic_model import (
    Batch,
    Calendar,
    Ids,
    Params,
    Providers,
    Sim,
    Workforce,
    add_mo,
)
from annexa.source.synthetic_rates import measure_rates

__all__ = ["DEFAULT_AS_AT", "SCALES", "Scale", "generate", "measure_rates"]

DEFAULT_AS_AT = dt.date(2026, 3, 31)

# Open cases a team kind holds per 1,000 referrals a year (measured from the model at the
# default parameters); posts = cases / CASELOAD, so the average caseload comes out near 15.
_CASES_PER_1000_REFERRALS = {
    "MASH": 12.0,
    "ASSESS": 115.0,
    "CIN": 345.0,
    "CIC": 135.0,
    "DCT": 103.0,
    "LC": 150.0,
    "ADOPT": 45.0,
    "EH": 300.0,
}
CASELOAD = 15.0


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
}


def _arrivals(
    rng: random.Random, sc: Scale, p: Params, sim_start: int, window_start: int, as_at: int
) -> list[tuple[int, int, str]]:
    """Arrival dates of every child to simulate, sorted: (date, sequence, kind)."""
    referred = sc.referrals_per_year / p.referrals_per_child
    rates = {
        "general": referred * (1.0 - p.share_prebirth - p.share_disabled),
        "prebirth": referred * p.share_prebirth,
        "disabled": referred * p.share_disabled,
        "uasc": sc.uasc_per_year,
        "contact": max(
            0.0,
            (sc.contacts_per_year - sc.referrals_per_year * p.contacts_per_referral)
            / p.contacts_per_contact_child,
        ),
    }
    out: list[tuple[int, int, str]] = []
    seq = 0
    for kind, per_year in rates.items():
        lo = window_start - 2 * 365 if kind == "contact" else sim_start
        n = int(round(per_year * (as_at - lo) / 365.25))
        for _ in range(n):
            seq += 1
            out.append((lo + int(rng.random() * (as_at - lo + 1)), seq, kind))
    out.sort()
    return out


_WORKER_INDEX = {
    t.name: tuple(i for i, c in enumerate(t.columns) if c.name in WORKER_ID_COLUMNS) for t in TABLES
}


def _collect_workers(batch: Batch, used: set[str]) -> None:
    """Professional ids referenced by a batch (clean rows), so the workforce table holds them."""
    for table, rows in batch.items():
        idx = _WORKER_INDEX.get(table)
        if idx:
            for r in rows:
                for i in idx:
                    if r[i] is not None:
                        used.add(r[i])


def generate(
    url: str,
    scale: str = "small",
    seed: int = 1,
    as_at: dt.date = DEFAULT_AS_AT,
    messy: bool = False,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """(Re)create every contract table at ``url`` and fill it; returns row counts per table.

    ``progress`` receives short messages (tables created, cohorts written, counts per table);
    never child-level data.
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}: {scale!r}")
    sc = SCALES[scale]
    say = progress or (lambda _msg: None)
    p = replace(Params(), care_scale=sc.care_scale)
    A = as_at.toordinal()
    ws = add_mo(A, -12 * sc.history_years)
    sim_start = add_mo(ws, -12 * sc.burn_in_years)
    cal = Calendar(sim_start - 800, A + 5 * 365)
    slots = {
        k: max(2, round(sc.referrals_per_year / 1000.0 * v / CASELOAD))
        for k, v in _CASES_PER_1000_REFERRALS.items()
    }
    wf = Workforce(random.Random(f"annexa:{seed}:workforce"), slots, sim_start, A)
    prov = Providers(random.Random(f"annexa:{seed}:providers"), sc.factor)
    ids = Ids()
    sim = Sim(p, A, ws, sim_start, cal, wf, prov, ids)
    arrivals = _arrivals(random.Random(f"annexa:{seed}:arrivals"), sc, p, sim_start, ws, A)

    renderer = None
    if messy:
        from annexa.source.synthetic_render import MessyRenderer

        renderer = MessyRenderer(seed, wf)

    engine = sa.create_engine(url)
    counts = {t.name: 0 for t in TABLES}
    try:
        md = recreate(engine, messy)
        say(f"created {len(TABLES)} tables at {make_url(url).render_as_string(hide_password=True)}")
        writer = Writer(engine, md)
        try:

            def flush(batch: Batch) -> int:
                n = 0
                for t in TABLES:
                    rows = batch.get(t.name)
                    if not rows:
                        continue
                    if renderer is not None:
                        rows = renderer.render(t.name, rows)
                    writer.write(t.name, rows)
                    counts[t.name] += len(rows)
                    n += len(rows)
                writer.commit()
                return n

            flush({"ssd_department": wf.departments})
            used: set[str] = set()
            size = sc.cohort_children
            n_cohorts = (len(arrivals) + size - 1) // size
            for i in range(n_cohorts):
                rng = random.Random(f"annexa:{seed}:cohort:{i}")
                for day, _seq, kind in arrivals[i * size : (i + 1) * size]:
                    sim.run_child(rng, kind, day)
                batch, sim.batch = sim.batch, {}
                _collect_workers(batch, used)
                n = flush(batch)
                say(f"cohort {i + 1}/{n_cohorts}: {n:,} rows written")
            arng = random.Random(f"annexa:{seed}:adopters")
            sim.independent_families(arng, sc.adopters_per_year)
            flush(
                {
                    "ssd_adopters": sim.adopter_rows(arng),
                    "ssd_professionals": wf.professional_rows(A, used),
                }
            )
        finally:
            writer.close()
    finally:
        engine.dispose()
    for t in TABLES:
        say(f"{t.name}: {counts[t.name]:,} rows")
    return counts
