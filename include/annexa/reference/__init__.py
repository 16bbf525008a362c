"""Reference data: Annex A code lists, national code sets and list layouts (reviewed like code).

Three YAML files beside this module hold every code and layout fact the product uses; nothing
else in the package spells out a code string or a header:

* ``codes.yaml``: the Annex A code lists (spec annex_a.md §4, §7): national code -> exact Annex A
  string per revision, with the 2019 renderings of later-only codes (D11, D12).
* ``national.yaml``: the national code sets stage 1 of the mapping targets, which SSD field maps
  to which set, product-level synonyms, and the permanence-plan keys and precedence
  (source_contract.md §6.2, §6.3; annex_a D22).
* ``lists.yaml``: the eleven lists: sheet names, titles, grain, row order and every column with
  its exact header per layout, type, code list, blank rule and bounds (annex_a.md §5, §6).

Everything is loaded once (``functools.cache``) and checked on load; a malformed file, a duplicate
YAML key, an unquoted boolean, a column naming an unknown code list or a code outside its national
set raises :class:`ReferenceDataError` naming the file and the entry. Versions are the strings
``"later"`` (default) and ``"2019"``; layouts are ``"ofsted"`` (default) and ``"liia"``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from annexa.core.constants import LAYOUTS, VERSIONS

__all__ = [
    "COLUMN_TYPES",
    "LAYOUTS",
    "VERSIONS",
    "Code",
    "CodeList",
    "ColumnSpec",
    "ListSpec",
    "ReferenceDataError",
    "builtin_synonyms",
    "code_list",
    "code_lists",
    "code_strings",
    "columns",
    "field_feeds",
    "field_sets",
    "headers",
    "list_spec",
    "list_specs",
    "national_sets",
    "permanence_chosen_values",
    "permanence_keys",
    "permanence_precedence",
    "prefix_synonyms",
    "reference_dir",
    "render",
    "validate_reference",
]

COLUMN_TYPES: tuple[str, ...] = ("id", "text", "date", "integer", "code", "postcode")

_LIST_ID = re.compile(r"^CS-[A-Z0-9]+(-[A-Z0-9]+)*$")
_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
_FIELD = re.compile(r"^ssd_[a-z0-9_]+\.[a-z0-9_]+$")


class ReferenceDataError(ValueError):
    """The package's reference data is malformed or inconsistent (a product defect, not LA data)."""


# --------------------------------------------------------------------------------------------
# Typed records


@dataclass(frozen=True)
class Code:
    """One code of an Annex A code list."""

    national: str
    string: str
    versions: tuple[str, ...] = VERSIONS
    render_2019: str | None = None  # later-only codes: string under 2019 (None = left out)
    note: str | None = None

    def valid_in(self, version: str) -> bool:
        return version in self.versions


@dataclass(frozen=True)
class CodeList:
    """An Annex A code list (e.g. ``CS-GENDER``), codes in Ofsted's order."""

    id: str
    title: str
    codes: tuple[Code, ...]
    national_set: str | None = None
    note: str | None = None

    def strings(self, version: str = "later") -> list[str]:
        """The code strings valid under ``version``, in order."""
        _check_version(version)
        return [c.string for c in self.codes if c.valid_in(version)]

    def nationals(self) -> list[str]:
        return [c.national for c in self.codes]

    def code(self, national: str) -> Code | None:
        for c in self.codes:
            if c.national == national:
                return c
        return None


@dataclass(frozen=True)
class ColumnSpec:
    """One column of one list under one version (overrides already applied)."""

    position: int  # 1-based position in the list under this version
    key: str
    header: str  # Ofsted layout, byte-exact
    liia_header: str  # regional layout; equals ``header`` unless annex_a §6.4 differs
    type: str  # id | text | date | integer | code | postcode
    codes: str | None  # code list id
    required: bool  # Blank? = N
    blank_when: str | None = None
    min: int | None = None
    max: int | None = None

    def header_for(self, layout: str = "ofsted") -> str:
        _check_layout(layout)
        return self.header if layout == "ofsted" else self.liia_header


@dataclass(frozen=True)
class ListSpec:
    """One Annex A list under one version."""

    number: int
    version: str
    sheet: str  # Ofsted layout sheet name (List_1)
    liia_sheet: str  # regional layout sheet name (List 1)
    title: str  # row 1 of the Ofsted layout
    grain: str
    sort: tuple[str, ...]  # column keys for the D27 row order
    columns: tuple[ColumnSpec, ...]

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def headers(self, layout: str = "ofsted") -> list[str]:
        return [c.header_for(layout) for c in self.columns]

    def sheet_for(self, layout: str = "ofsted") -> str:
        _check_layout(layout)
        return self.sheet if layout == "ofsted" else self.liia_sheet

    def column(self, key: str) -> ColumnSpec:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(f"list {self.number} ({self.version}) has no column {key!r}")


# --------------------------------------------------------------------------------------------
# Public API


def reference_dir() -> Path:
    """The folder holding the reference files (codes.yaml, national.yaml, lists.yaml, ...)."""
    return Path(__file__).resolve().parent


def code_lists() -> dict[str, CodeList]:
    """Every Annex A code list by id, in file order."""
    return dict(_load().code_lists)


def code_list(list_id: str) -> CodeList:
    try:
        return _load().code_lists[list_id]
    except KeyError:
        raise KeyError(f"unknown Annex A code list {list_id!r}") from None


def code_strings(list_id: str, version: str = "later") -> list[str]:
    """The code strings valid under ``version``, in Ofsted's order."""
    return code_list(list_id).strings(version)


def render(list_id: str, national_code: str, version: str = "later") -> str | None:
    """National code -> Annex A string under ``version``.

    A later-only code under 2019 gives its ``render_2019`` string (annex_a §7). ``None`` when the
    national code is not in the list, or when 2019 deliberately drops it (eligible child).
    """
    _check_version(version)
    code = code_list(list_id).code(national_code)
    if code is None:
        return None
    if code.valid_in(version):
        return code.string
    return code.render_2019 if version == "2019" else None


def national_sets() -> dict[str, list[str]]:
    """Stage-1 target sets: set name -> ordered national codes."""
    return {k: list(v) for k, v in _load().national_sets.items()}


def field_sets() -> dict[str, str]:
    """SSD ``table.column`` -> national set name, for every coded field."""
    return dict(_load().field_sets)


@functools.cache
def _feeds() -> dict[str, tuple[tuple[int, str], ...]]:
    f = "feeds.yaml"
    doc = _mapping(_read(f), f)
    fields = _load().field_sets
    missing = sorted(set(fields) - set(doc))
    if missing:
        raise _fail(f, f"every coded field says what it feeds; missing: {missing}")
    known = {(s.number, c.key) for v in VERSIONS for s in _load().lists[v] for c in s.columns}
    out: dict[str, tuple[tuple[int, str], ...]] = {}
    for field, dests in doc.items():
        if field not in fields:
            raise _fail(f"{f} {field}", "not a coded field of national.yaml")
        if not isinstance(dests, list):
            raise _fail(f"{f} {field}", "give a list of '<list>.<column key>'")
        parsed = []
        for d in dests:
            n, _, key = str(d).partition(".")
            if not n.isdigit() or (int(n), key) not in known:
                raise _fail(f"{f} {field}", f"no such list column: {d!r}")
            parsed.append((int(n), key))
        out[field] = tuple(parsed)
    return out


def field_feeds() -> dict[str, list[tuple[int, str]]]:
    """SSD ``table.column`` -> the (list number, column key) pairs its codes feed (feeds.yaml)."""
    return {k: list(v) for k, v in _feeds().items()}


def builtin_synonyms() -> dict[str, dict[str, str]]:
    """Product-level synonyms per set (raw value -> national code), applied before LA mappings."""
    return {k: dict(v) for k, v in _load().builtin_synonyms.items()}


def prefix_synonyms() -> dict[str, dict[str, str]]:
    """Product-level prefix rules per set: a raw value starting with the prefix -> national code."""
    return {k: dict(v) for k, v in _load().prefix_synonyms.items()}


def permanence_keys() -> dict[str, str]:
    """Care-plan JSON key -> CS-PERM national (product) code (source_contract §6.3)."""
    return dict(_load().permanence_keys)


def permanence_chosen_values() -> list[str]:
    """JSON values (upper case; compare case-insensitively) meaning a plan key is chosen."""
    return list(_load().permanence_chosen_values)


def permanence_precedence() -> list[str]:
    """CS-PERM codes in D22 order: the first chosen one wins when several are."""
    return list(_load().permanence_precedence)


def list_specs(version: str = "later") -> list[ListSpec]:
    """The eleven lists under ``version``, in list order."""
    _check_version(version)
    return list(_load().lists[version])


def list_spec(number: int, version: str = "later") -> ListSpec:
    _check_version(version)
    for spec in _load().lists[version]:
        if spec.number == number:
            return spec
    raise KeyError(f"no Annex A list {number!r} under version {version!r}")


def columns(number: int, version: str = "later") -> list[ColumnSpec]:
    """The ordered columns of one list under ``version``."""
    return list(list_spec(number, version).columns)


def headers(number: int, version: str = "later", layout: str = "ofsted") -> list[str]:
    """The exact header row of one list under ``version`` and ``layout`` (ofsted | liia)."""
    _check_layout(layout)
    return list_spec(number, version).headers(layout)


def validate_reference() -> None:
    """Load and check every reference file (raises ReferenceDataError on the first problem)."""
    _load()
    _feeds()


# --------------------------------------------------------------------------------------------
# Loading and validation


def _check_version(version: str) -> None:
    if version not in VERSIONS:
        raise ValueError(f"Annex A version must be one of {', '.join(VERSIONS)}: {version!r}")


def _check_layout(layout: str) -> None:
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}: {layout!r}")


# libyaml's C parser when PyYAML has it (10x faster; same safe constructors)
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_SafeBase):  # type: ignore[misc, valid-type]
    """SafeLoader that refuses duplicate mapping keys (plain PyYAML keeps the last silently)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise ReferenceDataError(
                f"duplicate key {key!r} at line {key_node.start_mark.line + 1}"
            )
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read(name: str) -> Any:
    path = reference_dir() / name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReferenceDataError(f"reference file missing: {path}") from None
    try:
        return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass
    except ReferenceDataError as exc:
        raise ReferenceDataError(f"{name}: {exc}") from None
    except yaml.YAMLError as exc:
        raise ReferenceDataError(f"{name} is not valid YAML: {exc}") from None


def _fail(where: str, msg: str) -> ReferenceDataError:
    return ReferenceDataError(f"{where}: {msg}")


def _mapping(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise _fail(where, f"expected a mapping, got {type(value).__name__}")
    return value


def _known_keys(
    entry: dict, allowed: set[str], where: str, required: frozenset[str] | set[str] = frozenset()
) -> None:
    unknown = set(entry) - allowed
    if unknown:
        raise _fail(
            where, f"unknown key(s) {sorted(map(str, unknown))}; allowed: {sorted(allowed)}"
        )
    missing = required - set(entry)
    if missing:
        raise _fail(where, f"missing key(s) {sorted(missing)}")


def _text(value: Any, where: str, *, strip: bool = True) -> str:
    """A non-empty string; YAML booleans and numbers are refused (quote them in the file)."""
    if not isinstance(value, str):
        raise _fail(
            where,
            f"expected a quoted string, got {type(value).__name__} {value!r} "
            "(quote it: YAML reads Yes/No/Y/N/1 as booleans or numbers)",
        )
    if not value or (strip and value != value.strip()):
        raise _fail(where, f"empty string or stray whitespace in {value!r}")
    return value


def _str_list(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not value:
        raise _fail(where, "expected a non-empty list")
    out = [_text(v, f"{where}[{i}]") for i, v in enumerate(value)]
    dupes = sorted({v for v in out if out.count(v) > 1})
    if dupes:
        raise _fail(where, f"duplicate entries {dupes}")
    return out


def _versions(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return VERSIONS
    if not isinstance(value, list) or not value:
        raise _fail(where, "versions must be a non-empty list")
    got = [str(v) for v in value]  # 2019 may be written unquoted
    bad = [v for v in got if v not in VERSIONS]
    if bad or len(set(got)) != len(got):
        raise _fail(where, f"versions must be distinct values of {list(VERSIONS)}: {value!r}")
    return tuple(v for v in VERSIONS if v in got)


@dataclass(frozen=True)
class _Reference:
    code_lists: dict[str, CodeList]
    national_sets: dict[str, tuple[str, ...]]
    field_sets: dict[str, str]
    builtin_synonyms: dict[str, dict[str, str]]
    prefix_synonyms: dict[str, dict[str, str]]
    permanence_keys: dict[str, str]
    permanence_chosen_values: tuple[str, ...]
    permanence_precedence: tuple[str, ...]
    lists: dict[str, tuple[ListSpec, ...]]


@functools.cache
def _load() -> _Reference:
    nat = _load_national(_read("national.yaml"))
    cls = _load_codes(_read("codes.yaml"), nat["national_sets"])
    perm = cls.get("CS-PERM")
    if perm is None:
        raise ReferenceDataError("codes.yaml: CS-PERM is missing (needed by permanence_keys)")
    perm_codes = set(perm.nationals())
    for key, code in nat["permanence_keys"].items():
        if code not in perm_codes:
            raise _fail(f"national.yaml permanence_keys.{key}", f"{code!r} is not a CS-PERM code")
    if sorted(nat["permanence_precedence"]) != sorted(perm_codes):
        raise _fail(
            "national.yaml permanence_precedence",
            f"must list every CS-PERM code exactly once: {sorted(perm_codes)}",
        )
    lists = _load_lists(_read("lists.yaml"), cls)
    return _Reference(code_lists=cls, lists=lists, **nat)


# --- national.yaml


def _load_national(doc: Any) -> dict[str, Any]:
    f = "national.yaml"
    doc = _mapping(doc, f)
    _known_keys(
        doc,
        {
            "sets",
            "fields",
            "builtin_synonyms",
            "prefix_synonyms",
            "permanence_keys",
            "permanence_chosen_values",
            "permanence_precedence",
        },
        f,
        required={"sets", "fields", "permanence_keys", "permanence_precedence"},
    )
    sets: dict[str, tuple[str, ...]] = {}
    for name, codes in _mapping(doc["sets"], f"{f} sets").items():
        if not isinstance(name, str) or not _SNAKE.match(name):
            raise _fail(f"{f} sets", f"set names are snake_case: {name!r}")
        sets[name] = tuple(_str_list(codes, f"{f} sets.{name}"))

    fields: dict[str, str] = {}
    for field, set_name in _mapping(doc["fields"], f"{f} fields").items():
        if not isinstance(field, str) or not _FIELD.match(field):
            raise _fail(f"{f} fields", f"expected an SSD table.column key: {field!r}")
        if set_name not in sets:
            raise _fail(f"{f} fields.{field}", f"unknown national set {set_name!r}")
        fields[field] = set_name

    def synonyms(section: str) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for set_name, table in _mapping(doc.get(section) or {}, f"{f} {section}").items():
            if set_name not in sets:
                raise _fail(f"{f} {section}", f"unknown national set {set_name!r}")
            out[set_name] = {}
            for raw, code in _mapping(table, f"{f} {section}.{set_name}").items():
                w = f"{f} {section}.{set_name}.{raw!r}"
                raw, code = _text(raw, w), _text(code, w)
                if code not in sets[set_name]:
                    raise _fail(w, f"{code!r} is not in the national set {set_name}")
                out[set_name][raw] = code
        return out

    pkeys = {
        _text(k, f"{f} permanence_keys"): _text(v, f"{f} permanence_keys.{k}")
        for k, v in _mapping(doc["permanence_keys"], f"{f} permanence_keys").items()
    }
    chosen = tuple(
        _str_list(doc.get("permanence_chosen_values") or ["Y"], f"{f} permanence_chosen_values")
    )
    return {
        "national_sets": sets,
        "field_sets": fields,
        "builtin_synonyms": synonyms("builtin_synonyms"),
        "prefix_synonyms": synonyms("prefix_synonyms"),
        "permanence_keys": pkeys,
        "permanence_chosen_values": chosen,
        "permanence_precedence": tuple(
            _str_list(doc["permanence_precedence"], f"{f} permanence_precedence")
        ),
    }


# --- codes.yaml


def _load_codes(doc: Any, sets: dict[str, tuple[str, ...]]) -> dict[str, CodeList]:
    f = "codes.yaml"
    out: dict[str, CodeList] = {}
    for list_id, entry in _mapping(doc, f).items():
        where = f"{f} {list_id}"
        if not isinstance(list_id, str) or not _LIST_ID.match(list_id):
            raise _fail(f, f"code list ids look like CS-GENDER: {list_id!r}")
        entry = _mapping(entry, where)
        _known_keys(
            entry, {"title", "national_set", "note", "codes"}, where, required={"title", "codes"}
        )
        raw_codes = entry["codes"]
        if not isinstance(raw_codes, list) or not raw_codes:
            raise _fail(where, "codes must be a non-empty list")
        codes = tuple(_load_code(c, f"{where} codes[{i}]") for i, c in enumerate(raw_codes))
        cl = CodeList(
            id=list_id,
            title=_text(entry["title"], f"{where} title"),
            codes=codes,
            national_set=entry.get("national_set"),
            note=entry.get("note"),
        )
        _check_code_list(cl, sets, where)
        out[list_id] = cl
    if not out:
        raise _fail(f, "no code lists")
    return out


def _load_code(entry: Any, where: str) -> Code:
    entry = _mapping(entry, where)
    _known_keys(
        entry,
        {"national", "string", "versions", "render_2019", "note"},
        where,
        required={"national", "string"},
    )
    versions = _versions(entry.get("versions"), f"{where} versions")
    national = _text(entry["national"], f"{where} national")
    if "later" not in versions:
        raise _fail(where, f"{national}: a 2019-only code is not supported")
    later_only = "2019" not in versions
    if later_only and "render_2019" not in entry:
        raise _fail(
            where,
            f"{national} exists only under later: give render_2019 "
            "(a 2019 string, or null to leave the row out)",
        )
    if not later_only and "render_2019" in entry:
        raise _fail(where, f"{national} is valid under 2019: render_2019 makes no sense")
    r = entry.get("render_2019")
    note = entry.get("note")
    return Code(
        national=national,
        string=_text(entry["string"], f"{where} string"),
        versions=versions,
        render_2019=None if r is None else _text(r, f"{where} render_2019"),
        note=None if note is None else _text(note, f"{where} note"),
    )


def _check_code_list(cl: CodeList, sets: dict[str, tuple[str, ...]], where: str) -> None:
    nationals = cl.nationals()
    dupes = sorted({n for n in nationals if nationals.count(n) > 1})
    if dupes:
        raise _fail(where, f"duplicate national codes {dupes}")
    for version in VERSIONS:
        strings = cl.strings(version)
        dupes = sorted({s for s in strings if strings.count(s) > 1})
        if dupes:
            raise _fail(where, f"duplicate code strings under {version}: {dupes}")
        if not strings:
            raise _fail(where, f"no codes valid under {version}")
    valid_2019 = set(cl.strings("2019"))
    for c in cl.codes:
        if c.render_2019 is not None and c.render_2019 not in valid_2019:
            raise _fail(
                where,
                f"{c.national} render_2019 {c.render_2019!r} is not a 2019 string of this list",
            )
    if cl.national_set is not None:
        if cl.national_set not in sets:
            raise _fail(where, f"unknown national_set {cl.national_set!r}")
        outside = [n for n in nationals if n not in sets[cl.national_set]]
        if outside:
            raise _fail(
                where, f"national codes {outside} are not in the national set {cl.national_set}"
            )


# --- lists.yaml

_LIST_KEYS = {"number", "sheet", "liia_sheet", "title", "grain", "sort", "versions", "columns"}
_COLUMN_KEYS = {
    "key",
    "header",
    "liia_header",
    "type",
    "codes",
    "required",
    "blank_when",
    "min",
    "max",
    "versions",
    "by_version",
}
_OVERRIDE_KEYS = {"header", "liia_header", "blank_when"}


def _load_lists(doc: Any, cls: dict[str, CodeList]) -> dict[str, tuple[ListSpec, ...]]:
    f = "lists.yaml"
    doc = _mapping(doc, f)
    _known_keys(doc, {"lists"}, f, required={"lists"})
    raw = doc["lists"]
    if not isinstance(raw, list) or not raw:
        raise _fail(f, "lists must be a non-empty list")
    numbers = [e.get("number") if isinstance(e, dict) else None for e in raw]
    if numbers != list(range(1, len(raw) + 1)):
        raise _fail(f, f"lists must be numbered 1..{len(raw)} in order, got {numbers}")
    out: dict[str, list[ListSpec]] = {v: [] for v in VERSIONS}
    for entry in raw:
        n = entry["number"]
        where = f"{f} list {n}"
        _known_keys(
            entry,
            _LIST_KEYS,
            where,
            required={"number", "sheet", "liia_sheet", "title", "grain", "sort", "columns"},
        )
        sheet = _text(entry["sheet"], f"{where} sheet")
        liia_sheet = _text(entry["liia_sheet"], f"{where} liia_sheet")
        if sheet != f"List_{n}" or liia_sheet != f"List {n}":
            raise _fail(where, f"sheets are List_{n} (ofsted) and 'List {n}' (liia)")
        title = _text(entry["title"], f"{where} title")
        if not title.startswith(f"List {n}: "):
            raise _fail(where, f"title must start 'List {n}: ': {title!r}")
        sort = tuple(_str_list(entry["sort"], f"{where} sort"))
        raw_cols = entry["columns"]
        if not isinstance(raw_cols, list) or not raw_cols:
            raise _fail(where, "columns must be a non-empty list")
        for i, col in enumerate(raw_cols):
            w = f"{where} column {i + 1}"
            _known_keys(
                _mapping(col, w), _COLUMN_KEYS, w, required={"key", "header", "type", "required"}
            )
        for version in _versions(entry.get("versions"), f"{where} versions"):
            cols = _resolve_columns(raw_cols, version, cls, f"{where} ({version})")
            spec = ListSpec(
                number=n,
                version=version,
                sheet=sheet,
                liia_sheet=liia_sheet,
                title=title,
                grain=_text(entry["grain"], f"{where} grain"),
                sort=sort,
                columns=cols,
            )
            _check_list(spec, f"{where} ({version})")
            out[version].append(spec)
    return {v: tuple(specs) for v, specs in out.items()}


def _resolve_columns(
    raw_cols: list[dict], version: str, cls: dict[str, CodeList], where: str
) -> tuple[ColumnSpec, ...]:
    out: list[ColumnSpec] = []
    for i, col in enumerate(raw_cols):
        w = f"{where} column {col.get('key', i + 1)!r}"
        if version not in _versions(col.get("versions"), f"{w} versions"):
            continue
        col = dict(col)
        overrides = _mapping(col.pop("by_version", None) or {}, f"{w} by_version")
        for v, ov in overrides.items():
            if str(v) not in VERSIONS:
                raise _fail(f"{w} by_version", f"unknown version {v!r}")
            _known_keys(_mapping(ov, f"{w} by_version.{v}"), _OVERRIDE_KEYS, f"{w} by_version.{v}")
            if str(v) == version:
                col.update(ov)
        out.append(_column(col, len(out) + 1, cls, w))
    return tuple(out)


def _column(col: dict, position: int, cls: dict[str, CodeList], where: str) -> ColumnSpec:
    key = col["key"]
    if not isinstance(key, str) or not _SNAKE.match(key):
        raise _fail(where, f"column keys are snake_case: {key!r}")
    header = _text(col["header"], f"{where} header", strip=False)
    liia = _text(col.get("liia_header", header), f"{where} liia_header", strip=False)
    for h in (header, liia):
        if h != h.lstrip() or "\n" in h or "  " in h:
            raise _fail(
                where, f"header has leading whitespace, a line break or a double space: {h!r}"
            )
    ctype = col["type"]
    if ctype not in COLUMN_TYPES:
        raise _fail(where, f"type must be one of {list(COLUMN_TYPES)}: {ctype!r}")
    codes = col.get("codes")
    if ctype == "code" and codes is None:
        raise _fail(where, "a code column names its code list (codes: CS-...)")
    if codes is not None:
        if ctype not in ("code", "text"):
            raise _fail(where, f"a {ctype} column cannot have a code list")
        if codes not in cls:
            raise _fail(where, f"unknown code list {codes!r}")
    required = col["required"]
    if not isinstance(required, bool):
        raise _fail(where, f"required must be true or false: {required!r}")
    blank_when = col.get("blank_when")
    if blank_when is not None:
        blank_when = _text(blank_when, f"{where} blank_when")
    if not required and blank_when is None:
        raise _fail(where, "a column that may be blank says why (blank_when)")
    bounds = {b: col.get(b) for b in ("min", "max")}
    for b, v in bounds.items():
        if v is None:
            continue
        if ctype != "integer":
            raise _fail(where, f"{b} is only for integer columns")
        if not isinstance(v, int) or isinstance(v, bool):
            raise _fail(where, f"{b} must be an integer: {v!r}")
    if ctype == "integer" and bounds["min"] is None:
        raise _fail(where, "integer columns give a min")
    if bounds["min"] is not None and bounds["max"] is not None and bounds["min"] > bounds["max"]:
        raise _fail(where, f"min {bounds['min']} > max {bounds['max']}")
    return ColumnSpec(
        position=position,
        key=key,
        header=header,
        liia_header=liia,
        type=ctype,
        codes=codes,
        required=required,
        blank_when=blank_when,
        min=bounds["min"],
        max=bounds["max"],
    )


def _check_list(spec: ListSpec, where: str) -> None:
    keys = spec.keys
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise _fail(where, f"duplicate column keys {dupes}")
    for layout in LAYOUTS:
        hs = spec.headers(layout)
        dupes = sorted({h for h in hs if hs.count(h) > 1})
        if dupes:
            raise _fail(where, f"duplicate {layout} headers {dupes}")
    unknown = [k for k in spec.sort if k not in keys]
    if unknown:
        raise _fail(where, f"sort names unknown column keys {unknown}")
