"""
### Annex A intelligence pack

Runs when the `annex_a` DAG publishes a return (Airflow asset `annex_a_return`, whose event names
the LA) and renders the intelligence pack for each LA that published: judgement-area indicators
against England, 36-month trends from the month-end returns, lines of enquiry and what changed
since the previous return. Manual runs take `la_code`, `out_dir` and `as_at` (default: the latest
published return). Logic lives in `annexa.pack`; see README.md.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import Asset, Param, dag, get_current_context, task

from annexa.airflow_support import default_args
from annexa.core.constants import TIMEZONE

RETURN_PUBLISHED = Asset(name="annex_a_return", uri="file:///annexa/published/annex_a")


@dag(
    dag_id="annex_a_pack",
    schedule=[RETURN_PUBLISHED],
    start_date=pendulum.datetime(2026, 1, 1, tz=TIMEZONE),
    catchup=False,
    max_active_runs=1,
    doc_md=__doc__,
    tags=["annex-a", "ofsted", "pack"],
    default_args=default_args(retry_minutes=2),
    params={
        "la_code": Param(None, type=["null", "string"], description="LA code (ANNEXA_LA_CODE)"),
        "out_dir": Param(None, type=["null", "string"], description="Published returns folder"),
        "as_at": Param(
            None,
            type=["null", "string"],
            format="date",
            description="As-at date of the return; empty = the latest",
        ),
        "suppress_below": Param(
            None,
            type=["null", "integer"],
            minimum=1,
            description="Also write an aggregate-only pack with counts below this suppressed",
        ),
    },
)
def annex_a_pack():
    @task(multiple_outputs=False)
    def make_pack() -> list[dict]:
        from annexa.pack.make import packs_from_context

        ctx = get_current_context()
        events = ctx.get("triggering_asset_events") or {}
        extras = [e.extra or {} for evs in events.values() for e in evs]
        return packs_from_context(dict(ctx["params"]), extras)  # each LA that published

    make_pack()


annex_a_pack()
