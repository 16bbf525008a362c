"""Strict YAML reading and the field checks every reference file shares.

PyYAML on its own keeps the last of two equal keys and reads ``Yes``/``No``/``1`` as booleans
and numbers without a word; reference data is reviewed like code, so both are refused here and
every message names the file and the entry.
"""

from __future__ import annotations

from typing import Any

import yaml

from annexa.core.constants import VERSIONS
from annexa.reference.model import ReferenceDataError

# libyaml's C parser when PyYAML has it (10x faster; same safe constructors)
FastSafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DuplicateKeyError(yaml.YAMLError):
    """A YAML mapping names the same key twice."""


class StrictLoader(FastSafeLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that refuses duplicate mapping keys (plain PyYAML keeps the last silently)."""


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise DuplicateKeyError(f"duplicate key {key!r} at line {key_node.start_mark.line + 1}")
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse_yaml(text: str, name: str) -> Any:
    """Parse ``text`` (the file ``name``) with :class:`StrictLoader` (a SafeLoader subclass)."""
    try:
        return yaml.load(text, Loader=StrictLoader)
    except DuplicateKeyError as exc:
        raise ReferenceDataError(f"{name}: {exc}") from None
    except yaml.YAMLError as exc:
        raise ReferenceDataError(f"{name} is not valid YAML: {exc}") from None


def fail(where: str, msg: str) -> ReferenceDataError:
    return ReferenceDataError(f"{where}: {msg}")


def mapping(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise fail(where, f"expected a mapping, got {type(value).__name__}")
    return value


def known_keys(
    entry: dict, allowed: set[str], where: str, required: frozenset[str] | set[str] = frozenset()
) -> None:
    """Refuse keys outside ``allowed`` (a typo would otherwise be ignored) and missing ones."""
    unknown = set(entry) - allowed
    if unknown:
        raise fail(where, f"unknown key(s) {sorted(map(str, unknown))}; allowed: {sorted(allowed)}")
    missing = required - set(entry)
    if missing:
        raise fail(where, f"missing key(s) {sorted(missing)}")


def text(value: Any, where: str, *, strip: bool = True) -> str:
    """A non-empty string; YAML booleans and numbers are refused (quote them in the file)."""
    if not isinstance(value, str):
        raise fail(
            where,
            f"expected a quoted string, got {type(value).__name__} {value!r} "
            "(quote it: YAML reads Yes/No/Y/N/1 as booleans or numbers)",
        )
    if not value or (strip and value != value.strip()):
        raise fail(where, f"empty string or stray whitespace in {value!r}")
    return value


def str_list(value: Any, where: str) -> list[str]:
    """A non-empty list of distinct strings."""
    if not isinstance(value, list) or not value:
        raise fail(where, "expected a non-empty list")
    out = [text(v, f"{where}[{i}]") for i, v in enumerate(value)]
    dupes = duplicates(out)
    if dupes:
        raise fail(where, f"duplicate entries {dupes}")
    return out


def versions(value: Any, where: str) -> tuple[str, ...]:
    """A ``versions:`` entry: omitted means every revision; the result is in VERSIONS order."""
    if value is None:
        return VERSIONS
    if not isinstance(value, list) or not value:
        raise fail(where, "versions must be a non-empty list")
    got = [str(v) for v in value]  # 2019 may be written unquoted
    bad = [v for v in got if v not in VERSIONS]
    if bad or len(set(got)) != len(got):
        raise fail(where, f"versions must be distinct values of {list(VERSIONS)}: {value!r}")
    return tuple(v for v in VERSIONS if v in got)


def duplicates(values: list[str]) -> list[str]:
    """The values that occur more than once, sorted."""
    return sorted({v for v in values if values.count(v) > 1})
