"""Lines of enquiry (issue 5.4): the drill-down tables an analyst would otherwise write by hand.

Each ``sql/drilldowns/<id>_*.sql`` is one ``select`` declared in ``sql/manifest.yaml`` (layer
drilldowns, with its id, title, question and note) and run in the build by
``annexa.transform.runner.run_drilldowns`` on the connection that holds the lists. It returns
child-level (or, for caseloads, worker-level) rows with readable column names, in the shape the
pack renderer takes: ``{"id", "title", "question", "note", "columns": [...], "rows": [[...]]}``,
dates as ISO strings.

The contacts drill-down (DD09) reads two DuckDB variables, set from ``run_drilldowns``'
arguments: ``drill_source`` (None = every source) and ``drill_limit`` (default 50).
"""

from __future__ import annotations

from annexa.core.registry import queries
from annexa.transform.runner import DrilldownError, run_drilldown, run_drilldowns

__all__ = ["DrilldownError", "drilldown_entries", "run_drilldown", "run_drilldowns"]


def drilldown_entries() -> list[dict]:
    """The registered drill-downs (``sql/manifest.yaml``), in the pack's order."""
    return [
        {
            "id": q.meta["id"],
            "file": q.path.name,
            "title": q.meta["title"],
            "question": q.meta["question"],
            "note": q.meta["note"],
        }
        for q in queries("drilldowns")
    ]
