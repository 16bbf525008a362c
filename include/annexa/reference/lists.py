"""The eleven Annex A lists (lists.yaml): sheets, titles, row order and columns per revision."""

from __future__ import annotations

from annexa.reference.loader import load
from annexa.reference.model import ColumnSpec, ListSpec, check_layout, check_version


def list_specs(version: str = "later") -> list[ListSpec]:
    """The eleven lists under ``version``, in list order."""
    check_version(version)
    return list(load().lists[version])


def list_spec(number: int, version: str = "later") -> ListSpec:
    check_version(version)
    for spec in load().lists[version]:
        if spec.number == number:
            return spec
    raise KeyError(f"no Annex A list {number!r} under version {version!r}")


def columns(number: int, version: str = "later") -> list[ColumnSpec]:
    """The ordered columns of one list under ``version``."""
    return list(list_spec(number, version).columns)


def headers(number: int, version: str = "later", layout: str = "ofsted") -> list[str]:
    """The exact header row of one list under ``version`` and ``layout`` (ofsted | liia)."""
    check_layout(layout)
    return list_spec(number, version).headers(layout)
