"""Render the intelligence pack (issue 5) as one self-contained HTML file and an .xlsx workbook.

The pack is a plain dict the caller (``annexa.pack.make``) assembles::

    {"la_code", "la_name", "as_at", "generated_at",
     "indicators": [rows of annexa.pack.indicators.compute_indicators],
     "history": {"HP03": [{"as_at": "2023-04-30", "value": 21.5}, ...]},   # optional numerator,
                                                                           # denominator per point
     "drilldowns": [{"id", "title", "question", "columns", "rows", "note"}],
     "changes": {"previous_as_at": ... | None,
                 "lists": [{"list", "title", "added", "removed", "changed"}]},
     "suppress_below": None | int}

The work is split by what it makes: ``annexa.pack.values`` (formatting, markers, small-number
suppression: shared by both files), ``annexa.pack.html`` (the page, from the Jinja2 templates
in ``include/annexa/templates/``) and ``annexa.pack.workbook`` (the .xlsx). This module is
their public face. With ``suppress_below`` set (the aggregate-only view), the child-level
drill-downs are left out of both files, with a note. Both files are written owner-only (0600)
and atomically, through ``annexa.core.files``.
"""

from __future__ import annotations

from annexa.pack.html import render_html, sparkline, write_pack_html
from annexa.pack.values import AREA_TITLES, SUPPRESSED, england_text, suppression
from annexa.pack.workbook import build_workbook, sheet_name, write_pack_xlsx

__all__ = [
    "AREA_TITLES",
    "SUPPRESSED",
    "build_workbook",
    "england_text",
    "render_html",
    "sheet_name",
    "sparkline",
    "suppression",
    "write_pack_html",
    "write_pack_xlsx",
]
