"""Conventions declared once: the product's time zone, Annex A revisions, workbook layouts and
CMS builds."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

#: Every calendar date the product derives (the as-at day of a scheduled run, "today" for
#: waivers and extraction) is a London date: LAs work, and Ofsted inspects, on London time.
TIMEZONE = "Europe/London"
LONDON = ZoneInfo(TIMEZONE)

#: Annex A revisions: the later one (default; spec/README.md decision 1) and August 2019.
VERSIONS: tuple[str, ...] = ("later", "2019")
DEFAULT_VERSION = "later"

#: Workbook layouts: Ofsted's own, and the LIIA regional one.
LAYOUTS: tuple[str, ...] = ("ofsted", "liia")
DEFAULT_LAYOUT = "ofsted"

#: CMS builds whose SSD column names differ (annexa.source.contract.ALIASES); None = the SSD's.
CMS_BUILDS: tuple[str, ...] = ("liquidlogic", "mosaic", "eclipse")


def london_date(moment: dt.datetime) -> dt.date:
    """The London calendar date of a moment (a naive moment is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(LONDON).date()


def today_london() -> dt.date:
    """Today's date in London (for waiver expiry and run defaults, never inside list logic)."""
    return dt.datetime.now(LONDON).date()
