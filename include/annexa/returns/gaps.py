"""DfE rules that the SSD cannot satisfy: they fire because an item the census or the 903 asks
for is not in the Standard Safeguarding Dataset, so the product leaves it blank (never invents
it). These are reported as warnings ("gap"), with the missing item, and do not block
publication; every other DfE rule that fires is an error (CIN queries, codes ending in Q, are
warnings too). docs/statutory_returns.md lists the same items. A rule belongs here only when the
missing item alone makes it fire on clean data; a rule that checks SSD-supplied items too stays
an error.
"""

from __future__ import annotations

# (return, rule code) -> the SSD gap that makes it fire
GAPS: dict[tuple[str, str], str] = {
    ("903", "167"): "review participation (REVIEW_CODE) is not in the SSD",
    ("903", "442"): "UPN is not in the SSD",
    ("903", "393"): "the mother indicator (MOTHER) is not in the SSD",
    ("903", "607"): "the mother indicator (MOTHER) is not in the SSD",
    ("903", "630"): "previous permanence (PREV_PERM, LA_PERM, DATE_PERM) is not in the SSD",
    ("903", "392a"): "the child's home postcode (HOME_POST) is not in the SSD: no distance",
    ("903", "392b"): "the child's home postcode (HOME_POST) is not in the SSD",
    ("903", "182"): "OC2 immunisations, substance misuse and convictions are not in the SSD",
    ("903", "191"): "OC2 immunisations, substance misuse and convictions are not in the SSD",
    ("903", "547"): "OC2 immunisations and substance misuse are not in the SSD",
    ("903", "186"): "the SDQ score and reason are not in the SSD",
    ("903", "197B"): "the SDQ score and reason are not in the SSD",
    ("903", "545"): "the under-5s' health promotion check (HEALTH_CHECK) is not in the SSD",
    ("903", "543"): "convictions (CONVICTED) are not in the SSD",
    ("903", "601"): "the adopters' legal status (LS_ADOPTR) is not in the SSD",
    ("903", "151"): "the adopters' legal status (LS_ADOPTR) is not in the SSD",
}

# The synthetic LA (code 999, "Synthshire") is fictional: its postcodes are ZZ codes that DfE's
# postcode lookup cannot place, so the rules that derive the placement's LA, location and distance
# from PL_POST fire on every placement. For that LA only, they are warnings; for a real LA they are
# errors like any other.
SYNTHETIC_LA = "999"
FICTIONAL_POSTCODES: dict[tuple[str, str], str] = {
    ("903", "392c"): "the synthetic LA's postcodes are fictional (ZZ): DfE cannot look them up",
    ("903", "169"): "the synthetic LA's postcodes are fictional (ZZ): no LA of placement",
    ("903", "179"): "the synthetic LA's postcodes are fictional (ZZ): no placement location",
    ("903", "1015"): "the synthetic LA's postcodes are fictional (ZZ): no LA of placement",
    # DfE's 241 as the package runs it compares a K3 placement's LA (from PL_POST) with the
    # reporting LA's ONS code, which the fictional LA does not have
    ("903", "241"): "the synthetic LA has no ONS code and fictional postcodes: no LA to compare",
}


def gap(kind: str, rule: str, la_code: str | None = None) -> str | None:
    if la_code == SYNTHETIC_LA and (kind, rule) in FICTIONAL_POSTCODES:
        return FICTIONAL_POSTCODES[(kind, rule)]
    return GAPS.get((kind, rule))
