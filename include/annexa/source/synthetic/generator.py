"""Generate the synthetic CMS: build the workforce and providers, simulate children, write rows.

Why here: the journey stages (``journey``, ``referrals``, ``protection``, ``care`` ...) only
append rows to a batch; this module owns the order of the random streams (workforce, providers,
arrivals, one per cohort, adopters), the flushing of each cohort, and the messy rendering.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from annexa.core.calendar import OrdinalCalendar
from annexa.source.contract import TABLES
from annexa.source.synthetic.base import Ids
from annexa.source.synthetic.common import Batch, add_mo
from annexa.source.synthetic.io import WORKER_ID_COLUMNS, BackgroundWriter, recreate
from annexa.source.synthetic.journey import Sim
from annexa.source.synthetic.params import Params, load_params
from annexa.source.synthetic.providers import Providers
from annexa.source.synthetic.render import MessyRenderer
from annexa.source.synthetic.scales import SCALES, Scale
from annexa.source.synthetic.workforce import Workforce

DEFAULT_AS_AT = dt.date(2026, 3, 31)


def _arrivals(
    rng: random.Random, sc: Scale, p: Params, sim_start: int, window_start: int, as_at: int
) -> list[tuple[int, int, str]]:
    """Arrival dates of every child to simulate, sorted: (date, sequence, kind)."""
    referred = sc.referrals_per_year / p.arrivals.referrals_per_child
    rates = {
        "general": referred * (1.0 - p.arrivals.share_prebirth - p.arrivals.share_disabled),
        "prebirth": referred * p.arrivals.share_prebirth,
        "disabled": referred * p.arrivals.share_disabled,
        "uasc": sc.uasc_per_year,
        "contact": max(
            0.0,
            (sc.contacts_per_year - sc.referrals_per_year * p.arrivals.contacts_per_referral)
            / p.arrivals.contacts_per_contact_child,
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


@dataclass
class _Model:
    """Everything built before the first child is simulated."""

    sim: Sim
    wf: Workforce
    arrivals: list[tuple[int, int, str]]
    as_at: int


def _build(sc: Scale, seed: int, as_at: dt.date, p: Params) -> _Model:
    """Workforce, providers and arrivals, each from its own seeded stream."""
    A = as_at.toordinal()
    ws = add_mo(A, -12 * sc.history_years)
    sim_start = add_mo(ws, -12 * sc.burn_in_years)
    cal = OrdinalCalendar(sim_start - 800, A + 5 * 365)
    slots = {
        k: max(2, round(sc.referrals_per_year / 1000.0 * v / p.workforce.caseload))
        for k, v in p.workforce.cases_per_1000_referrals.items()
    }
    wf = Workforce(random.Random(f"annexa:{seed}:workforce"), slots, sim_start, A, p.workforce)
    prov = Providers(random.Random(f"annexa:{seed}:providers"), sc.factor, p.providers)
    sim = Sim(p, A, ws, sim_start, cal, wf, prov, Ids())
    arrivals = _arrivals(random.Random(f"annexa:{seed}:arrivals"), sc, p, sim_start, ws, A)
    return _Model(sim, wf, arrivals, A)


class _Flusher:
    """Hands batches to the writer table by table (messy-rendered when asked), counting rows."""

    def __init__(self, writer: BackgroundWriter, renderer: MessyRenderer | None) -> None:
        self.writer, self.renderer = writer, renderer
        self.counts = {t.name: 0 for t in TABLES}

    def __call__(self, batch: Batch) -> int:
        n = 0
        out: list[tuple[str, Sequence[Sequence[Any]]]] = []
        for t in TABLES:
            rows: Sequence[Sequence[Any]] | None = batch.get(t.name)
            if not rows:
                continue
            if self.renderer is not None:
                rows = self.renderer.render(t.name, rows)
            out.append((t.name, rows))
            self.counts[t.name] += len(rows)
            n += len(rows)
        self.writer.write_batch(out)
        return n


def _simulate(m: _Model, sc: Scale, seed: int, flush: _Flusher, say: Callable[[str], None]) -> None:
    """Cohort by cohort (one stream each, flushed as it fills), then the adopters."""
    sim, wf = m.sim, m.wf
    flush({"ssd_department": wf.departments})
    used: set[str] = set()
    size = sc.cohort_children
    n_cohorts = (len(m.arrivals) + size - 1) // size
    for i in range(n_cohorts):
        rng = random.Random(f"annexa:{seed}:cohort:{i}")
        for day, _seq, kind in m.arrivals[i * size : (i + 1) * size]:
            sim.run_child(rng, kind, day)
        batch, sim.batch = sim.batch, {}
        _collect_workers(batch, used)
        n = flush(batch)
        say(f"cohort {i + 1}/{n_cohorts}: {n:,} rows")
    arng = random.Random(f"annexa:{seed}:adopters")
    sim.independent_families(arng, sc.adopters_per_year)
    flush(
        {
            "ssd_adopters": sim.adopter_rows(arng),
            "ssd_professionals": wf.professional_rows(m.as_at, used),
        }
    )


def generate(
    url: str,
    scale: str = "small",
    seed: int = 1,
    as_at: dt.date = DEFAULT_AS_AT,
    messy: bool = False,
    progress: Callable[[str], None] | None = None,
    params: Params | None = None,
) -> dict[str, int]:
    """(Re)create every contract table at ``url`` and fill it; returns row counts per table.

    ``progress`` receives short messages (tables created, cohorts written, counts per table);
    never child-level data. ``params`` replaces the shipped ``params.yaml`` (calibration
    experiments and tests); the scale still sets ``care_scale``.
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}: {scale!r}")
    sc = SCALES[scale]
    say = progress or (lambda _msg: None)
    p = replace(params or load_params(), care_scale=sc.care_scale)
    m = _build(sc, seed, as_at, p)
    renderer = MessyRenderer(seed, m.wf, p.messy) if messy else None
    engine = sa.create_engine(url)
    try:
        md = recreate(engine, messy)
        say(f"created {len(TABLES)} tables at {make_url(url).render_as_string(hide_password=True)}")
        writer = BackgroundWriter(engine, md)
        flush = _Flusher(writer, renderer)
        try:
            _simulate(m, sc, seed, flush, say)
        finally:
            writer.close()
    finally:
        engine.dispose()
    for t in TABLES:
        say(f"{t.name}: {flush.counts[t.name]:,} rows")
    return flush.counts
