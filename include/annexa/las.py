"""The LA registry: which local authorities one deployment keeps ready (``ANNEXA_LAS``).

A regional partnership runs one Airflow for several LAs; the registry lists them, each with its
own CMS connection, code mapping, waivers, benchmarks, Annex A version and workbook layout. The
``annex_a`` DAG maps one branch per entry. Without a registry the product serves one LA from
the environment and DAG params, exactly as before.

The file is checked strictly and as a whole before any LA runs: a typo must not silently drop
an LA or give it another's defaults. Every problem is reported as one message naming the file,
the entry and the field. Relative paths are read relative to the registry file.

```yaml
las:
  - code: "201"                 # DfE three-digit LA code (names folders and files)
    name: City of London        # front sheet of the workbook
    connection: annexa_cms_201  # Airflow connection id of this LA's CMS
    mapping: mappings/201.yaml  # optional: code mapping (identity when absent)
    waivers: waivers/201.yaml   # optional
    benchmarks: bench/201.yaml  # optional: the pack's comparators
    annex_version: later        # optional: later (default) or 2019
    layout: ofsted              # optional: ofsted (default) or liia
```
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from annexa.core.constants import DEFAULT_LAYOUT, DEFAULT_VERSION, LAYOUTS, VERSIONS

ENV = "ANNEXA_LAS"
FIELDS = (
    "code",
    "name",
    "connection",
    "mapping",
    "waivers",
    "benchmarks",
    "annex_version",
    "layout",
)
REQUIRED = ("code", "connection")
_CODE = re.compile(r"^[0-9]{3}$")
_CONN_ID = re.compile(r"^[A-Za-z0-9_.-]{1,250}$")


class RegistryError(ValueError):
    """The registry cannot be used as written; the message names the entry and the field."""


@dataclass(frozen=True)
class LA:
    """One registered local authority (paths absolute, values checked)."""

    code: str
    connection: str
    name: str = ""
    mapping: str | None = None
    waivers: str | None = None
    benchmarks: str | None = None
    annex_version: str = DEFAULT_VERSION
    layout: str = DEFAULT_LAYOUT

    def to_dict(self) -> dict:
        return asdict(self)


def registry_path(params: dict | None = None) -> Path | None:
    """The registry in use: the ``registry`` param when given (an empty string means none, so
    ``annexa run`` stays single-LA), else ``$ANNEXA_LAS``, else none."""
    params = params or {}
    raw = params["registry"] if "registry" in params else os.environ.get(ENV)
    return Path(raw).expanduser().resolve() if raw else None


def _fail(path: Path, where: str, field: str | None, problem: str) -> RegistryError:
    at = f"{where}, field {field!r}" if field else where
    return RegistryError(f"LA registry {path}: {at}: {problem}")


def _file(path: Path, where: str, field: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, where, field, "expected a file path")
    p = Path(value).expanduser()
    p = (p if p.is_absolute() else path.parent / p).resolve()
    if not p.is_file():
        raise _fail(path, where, field, f"file not found: {p}")
    return str(p)


def _check_files(path: Path, where: str, la: LA) -> None:
    """Read the LA's own YAML files now, so an unreadable one fails before any LA runs."""
    from annexa.pack.catalogue import load_catalogue
    from annexa.transform.mapping import load_mapping
    from annexa.validate.waivers import load_waivers

    for field, load in (
        ("mapping", load_mapping),
        ("waivers", load_waivers),
        ("benchmarks", lambda p: load_catalogue(benchmarks=p)),
    ):
        value = getattr(la, field)
        if value is None:
            continue
        try:
            load(value)
        except Exception as exc:  # noqa: BLE001 - each loader has its own error type
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
            raise _fail(path, where, field, f"cannot be read: {first}") from None


def load_registry(path: str | Path, *, check_files: bool = True) -> list[LA]:
    """Read and check the registry; raises RegistryError naming the entry and field."""
    path = Path(path).expanduser().resolve()
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RegistryError(f"LA registry {path}: cannot be read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "invalid"
        raise RegistryError(f"LA registry {path}: not valid YAML ({first})") from None
    if not isinstance(doc, dict) or set(doc) != {"las"}:
        extra = sorted(set(doc) - {"las"}) if isinstance(doc, dict) else []
        hint = f" (unknown key(s): {', '.join(map(str, extra))})" if extra else ""
        raise RegistryError(f"LA registry {path}: expected exactly one top-level key 'las'{hint}")
    entries = doc["las"]
    if not isinstance(entries, list) or not entries:
        raise RegistryError(f"LA registry {path}: 'las' must be a non-empty list of LAs")
    out: list[LA] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(entries, start=1):
        where = f"entry {i}"
        if not isinstance(entry, dict):
            raise _fail(path, where, None, f"expected a mapping with {', '.join(FIELDS)}")
        code = entry.get("code")
        if isinstance(code, int) and not isinstance(code, bool):
            code = f"{code:03d}"
        if isinstance(code, str) and _CODE.match(code):
            where = f"entry {i} (LA {code})"
        unknown = sorted(str(k) for k in entry if k not in FIELDS)
        if unknown:
            raise _fail(path, where, unknown[0], f"unknown field (expected {', '.join(FIELDS)})")
        for field in REQUIRED:
            if entry.get(field) in (None, ""):
                raise _fail(path, where, field, "missing")
        if not isinstance(code, str) or not _CODE.match(code):
            raise _fail(path, where, "code", f"expected a three-digit DfE LA code, not {code!r}")
        if code in seen:
            raise _fail(path, where, "code", f"duplicate: LA {code} is also entry {seen[code]}")
        seen[code] = i
        conn = entry["connection"]
        if not isinstance(conn, str) or not _CONN_ID.match(conn):
            raise _fail(path, where, "connection", f"not an Airflow connection id: {conn!r}")
        name = entry.get("name") or ""
        if not isinstance(name, str):
            raise _fail(path, where, "name", "expected text")
        version = str(entry.get("annex_version") or DEFAULT_VERSION)
        if version not in VERSIONS:
            raise _fail(path, where, "annex_version", f"must be one of {', '.join(VERSIONS)}")
        layout = str(entry.get("layout") or DEFAULT_LAYOUT)
        if layout not in LAYOUTS:
            raise _fail(path, where, "layout", f"must be one of {', '.join(LAYOUTS)}")
        files = {
            f: _file(path, where, f, entry[f])
            for f in ("mapping", "waivers", "benchmarks")
            if entry.get(f) is not None
        }
        la = LA(
            code=code,
            connection=conn,
            name=name,
            annex_version=version,
            layout=layout,
            **files,
        )
        if check_files:
            _check_files(path, where, la)
        out.append(la)
    return out
