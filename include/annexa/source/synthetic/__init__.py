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

from annexa.source.synthetic.generator import DEFAULT_AS_AT, generate
from annexa.source.synthetic.params import Params, ParamsError, load_params
from annexa.source.synthetic.rates import measure_rates
from annexa.source.synthetic.scales import SCALES, Scale

__all__ = [
    "DEFAULT_AS_AT",
    "SCALES",
    "Params",
    "ParamsError",
    "Scale",
    "generate",
    "load_params",
    "measure_rates",
]
