"""Geography (postcodes.csv): which local authority and UK nation each placement postcode lies in.

The one reader of the shipped lookup, for the build (List 8's placement LA and inside/outside
the authority) and the synthetic CMS (which only ever places children at postcodes in it).
"""

from __future__ import annotations

from annexa.reference.loader import load_postcodes
from annexa.reference.model import Postcode


def postcodes() -> list[Postcode]:
    """Every row of postcodes.csv, in file order (postcodes as written, e.g. ``"ZZ1 0ED"``)."""
    return list(load_postcodes())
