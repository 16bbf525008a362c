"""The SQL registry: every query the product runs, read from ``sql/manifest.yaml``.

One manifest declares each query once, layer by layer, in run order: its ``name`` (the file stem,
which is also the table or frame it makes), its ``grain`` (what one row is), and for rules their
``severity`` and ``description``; the pack's drill-downs add their ``id``, ``title``,
``question`` and ``note``. Adding a query is one SQL file plus one manifest entry; a file without
an entry, or an entry without its file, is refused when the manifest is read, so nothing runs
undeclared. ``annexa.transform.runner`` executes the queries; the gate and the pack read the
wording and titles here, so every phase sees the same declaration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from annexa.core.paths import sql_dir

# run order of the layers; the folder under sql/ of each is its name
LAYERS = (
    "staging",
    "intermediate",
    "annex_a",
    "checks",
    "cross",
    "indicators",
    "drilldowns",
    "returns",  # the statutory returns (issue 15); may be empty
)
SEVERITIES = ("error", "warning")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_LIST = re.compile(r"^annex_a_list_(\d\d)_")
# what each layer's entries must say beyond name and grain
_REQUIRED = {
    "cross": ("severity", "description"),
    "drilldowns": ("id", "title", "question", "note"),
}


class RegistryError(ValueError):
    """``sql/manifest.yaml`` and the SQL files under ``sql/`` disagree, or an entry is malformed."""


@dataclass(frozen=True)
class Query:
    """One registered SQL file."""

    layer: str
    name: str
    grain: str
    severity: str | None = None
    description: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)  # the entry's other keys (titles ...)

    @property
    def path(self) -> Path:
        return sql_dir() / self.layer / f"{self.name}.sql"

    def sql(self) -> str:
        return self.path.read_text()


def list_number(model: str) -> int:
    """The Annex A list number of a list model (``annex_a_list_05_s47_icpc`` -> 5)."""
    m = _LIST.match(model)
    if not m:
        raise ValueError(f"list model names look like annex_a_list_01_contacts: {model}")
    return int(m.group(1))


def _entry(layer: str, raw: object, where: Path) -> Query:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise RegistryError(f"{where}: every {layer} entry is a mapping with a name: {raw!r}")
    doc = dict(raw)
    name = doc.pop("name")
    if not _NAME.match(name):
        raise RegistryError(f"bad query name in {where}: {name!r}")
    grain = doc.pop("grain", None)
    if not grain:
        raise RegistryError(f"{where}: {layer}/{name} says no grain (what one row is)")
    missing = [k for k in _REQUIRED.get(layer, ()) if not doc.get(k)]
    if missing:
        raise RegistryError(f"{where}: {layer}/{name} is missing {', '.join(missing)}")
    severity = doc.pop("severity", None)
    if severity is not None and severity not in SEVERITIES:
        raise RegistryError(f"{where}: {layer}/{name}: severity must be error or warning")
    return Query(layer, name, str(grain), severity, doc.pop("description", None), doc)


@lru_cache(maxsize=4)
def _load(path: Path, mtime_ns: int) -> dict[str, tuple[Query, ...]]:
    doc = yaml.safe_load(path.read_text()) or {}
    unknown = set(doc) - set(LAYERS)
    if unknown:
        raise RegistryError(f"{path}: unknown layer(s) {', '.join(sorted(unknown))}")
    out: dict[str, tuple[Query, ...]] = {}
    for layer in LAYERS:
        queries = tuple(_entry(layer, raw, path) for raw in doc.get(layer) or ())
        names = [q.name for q in queries]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise RegistryError(f"{path}: {layer} declares {', '.join(dupes)} twice")
        folder = path.parent / layer
        files = {p.stem for p in folder.glob("*.sql")} if folder.is_dir() else set()
        if files - set(names):
            raise RegistryError(
                f"sql/{layer}/ has SQL not declared in the manifest: "
                + ", ".join(sorted(files - set(names)))
            )
        if set(names) - files:
            raise RegistryError(
                f"the manifest declares {layer} queries with no file in sql/{layer}/: "
                + ", ".join(n for n in names if n not in files)
            )
        out[layer] = queries
    return out


def registry() -> dict[str, tuple[Query, ...]]:
    """Every registered query, by layer (every layer present, in ``LAYERS`` order)."""
    path = sql_dir() / "manifest.yaml"
    return _load(path, path.stat().st_mtime_ns)


def queries(layer: str) -> tuple[Query, ...]:
    """The queries of one layer, in run order."""
    if layer not in LAYERS:
        raise KeyError(f"no SQL layer {layer!r}; layers: {', '.join(LAYERS)}")
    return registry()[layer]


def query(layer: str, name: str) -> Query:
    for q in queries(layer):
        if q.name == name:
            return q
    raise KeyError(f"sql/manifest.yaml declares no {layer} query {name!r}")


def manifest() -> dict[str, list[str]]:
    """The query names by layer, in run order."""
    return {layer: [q.name for q in qs] for layer, qs in registry().items()}


def list_models() -> dict[int, str]:
    """Annex A list number -> the model that makes it, in list order."""
    return {list_number(q.name): q.name for q in queries("annex_a")}


# The run parameters that change with the as-at date (sql/macros.sql reads them from run_params
# into DuckDB variables); a backfill builds what reads none of them once for every month end.
_AS_AT_VARIABLES = re.compile(r"getvariable\(\s*'(?:as_at|w6_start|w12_start)'\s*\)|\brun_params\b")
_MACRO = re.compile(r"^create or replace macro\s+(\w+)", re.IGNORECASE | re.MULTILINE)


def _code(sql: str) -> str:
    """SQL without its ``--`` comments (a comment naming a table or macro reads nothing)."""
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())


def as_at_macros() -> frozenset[str]:
    """The macros of ``sql/macros.sql`` whose value depends on the as-at date: those reading an
    as-at variable, and those calling such a macro (``masked``, ``census_start`` ...)."""
    text = _code((sql_dir() / "macros.sql").read_text())
    starts = list(_MACRO.finditer(text))
    bodies = {
        m.group(1).lower(): text[m.end() : starts[i + 1].start() if i + 1 < len(starts) else None]
        for i, m in enumerate(starts)
    }
    dependent = {name for name, body in bodies.items() if _AS_AT_VARIABLES.search(body)}
    while dependent:
        calls = _calls(dependent)
        more = {n for n, b in bodies.items() if n not in dependent and calls.search(b)}
        if not more:
            break
        dependent |= more
    return frozenset(dependent)


def _calls(macros: set[str] | frozenset[str]) -> re.Pattern[str]:
    """A call of any of ``macros``."""
    return re.compile(r"\b(?:" + "|".join(sorted(macros)) + r")\s*\(")


@lru_cache(maxsize=4)
def _as_at_dependent(mtime_ns: int) -> frozenset[str]:
    macros = as_at_macros()
    calls = _calls(macros) if macros else None
    dependent: set[str] = set()
    for layer in LAYERS:  # run order: a query reads only the layers before it and its own
        for q in queries(layer):
            sql = _code(q.sql())
            reads = (
                _AS_AT_VARIABLES.search(sql)
                or (calls is not None and calls.search(sql))
                or any(re.search(rf"\b{re.escape(name)}\b", sql) for name in dependent)
            )
            if reads:
                dependent.add(q.name)
    return frozenset(dependent)


def as_at_dependent() -> frozenset[str]:
    """The registered queries whose result depends on the as-at date: those that read an as-at
    variable or macro, or a model that does. Any other query gives the same rows at every
    as-at date of one snapshot (a backfill runs it once)."""
    path = sql_dir() / "manifest.yaml"
    stamp = max(p.stat().st_mtime_ns for p in [path, *sql_dir().rglob("*.sql")])
    return _as_at_dependent(stamp)
