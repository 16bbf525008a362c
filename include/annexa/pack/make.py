"""Assemble and publish the intelligence pack for a published return (issue 5).

Inputs are only what was published (so the pack shows what inspectors will see): the release's
``indicators.json`` and ``drilldowns.json`` (computed by the build from the same snapshot), its
list CSVs, and the LA's earlier published returns for the trends (month-end returns, made by
backfilling the ``annex_a`` DAG) and the "what changed" diff (the previous published return).
The pack lands in ``<out>/<la>/packs/<as-at>/`` (``pack.html``, ``pack.xlsx``, the offline
``explorer.html``), published by
the return's own publisher (``annexa.publish.publisher.release``: the LA's lock, owner-only,
fsync, symlink swap), with ``packs/latest`` pointing at the newest.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import os
from pathlib import Path

from annexa.core.files import owner_only, private_dir, write_text
from annexa.publish.publisher import RELEASES, release
from annexa.publish.publisher import published_dates as _published_dates

TREND_MONTHS = 36


class PackError(RuntimeError):
    """The return cannot be packed (not published, or published without pack inputs)."""


def published_dates(out_root: Path, la_code: str) -> list[dt.date]:
    """As-at dates with a published return for the LA, oldest first."""
    return _published_dates(Path(out_root) / la_code)


def pack_as_at(out_root: Path, la_code: str, as_at: dt.date | None = None) -> dt.date:
    """The as-at date a pack is made for: ``as_at``, else the latest published return's."""
    dates = published_dates(out_root, la_code)
    if not dates:
        raise PackError(f"no published return for LA {la_code} under {out_root}")
    as_at = as_at or dates[-1]
    if as_at not in dates:
        raise PackError(f"no published return for LA {la_code} as at {as_at}")
    return as_at


def _is_month_end(d: dt.date) -> bool:
    return d.day == calendar.monthrange(d.year, d.month)[1]


def _load(path: Path, default=None):
    return json.loads(path.read_text()) if path.is_file() else default


def history(
    out_root: Path, la_code: str, as_at: dt.date, months: int = TREND_MONTHS
) -> dict[str, list[dict]]:
    """Indicator values of the month-end returns in the ``months`` before ``as_at`` (and of
    ``as_at`` itself), per indicator id, oldest first."""
    first = dt.date(as_at.year - months // 12, as_at.month, 1)
    out: dict[str, list[dict]] = {}
    for d in published_dates(out_root, la_code):
        if not (first <= d <= as_at) or not (_is_month_end(d) or d == as_at):
            continue
        for row in _load(Path(out_root) / la_code / d.isoformat() / "indicators.json", []):
            out.setdefault(row["id"], []).append(
                {
                    "as_at": d.isoformat(),
                    "value": row["value"],
                    # for small-number suppression of trend points in the aggregate-only view
                    "numerator": row.get("numerator"),
                    "denominator": row.get("denominator"),
                }
            )
    return out


def volumes(
    out_root: Path, la_code: str, as_at: dt.date, months: int = TREND_MONTHS
) -> dict[str, dict[str, int]]:
    """Rows per list (``{list number: rows}``) of the same month-end returns as ``history``, by
    as-at date: the headline's contacts trend, from each return's manifest."""
    first = dt.date(as_at.year - months // 12, as_at.month, 1)
    out: dict[str, dict[str, int]] = {}
    for d in published_dates(out_root, la_code):
        if not (first <= d <= as_at) or not (_is_month_end(d) or d == as_at):
            continue
        counts = (_load(Path(out_root) / la_code / d.isoformat() / "manifest.json", {}) or {}).get(
            "row_counts"
        )
        if counts:
            out[d.isoformat()] = {str(k): int(v) for k, v in counts.items()}
    return out


def assemble(
    out_root: Path, la_code: str, as_at: dt.date | None = None, *, suppress_below: int | None = None
) -> dict:
    """The pack dict for the return published as at ``as_at`` (default: the latest)."""
    from annexa.pack.diff import diff_returns, published_csvs

    dates = published_dates(out_root, la_code)
    as_at = pack_as_at(out_root, la_code, as_at)
    release = Path(out_root) / la_code / as_at.isoformat()
    manifest = _load(release / "manifest.json", {})
    indicators = _load(release / "indicators.json")
    if indicators is None:
        raise PackError(
            f"the return as at {as_at} has no indicators.json (published before "
            "the pack existed, or its pack inputs failed: see its manifest)"
        )
    earlier = [d for d in dates if d < as_at]
    previous = earlier[-1] if earlier else None
    changes = diff_returns(
        published_csvs(release),
        published_csvs(Path(out_root) / la_code / previous.isoformat()) if previous else None,
    )
    changes["previous_as_at"] = previous.isoformat() if previous else None
    from annexa.pack.breakdowns import breakdowns

    csvs = published_csvs(release)
    views = breakdowns(csvs, as_at) if csvs else None
    return {
        "la_code": la_code,
        "la_name": manifest.get("la_name") or "",
        "as_at": as_at.isoformat(),
        "generated_at": dt.datetime.now(dt.UTC).isoformat(),
        "indicators": indicators,
        "history": history(out_root, la_code, as_at),
        "volumes": volumes(out_root, la_code, as_at),
        "validation": {
            k: (manifest.get("validation") or {}).get(k)
            for k in ("errors", "warnings", "waived_records", "failing_rules")
        },
        "unmapped": manifest.get("unmapped") or [],
        "drilldowns": _load(release / "drilldowns.json", []),
        "changes": changes,
        "list_views": views,
        "suppress_below": suppress_below,
    }


def make_pack(
    out_root: str | Path,
    la_code: str,
    as_at: dt.date | None = None,
    *,
    suppress_below: int | None = None,
) -> Path:
    """Render and publish the pack; returns its folder ``<out>/<la>/packs/<as-at>``. With
    ``suppress_below``, an aggregate-only variant for wider sharing is written beside it."""
    owner_only()
    from annexa.pack.explorer import write_explorer
    from annexa.pack.render import write_pack_html, write_pack_xlsx

    out_root = Path(out_root)
    pack = assemble(out_root, la_code, as_at, suppress_below=suppress_below)

    def write(folder: Path) -> None:
        write_pack_html(folder / "pack.html", pack | {"suppress_below": None})
        write_pack_xlsx(folder / "pack.xlsx", pack | {"suppress_below": None})
        # the offline explorer: child-level, so the full pack only
        write_explorer(
            folder / "explorer.html",
            out_root / la_code / pack["as_at"],
            la_code,
            pack["la_name"],
            pack["as_at"],
            pack["generated_at"],
        )
        if suppress_below is not None:
            write_pack_html(folder / f"pack_aggregate_{suppress_below}.html", pack)
            write_pack_xlsx(folder / f"pack_aggregate_{suppress_below}.xlsx", pack)
        facts = {k: pack[k] for k in ("la_code", "as_at", "generated_at", "suppress_below")}
        write_text(folder / "pack.json", json.dumps(facts))

    packs = private_dir(out_root / la_code / "packs")
    _adopt_unreleased(packs / pack["as_at"])
    run_key = pack["generated_at"].replace(":", "").replace("+", "_")
    return release(packs, pack["as_at"], run_key, write, lock_dir=out_root / la_code)


def _adopt_unreleased(folder: Path) -> None:
    """A pack folder made before packs were published by the publisher (a plain folder, not a
    symlink) is moved into ``.releases`` and linked, so the swap can replace it."""
    if folder.is_symlink() or not folder.is_dir():
        return
    moved = private_dir(folder.parent / RELEASES) / f"{folder.name}__unreleased"
    os.replace(folder, moved)
    folder.symlink_to(f"{RELEASES}/{moved.name}")


def pack_from_context(params: dict, event: dict) -> dict:
    """The pack DAG's task: which return to pack comes from the triggering asset event (the
    publishing run's LA, as-at date and output folder), else from the params and environment."""
    from annexa.core.paths import default_output_dir

    la = event.get("la_code") or params.get("la_code") or os.environ.get("ANNEXA_LA_CODE") or "999"
    out = event.get("out_dir") or params.get("out_dir") or str(default_output_dir())
    raw = event.get("as_at") or params.get("as_at")
    as_at = dt.date.fromisoformat(raw) if raw else None
    suppress = params.get("suppress_below")
    folder = make_pack(out, la, as_at, suppress_below=int(suppress) if suppress else None)
    return {"pack": str(folder), "la_code": la, "as_at": folder.name}


def packs_from_context(params: dict, events: list[dict]) -> list[dict]:
    """The pack DAG's task: one pack per LA whose return a triggering asset event announces
    (an asset-triggered run may carry several LAs' events, from one annex_a run over the LA
    registry or from runs queued meanwhile; the same LA and date is packed once). Without
    events (a manual run) the one return the params name."""
    seen: dict[tuple, dict] = {}
    for e in events:
        if e.get("la_code"):
            seen[(e["la_code"], e.get("as_at"), e.get("out_dir"))] = e
    targets = list(seen.values()) or [{}]
    return [pack_from_context(params, e) for e in targets]
