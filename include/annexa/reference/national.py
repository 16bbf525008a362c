"""Stage 1 of the code mapping (national.yaml, feeds.yaml): the national code sets, which SSD
field maps to which set, product-level synonyms, the permanence-plan keys, and which list
columns each coded field feeds (source_contract.md §6.2, §6.3; annex_a D22).
"""

from __future__ import annotations

from annexa.reference.loader import load, load_feeds


def national_sets() -> dict[str, list[str]]:
    """Stage-1 target sets: set name -> ordered national codes."""
    return {k: list(v) for k, v in load().national_sets.items()}


def field_sets() -> dict[str, str]:
    """SSD ``table.column`` -> national set name, for every coded field."""
    return dict(load().field_sets)


def field_feeds() -> dict[str, list[tuple[int, str]]]:
    """SSD ``table.column`` -> the (list number, column key) pairs its codes feed (feeds.yaml)."""
    return {k: list(v) for k, v in load_feeds().items()}


def builtin_synonyms() -> dict[str, dict[str, str]]:
    """Product-level synonyms per set (raw value -> national code), applied before LA mappings."""
    return {k: dict(v) for k, v in load().builtin_synonyms.items()}


def prefix_synonyms() -> dict[str, dict[str, str]]:
    """Product-level prefix rules per set: a raw value starting with the prefix -> national code."""
    return {k: dict(v) for k, v in load().prefix_synonyms.items()}


def permanence_keys() -> dict[str, str]:
    """Care-plan JSON key -> CS-PERM national (product) code (source_contract §6.3)."""
    return dict(load().permanence_keys)


def permanence_chosen_values() -> list[str]:
    """JSON values (upper case; compare case-insensitively) meaning a plan key is chosen."""
    return list(load().permanence_chosen_values)


def permanence_precedence() -> list[str]:
    """CS-PERM codes in D22 order: the first chosen one wins when several are."""
    return list(load().permanence_precedence)
