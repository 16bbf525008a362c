"""Waivers: the data team accepts a known anomaly for named records of one rule (issue 4.3).

A YAML file (``$ANNEXA_WAIVERS`` or the DAG param ``waivers``)::

    waivers:
      - rule: list_8:required:date_of_birth      # a rule id from the failure report
        records: ["10023", "10077"]              # the failing record ids it accepts
        reason: "Age-assessed UASC; DOB awaited from Home Office"
        owner: "Jo Bloggs, CiC team manager"
        expires: 2026-12-31                      # last day it applies

A waiver applies to exactly the named records of exactly that rule, and only up to and including
its expiry date: an expired waiver stops applying by itself (the run fails again, so nothing is
accepted forever by accident). Every entry needs all five fields; a malformed file fails the run
with a message naming the entry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from annexa.validate.findings import RuleResult, WorkItem

FIELDS = ("rule", "records", "reason", "owner", "expires")


class WaiverError(ValueError):
    """The waiver file is malformed."""


@dataclass(frozen=True)
class Waiver:
    rule: str
    records: tuple[str, ...]
    reason: str
    owner: str
    expires: dt.date

    def live(self, today: dt.date) -> bool:
        return today <= self.expires


def load_waivers(path: str | Path | None) -> list[Waiver]:
    """Read and check a waiver file; ``None`` or an empty path means no waivers."""
    if not path:
        return []
    p = Path(path).expanduser()
    if not p.is_file():
        raise WaiverError(f"waiver file not found: {p}")
    try:
        doc = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise WaiverError(f"waiver file {p} is not valid YAML: {exc}") from None
    entries = doc.get("waivers") if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        raise WaiverError(f"waiver file {p}: expected a top-level 'waivers:' list")
    out = []
    for i, e in enumerate(entries, start=1):
        where = f"waiver file {p}, entry {i}"
        if not isinstance(e, dict):
            raise WaiverError(f"{where}: expected a mapping with {', '.join(FIELDS)}")
        missing = [f for f in FIELDS if e.get(f) in (None, "", [])]
        if missing:
            raise WaiverError(f"{where}: missing {', '.join(missing)}")
        unknown = set(e) - set(FIELDS)
        if unknown:
            raise WaiverError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        rule = str(e["rule"])
        if rule.count(":") < 1:
            raise WaiverError(
                f"{where}: rule must be a rule id like 'list_8:required:"
                f"date_of_birth', got {rule!r}"
            )
        records = e["records"] if isinstance(e["records"], list) else [e["records"]]
        if any(str(r).strip() in ("", "*") for r in records):
            raise WaiverError(f"{where}: records must name record ids (no wildcards)")
        expires = e["expires"]
        if isinstance(expires, str):
            try:
                expires = dt.date.fromisoformat(expires)
            except ValueError:
                raise WaiverError(f"{where}: expires must be a date YYYY-MM-DD") from None
        if not isinstance(expires, dt.date):
            raise WaiverError(f"{where}: expires must be a date YYYY-MM-DD")
        out.append(
            Waiver(
                rule,
                tuple(str(r).strip() for r in records),
                str(e["reason"]),
                str(e["owner"]),
                expires,
            )
        )
    return out


def apply_waivers(
    results: list[RuleResult], items: list[WorkItem], waivers: list[Waiver], today: dt.date
) -> list[dict]:
    """Mark waived work items and count them on their rules; returns the waivers applied
    (live ones that matched at least one failing record), for the manifest and the report."""
    live: dict[str, dict[str, Waiver]] = {}
    for w in waivers:
        if w.live(today):
            for rid in w.records:
                live.setdefault(w.rule, {})[rid] = w
    used: dict[int, set[str]] = {}
    waived_ids: dict[str, set[str]] = {}
    for item in items:
        hit = live.get(item.rule, {}).get(item.record_id)
        if hit is not None:
            reason = f"{hit.reason} ({hit.owner}, until {hit.expires})"
            item.waived, item.waiver_reason = True, reason
            used.setdefault(id(hit), set()).add(item.record_id)
            waived_ids.setdefault(item.rule, set()).add(item.record_id)
    for r in results:
        r.waived_count = len(waived_ids.get(r.id, ()))
    out = []
    for w in waivers:
        if id(w) in used:
            out.append(
                {
                    "rule": w.rule,
                    "record_ids": sorted(used[id(w)]),
                    "reason": w.reason,
                    "owner": w.owner,
                    "expires": w.expires.isoformat(),
                }
            )
    return out


def expired(waivers: list[Waiver], today: dt.date) -> list[Waiver]:
    return [w for w in waivers if not w.live(today)]
