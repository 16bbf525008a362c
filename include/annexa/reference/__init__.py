"""Reference data: Annex A code lists, national code sets and list layouts (reviewed like code).

The files beside this module hold every code and layout fact the product uses; nothing else in
the package spells out a code string or a header:

* ``codes.yaml``: the Annex A code lists (spec annex_a.md §4, §7): national code -> exact Annex A
  string per revision, with the 2019 renderings of later-only codes (D11, D12).
* ``national.yaml``: the national code sets stage 1 of the mapping targets, which SSD field maps
  to which set, product-level synonyms, and the permanence-plan keys and precedence
  (source_contract.md §6.2, §6.3; annex_a D22); ``feeds.yaml``: which list columns each coded
  field feeds.
* ``lists.yaml``: the eleven lists: sheet names, titles, grain, row order and every column with
  its exact header per layout, type, code list, blank rule and bounds (annex_a.md §5, §6).
* ``postcodes.csv``: placement postcodes with their local authority and UK nation.
* ``population.csv``: the 0-17 population by single year of age (ONS mid-year estimates; the
  synthetic LA 999 only; an LA names its own with ``ANNEXA_POPULATION``) for rates per 10,000.

Use it as ``from annexa import reference; reference.list_spec(8)``. The modules: ``model``
(the records), ``checks`` (strict YAML, field checks), ``schema`` (each file's rules),
``loader`` (read once, cross-file checks), and the accessors ``codes``, ``lists``, ``national``
and ``geography``. Versions are the strings ``"later"`` (default) and ``"2019"``; layouts are
``"ofsted"`` (default) and ``"liia"`` (both from :mod:`annexa.core.constants`).
"""

from __future__ import annotations

from annexa.core.constants import LAYOUTS, VERSIONS
from annexa.reference.codes import code_list, code_lists, code_strings, render
from annexa.reference.geography import postcodes
from annexa.reference.lists import columns, headers, list_spec, list_specs
from annexa.reference.loader import reference_dir, validate_reference
from annexa.reference.model import (
    COLUMN_TYPES,
    Code,
    CodeList,
    ColumnSpec,
    ListSpec,
    Postcode,
    ReferenceDataError,
)
from annexa.reference.national import (
    builtin_synonyms,
    field_feeds,
    field_sets,
    national_sets,
    permanence_chosen_values,
    permanence_keys,
    permanence_precedence,
    prefix_synonyms,
)
from annexa.reference.population import population_0_17, population_by_age, population_file

__all__ = [
    "COLUMN_TYPES",
    "LAYOUTS",
    "VERSIONS",
    "Code",
    "CodeList",
    "ColumnSpec",
    "ListSpec",
    "Postcode",
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
    "population_0_17",
    "population_by_age",
    "population_file",
    "permanence_keys",
    "permanence_precedence",
    "postcodes",
    "prefix_synonyms",
    "reference_dir",
    "render",
    "validate_reference",
]
