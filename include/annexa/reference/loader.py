"""Read and check the reference files once: national.yaml, codes.yaml, lists.yaml, feeds.yaml
and postcodes.csv.

Everything is loaded on first use (``functools.cache``) and checked on load; a malformed file, a
duplicate YAML key, an unquoted boolean, a column naming an unknown code list or a code outside
its national set raises :class:`ReferenceDataError` naming the file and the entry. The three
YAML files that depend on one another (national sets -> code lists -> list columns) load
together, so any accessor fails on any of them; feeds.yaml and postcodes.csv load on their own.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annexa.reference import checks as ck
from annexa.reference import schema
from annexa.reference.model import CodeList, ListSpec, Postcode, ReferenceDataError


def reference_dir() -> Path:
    """The folder holding the reference files (codes.yaml, national.yaml, lists.yaml, ...)."""
    return Path(__file__).resolve().parent


def _read(name: str) -> Any:
    path = reference_dir() / name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReferenceDataError(f"reference file missing: {path}") from None
    return ck.parse_yaml(text, name)


@dataclass(frozen=True)
class Reference:
    """national.yaml, codes.yaml and lists.yaml, loaded and checked against one another."""

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
def load() -> Reference:
    """The checked reference (cached; the accessors copy what they hand out)."""
    nat = schema.parse_national(_read("national.yaml"))
    cls = schema.parse_codes(_read("codes.yaml"), nat["national_sets"])
    perm = cls.get("CS-PERM")
    if perm is None:
        raise ReferenceDataError("codes.yaml: CS-PERM is missing (needed by permanence_keys)")
    perm_codes = set(perm.nationals())
    for key, code in nat["permanence_keys"].items():
        if code not in perm_codes:
            raise ck.fail(f"national.yaml permanence_keys.{key}", f"{code!r} is not a CS-PERM code")
    if sorted(nat["permanence_precedence"]) != sorted(perm_codes):
        raise ck.fail(
            "national.yaml permanence_precedence",
            f"must list every CS-PERM code exactly once: {sorted(perm_codes)}",
        )
    lists = schema.parse_lists(_read("lists.yaml"), cls)
    return Reference(code_lists=cls, lists=lists, **nat)


@functools.cache
def load_feeds() -> dict[str, tuple[tuple[int, str], ...]]:
    """feeds.yaml: SSD field -> the (list number, column key) pairs it feeds, checked."""
    doc = _read("feeds.yaml")
    ref = load()
    return schema.parse_feeds(doc, ref.field_sets, ref.lists)


@functools.cache
def load_postcodes() -> tuple[Postcode, ...]:
    """postcodes.csv: every placement postcode the product knows, in file order, checked."""
    path = reference_dir() / "postcodes.csv"
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
    except FileNotFoundError:
        raise ReferenceDataError(f"reference file missing: {path}") from None
    return schema.parse_postcodes(rows)


def clear_cache() -> None:
    """Forget what was loaded, so the next call reads the files again (tests that edit them)."""
    load.cache_clear()
    load_feeds.cache_clear()
    load_postcodes.cache_clear()


def validate_reference() -> None:
    """Load and check every reference file (raises ReferenceDataError on the first problem)."""
    load()
    load_feeds()
    load_postcodes()
