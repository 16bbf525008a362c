"""The rules each reference file obeys: national.yaml, codes.yaml, lists.yaml, feeds.yaml and
postcodes.csv.

Each ``parse_*`` turns one parsed file into typed records, checking every entry on the way
(unknown keys, quoting, uniqueness, code lists and national sets that must exist); the
cross-file checks and the caching are :mod:`annexa.reference.loader`'s.
"""

from __future__ import annotations

import re
from typing import Any

from annexa.core.constants import LAYOUTS, VERSIONS
from annexa.reference import checks as ck
from annexa.reference.model import COLUMN_TYPES, Code, CodeList, ColumnSpec, ListSpec, Postcode

_LIST_ID = re.compile(r"^CS-[A-Z0-9]+(-[A-Z0-9]+)*$")
_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
_FIELD = re.compile(r"^ssd_[a-z0-9_]+\.[a-z0-9_]+$")


# --------------------------------------------------------------------------------------------
# national.yaml


def parse_national(doc: Any) -> dict[str, Any]:
    f = "national.yaml"
    doc = ck.mapping(doc, f)
    ck.known_keys(
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
    for name, codes in ck.mapping(doc["sets"], f"{f} sets").items():
        if not isinstance(name, str) or not _SNAKE.match(name):
            raise ck.fail(f"{f} sets", f"set names are snake_case: {name!r}")
        sets[name] = tuple(ck.str_list(codes, f"{f} sets.{name}"))

    fields: dict[str, str] = {}
    for field, set_name in ck.mapping(doc["fields"], f"{f} fields").items():
        if not isinstance(field, str) or not _FIELD.match(field):
            raise ck.fail(f"{f} fields", f"expected an SSD table.column key: {field!r}")
        if set_name not in sets:
            raise ck.fail(f"{f} fields.{field}", f"unknown national set {set_name!r}")
        fields[field] = set_name

    def synonyms(section: str) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for set_name, table in ck.mapping(doc.get(section) or {}, f"{f} {section}").items():
            if set_name not in sets:
                raise ck.fail(f"{f} {section}", f"unknown national set {set_name!r}")
            out[set_name] = {}
            for raw, code in ck.mapping(table, f"{f} {section}.{set_name}").items():
                w = f"{f} {section}.{set_name}.{raw!r}"
                raw, code = ck.text(raw, w), ck.text(code, w)
                if code not in sets[set_name]:
                    raise ck.fail(w, f"{code!r} is not in the national set {set_name}")
                out[set_name][raw] = code
        return out

    pkeys = {
        ck.text(k, f"{f} permanence_keys"): ck.text(v, f"{f} permanence_keys.{k}")
        for k, v in ck.mapping(doc["permanence_keys"], f"{f} permanence_keys").items()
    }
    chosen = tuple(
        ck.str_list(doc.get("permanence_chosen_values") or ["Y"], f"{f} permanence_chosen_values")
    )
    return {
        "national_sets": sets,
        "field_sets": fields,
        "builtin_synonyms": synonyms("builtin_synonyms"),
        "prefix_synonyms": synonyms("prefix_synonyms"),
        "permanence_keys": pkeys,
        "permanence_chosen_values": chosen,
        "permanence_precedence": tuple(
            ck.str_list(doc["permanence_precedence"], f"{f} permanence_precedence")
        ),
    }


# --------------------------------------------------------------------------------------------
# codes.yaml


def parse_codes(doc: Any, sets: dict[str, tuple[str, ...]]) -> dict[str, CodeList]:
    f = "codes.yaml"
    out: dict[str, CodeList] = {}
    for list_id, entry in ck.mapping(doc, f).items():
        where = f"{f} {list_id}"
        if not isinstance(list_id, str) or not _LIST_ID.match(list_id):
            raise ck.fail(f, f"code list ids look like CS-GENDER: {list_id!r}")
        entry = ck.mapping(entry, where)
        ck.known_keys(
            entry, {"title", "national_set", "note", "codes"}, where, required={"title", "codes"}
        )
        raw_codes = entry["codes"]
        if not isinstance(raw_codes, list) or not raw_codes:
            raise ck.fail(where, "codes must be a non-empty list")
        codes = tuple(_load_code(c, f"{where} codes[{i}]") for i, c in enumerate(raw_codes))
        cl = CodeList(
            id=list_id,
            title=ck.text(entry["title"], f"{where} title"),
            codes=codes,
            national_set=entry.get("national_set"),
            note=entry.get("note"),
        )
        _check_code_list(cl, sets, where)
        out[list_id] = cl
    if not out:
        raise ck.fail(f, "no code lists")
    return out


def _load_code(entry: Any, where: str) -> Code:
    entry = ck.mapping(entry, where)
    ck.known_keys(
        entry,
        {"national", "string", "versions", "render_2019", "note"},
        where,
        required={"national", "string"},
    )
    versions = ck.versions(entry.get("versions"), f"{where} versions")
    national = ck.text(entry["national"], f"{where} national")
    if "later" not in versions:
        raise ck.fail(where, f"{national}: a 2019-only code is not supported")
    later_only = "2019" not in versions
    if later_only and "render_2019" not in entry:
        raise ck.fail(
            where,
            f"{national} exists only under later: give render_2019 "
            "(a 2019 string, or null to leave the row out)",
        )
    if not later_only and "render_2019" in entry:
        raise ck.fail(where, f"{national} is valid under 2019: render_2019 makes no sense")
    r = entry.get("render_2019")
    note = entry.get("note")
    return Code(
        national=national,
        string=ck.text(entry["string"], f"{where} string"),
        versions=versions,
        render_2019=None if r is None else ck.text(r, f"{where} render_2019"),
        note=None if note is None else ck.text(note, f"{where} note"),
    )


def _check_code_list(cl: CodeList, sets: dict[str, tuple[str, ...]], where: str) -> None:
    nationals = cl.nationals()
    dupes = ck.duplicates(nationals)
    if dupes:
        raise ck.fail(where, f"duplicate national codes {dupes}")
    for version in VERSIONS:
        strings = cl.strings(version)
        dupes = ck.duplicates(strings)
        if dupes:
            raise ck.fail(where, f"duplicate code strings under {version}: {dupes}")
        if not strings:
            raise ck.fail(where, f"no codes valid under {version}")
    valid_2019 = set(cl.strings("2019"))
    for c in cl.codes:
        if c.render_2019 is not None and c.render_2019 not in valid_2019:
            raise ck.fail(
                where,
                f"{c.national} render_2019 {c.render_2019!r} is not a 2019 string of this list",
            )
    if cl.national_set is not None:
        if cl.national_set not in sets:
            raise ck.fail(where, f"unknown national_set {cl.national_set!r}")
        outside = [n for n in nationals if n not in sets[cl.national_set]]
        if outside:
            raise ck.fail(
                where, f"national codes {outside} are not in the national set {cl.national_set}"
            )


# --------------------------------------------------------------------------------------------
# lists.yaml

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


def parse_lists(doc: Any, cls: dict[str, CodeList]) -> dict[str, tuple[ListSpec, ...]]:
    f = "lists.yaml"
    doc = ck.mapping(doc, f)
    ck.known_keys(doc, {"lists"}, f, required={"lists"})
    raw = doc["lists"]
    if not isinstance(raw, list) or not raw:
        raise ck.fail(f, "lists must be a non-empty list")
    numbers = [e.get("number") if isinstance(e, dict) else None for e in raw]
    if numbers != list(range(1, len(raw) + 1)):
        raise ck.fail(f, f"lists must be numbered 1..{len(raw)} in order, got {numbers}")
    out: dict[str, list[ListSpec]] = {v: [] for v in VERSIONS}
    for entry in raw:
        n = entry["number"]
        where = f"{f} list {n}"
        ck.known_keys(
            entry,
            _LIST_KEYS,
            where,
            required={"number", "sheet", "liia_sheet", "title", "grain", "sort", "columns"},
        )
        sheet = ck.text(entry["sheet"], f"{where} sheet")
        liia_sheet = ck.text(entry["liia_sheet"], f"{where} liia_sheet")
        if sheet != f"List_{n}" or liia_sheet != f"List {n}":
            raise ck.fail(where, f"sheets are List_{n} (ofsted) and 'List {n}' (liia)")
        title = ck.text(entry["title"], f"{where} title")
        if not title.startswith(f"List {n}: "):
            raise ck.fail(where, f"title must start 'List {n}: ': {title!r}")
        sort = tuple(ck.str_list(entry["sort"], f"{where} sort"))
        raw_cols = entry["columns"]
        if not isinstance(raw_cols, list) or not raw_cols:
            raise ck.fail(where, "columns must be a non-empty list")
        for i, col in enumerate(raw_cols):
            w = f"{where} column {i + 1}"
            ck.known_keys(
                ck.mapping(col, w), _COLUMN_KEYS, w, required={"key", "header", "type", "required"}
            )
        for version in ck.versions(entry.get("versions"), f"{where} versions"):
            cols = _resolve_columns(raw_cols, version, cls, f"{where} ({version})")
            spec = ListSpec(
                number=n,
                version=version,
                sheet=sheet,
                liia_sheet=liia_sheet,
                title=title,
                grain=ck.text(entry["grain"], f"{where} grain"),
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
        if version not in ck.versions(col.get("versions"), f"{w} versions"):
            continue
        col = dict(col)
        overrides = ck.mapping(col.pop("by_version", None) or {}, f"{w} by_version")
        for v, ov in overrides.items():
            if str(v) not in VERSIONS:
                raise ck.fail(f"{w} by_version", f"unknown version {v!r}")
            ck.known_keys(
                ck.mapping(ov, f"{w} by_version.{v}"), _OVERRIDE_KEYS, f"{w} by_version.{v}"
            )
            if str(v) == version:
                col.update(ov)
        out.append(_column(col, len(out) + 1, cls, w))
    return tuple(out)


def _column(col: dict, position: int, cls: dict[str, CodeList], where: str) -> ColumnSpec:
    key = col["key"]
    if not isinstance(key, str) or not _SNAKE.match(key):
        raise ck.fail(where, f"column keys are snake_case: {key!r}")
    header = ck.text(col["header"], f"{where} header", strip=False)
    liia = ck.text(col.get("liia_header", header), f"{where} liia_header", strip=False)
    for h in (header, liia):
        if h != h.lstrip() or "\n" in h or "  " in h:
            raise ck.fail(
                where, f"header has leading whitespace, a line break or a double space: {h!r}"
            )
    ctype = col["type"]
    if ctype not in COLUMN_TYPES:
        raise ck.fail(where, f"type must be one of {list(COLUMN_TYPES)}: {ctype!r}")
    codes = col.get("codes")
    if ctype == "code" and codes is None:
        raise ck.fail(where, "a code column names its code list (codes: CS-...)")
    if codes is not None:
        if ctype not in ("code", "text"):
            raise ck.fail(where, f"a {ctype} column cannot have a code list")
        if codes not in cls:
            raise ck.fail(where, f"unknown code list {codes!r}")
    required = col["required"]
    if not isinstance(required, bool):
        raise ck.fail(where, f"required must be true or false: {required!r}")
    blank_when = col.get("blank_when")
    if blank_when is not None:
        blank_when = ck.text(blank_when, f"{where} blank_when")
    if not required and blank_when is None:
        raise ck.fail(where, "a column that may be blank says why (blank_when)")
    bounds = {b: col.get(b) for b in ("min", "max")}
    for b, v in bounds.items():
        if v is None:
            continue
        if ctype != "integer":
            raise ck.fail(where, f"{b} is only for integer columns")
        if not isinstance(v, int) or isinstance(v, bool):
            raise ck.fail(where, f"{b} must be an integer: {v!r}")
    if ctype == "integer" and bounds["min"] is None:
        raise ck.fail(where, "integer columns give a min")
    if bounds["min"] is not None and bounds["max"] is not None and bounds["min"] > bounds["max"]:
        raise ck.fail(where, f"min {bounds['min']} > max {bounds['max']}")
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
    dupes = ck.duplicates(keys)
    if dupes:
        raise ck.fail(where, f"duplicate column keys {dupes}")
    for layout in LAYOUTS:
        hs = spec.headers(layout)
        dupes = ck.duplicates(hs)
        if dupes:
            raise ck.fail(where, f"duplicate {layout} headers {dupes}")
    unknown = [k for k in spec.sort if k not in keys]
    if unknown:
        raise ck.fail(where, f"sort names unknown column keys {unknown}")


# --------------------------------------------------------------------------------------------
# feeds.yaml


def parse_feeds(
    doc: Any, fields: dict[str, str], lists: dict[str, tuple[ListSpec, ...]]
) -> dict[str, tuple[tuple[int, str], ...]]:
    """Every coded field of national.yaml names the list columns it feeds, and they exist."""
    f = "feeds.yaml"
    doc = ck.mapping(doc, f)
    missing = sorted(set(fields) - set(doc))
    if missing:
        raise ck.fail(f, f"every coded field says what it feeds; missing: {missing}")
    known = {(s.number, c.key) for v in VERSIONS for s in lists[v] for c in s.columns}
    out: dict[str, tuple[tuple[int, str], ...]] = {}
    for field, dests in doc.items():
        if field not in fields:
            raise ck.fail(f"{f} {field}", "not a coded field of national.yaml")
        if not isinstance(dests, list):
            raise ck.fail(f"{f} {field}", "give a list of '<list>.<column key>'")
        parsed = []
        for d in dests:
            n, _, key = str(d).partition(".")
            if not n.isdigit() or (int(n), key) not in known:
                raise ck.fail(f"{f} {field}", f"no such list column: {d!r}")
            parsed.append((int(n), key))
        out[field] = tuple(parsed)
    return out


# --------------------------------------------------------------------------------------------
# postcodes.csv

_POSTCODE_COLUMNS = ["postcode", "la_code", "la_name", "country"]
_COUNTRIES = ("England", "Wales", "Scotland", "Northern Ireland")


def parse_postcodes(rows: list[list[str]]) -> tuple[Postcode, ...]:
    """The CSV's rows (header first), checked: four filled fields, a UK nation, each postcode
    once and one name per authority.
    """
    f = "postcodes.csv"
    if not rows or rows[0] != _POSTCODE_COLUMNS:
        raise ck.fail(f, f"the header row must be {','.join(_POSTCODE_COLUMNS)}")
    out: list[Postcode] = []
    seen: set[str] = set()  # postcodes, upper case without spaces (the build's lookup key)
    names: dict[str, str] = {}  # la_code -> la_name: List 8 prints one name per authority
    for line, row in enumerate(rows[1:], start=2):
        where = f"{f} line {line}"
        if len(row) != len(_POSTCODE_COLUMNS):
            raise ck.fail(where, f"expected {len(_POSTCODE_COLUMNS)} fields, got {len(row)}")
        pc = Postcode(*(ck.text(v, where) for v in row))
        if pc.country not in _COUNTRIES:
            raise ck.fail(where, f"country must be one of {list(_COUNTRIES)}: {pc.country!r}")
        key = "".join(pc.postcode.upper().split())
        if key in seen:
            raise ck.fail(where, f"duplicate postcode {pc.postcode!r}")
        seen.add(key)
        if names.setdefault(pc.la_code, pc.la_name) != pc.la_name:
            raise ck.fail(
                where, f"LA {pc.la_code} is named both {names[pc.la_code]!r} and {pc.la_name!r}"
            )
        out.append(pc)
    return tuple(out)
