"""The typed records the reference files load into: code lists and list layouts.

Frozen dataclasses, so the loaded reference can be shared by every caller without copying; the
accessors hand out fresh lists and dicts of them. Versions and layouts are those of
:mod:`annexa.core.constants`.
"""

from __future__ import annotations

from dataclasses import dataclass

from annexa.core.constants import LAYOUTS, VERSIONS

#: The kinds of cell a list column holds (lists.yaml ``type``).
COLUMN_TYPES: tuple[str, ...] = ("id", "text", "date", "integer", "code", "postcode")


class ReferenceDataError(ValueError):
    """The package's reference data is malformed or inconsistent (a product defect, not LA data)."""


def check_version(version: str) -> None:
    """Refuse an Annex A revision the product does not know (a caller's mistake, not data)."""
    if version not in VERSIONS:
        raise ValueError(f"Annex A version must be one of {', '.join(VERSIONS)}: {version!r}")


def check_layout(layout: str) -> None:
    """Refuse a workbook layout the product does not know."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}: {layout!r}")


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
        check_version(version)
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
        check_layout(layout)
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
        check_layout(layout)
        return self.sheet if layout == "ofsted" else self.liia_sheet

    def column(self, key: str) -> ColumnSpec:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(f"list {self.number} ({self.version}) has no column {key!r}")


@dataclass(frozen=True)
class Postcode:
    """One row of postcodes.csv: a placement postcode and the authority it lies in."""

    postcode: str  # as written in the file ("ZZ1 0ED")
    la_code: str
    la_name: str
    country: str  # England | Wales | Scotland | Northern Ireland
