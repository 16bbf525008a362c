"""Text that leaves the product in a spreadsheet-readable file (CSV, worklist, report exports).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is evaluated by
Excel and LibreOffice as a formula (OWASP "CSV injection"); a CMS free-text value must never be.
One rule, one home: every CSV writer neutralises through ``csv_safe`` (annex_a.md §6.5).
"""

from __future__ import annotations

RISKY_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    """Neutralise a free-text value that a spreadsheet would evaluate: prefix an apostrophe."""
    return "'" + value if value.startswith(RISKY_PREFIXES) else value


def is_neutralised(value: str) -> bool:
    """True for a value ``csv_safe`` changed (so readers can undo the apostrophe)."""
    return value.startswith("'") and value[1:].startswith(RISKY_PREFIXES)
