"""Stage-1 code mapping: raw CMS values -> national codes (spec source_contract.md §6).

Mapping is data. The product supplies the national code sets and product-level synonyms
(``annexa.reference``); an LA supplies a YAML file with its local values, per ``table.column``.
Raw values are normalised (trimmed, whitespace collapsed, case-insensitive) before lookup; a
national code maps to itself; a per-field ``prefix_rule`` takes the leading token. Anything else
stays unmapped and is reported, never silently blanked. The result is one lookup table that the SQL
joins through the ``map_code(field, value)`` macro.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import yaml

from annexa import reference
from annexa.source.contract import TABLES_BY_NAME

WORKER_KINDS = ("professional_id", "staff_id", "name")


class MappingError(ValueError):
    """The LA mapping file is malformed or maps to a code outside the field's national set."""


def norm(value: object) -> str:
    return " ".join(str(value).split()).lower()


@dataclass
class Mapping:
    """A loaded LA mapping (identity only when no file is given)."""

    source: str = "identity (no LA mapping file)"
    cms: str | None = None
    person_id: str = "pers_person_id"
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> norm raw -> code
    prefix_fields: set[str] = field(default_factory=set)
    workers: dict[str, str] = field(default_factory=dict)
    placeholder_text: list[str] = field(default_factory=lambda: ["SSD_PH", "-1"])
    date_before: dt.date = dt.date(1901, 1, 1)
    confidential_placements: list[str] = field(default_factory=list)
    outside_uk_placements: list[str] = field(default_factory=list)
    organisation_names: dict[str, str] = field(default_factory=dict)


def _check_field(name: str) -> None:
    table, _, column = name.partition(".")
    t = TABLES_BY_NAME.get(table)
    if t is None or column not in t.column_names:
        raise MappingError(
            f"mapping names an unknown field {name!r} (expected table.column "
            "from the source contract)"
        )


def load_mapping(path: str | Path | None) -> Mapping:
    """Load and check an LA mapping YAML; ``None`` gives the identity mapping."""
    if path is None:
        return Mapping()
    path = Path(path)
    try:
        doc = yaml.safe_load(path.read_text()) or {}
    except FileNotFoundError:
        raise MappingError(f"mapping file not found: {path}") from None
    except yaml.YAMLError as exc:
        raise MappingError(f"mapping file is not valid YAML: {path}: {exc}") from None
    m = Mapping(source=str(path), cms=doc.get("cms"))
    m.person_id = doc.get("person_id", m.person_id)
    if m.person_id not in ("pers_person_id", "pers_legacy_id"):
        raise MappingError("person_id must be pers_person_id or pers_legacy_id")
    sets, field_sets = reference.national_sets(), reference.field_sets()
    for fname, rule in (doc.get("fields") or {}).items():
        _check_field(fname)
        if fname not in field_sets:
            raise MappingError(f"{fname} is not a coded field (see national.yaml fields)")
        allowed = set(sets[field_sets[fname]])
        rule = rule or {}
        if rule.get("prefix_rule"):
            m.prefix_fields.add(fname)
        for raw, code in (rule.get("values") or {}).items():
            code = str(code)
            if code not in allowed:
                raise MappingError(
                    f"{fname}: {raw!r} maps to {code!r}, which is not in the "
                    f"national set {field_sets[fname]}"
                )
            m.values.setdefault(fname, {})[norm(raw)] = code
    for fname, kind in (doc.get("workers") or {}).items():
        _check_field(fname)
        if kind not in WORKER_KINDS:
            raise MappingError(f"workers.{fname}: kind must be one of {', '.join(WORKER_KINDS)}")
        m.workers[fname] = kind
    ph = doc.get("placeholders") or {}
    if "text" in ph:
        m.placeholder_text = sorted({*map(str, ph["text"]), "-1"})
    if "date_before" in ph:
        m.date_before = dt.date.fromisoformat(str(ph["date_before"]))
    m.confidential_placements = [str(x) for x in doc.get("confidential_placements") or []]
    m.outside_uk_placements = [str(x) for x in doc.get("outside_uk_placements") or []]
    m.organisation_names = {str(k): str(v) for k, v in (doc.get("organisations") or {}).items()}
    return m


def code_map_table(m: Mapping) -> pa.Table:
    """The lookup table behind ``map_code``: field, raw_key (normalised), code, how."""
    sets, field_sets, synonyms = (
        reference.national_sets(),
        reference.field_sets(),
        reference.builtin_synonyms(),
    )
    rows: dict[tuple[str, str], tuple[str, str]] = {}
    for fname, set_name in field_sets.items():
        for code in sets[set_name]:
            rows[(fname, norm(code))] = (code, "identity")
        for raw, code in (synonyms.get(set_name) or {}).items():
            rows.setdefault((fname, norm(raw)), (str(code), "builtin"))
        for raw, code in m.values.get(fname, {}).items():
            rows[(fname, raw)] = (code, "la")
    keys = sorted(rows)
    return pa.table(
        {
            "field": [k[0] for k in keys],
            "raw_key": [k[1] for k in keys],
            "code": [rows[k][0] for k in keys],
            "how": [rows[k][1] for k in keys],
            "prefix_rule": [k[0] in m.prefix_fields for k in keys],
        }
    )
