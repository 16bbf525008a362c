"""The Annex A code lists (codes.yaml): national code -> exact Annex A string, per revision."""

from __future__ import annotations

from annexa.reference.loader import load
from annexa.reference.model import CodeList, check_version


def code_lists() -> dict[str, CodeList]:
    """Every Annex A code list by id, in file order."""
    return dict(load().code_lists)


def code_list(list_id: str) -> CodeList:
    try:
        return load().code_lists[list_id]
    except KeyError:
        raise KeyError(f"unknown Annex A code list {list_id!r}") from None


def code_strings(list_id: str, version: str = "later") -> list[str]:
    """The code strings valid under ``version``, in Ofsted's order."""
    return code_list(list_id).strings(version)


def render(list_id: str, national_code: str, version: str = "later") -> str | None:
    """National code -> Annex A string under ``version``.

    A later-only code under 2019 gives its ``render_2019`` string (annex_a §7). ``None`` when the
    national code is not in the list, or when 2019 deliberately drops it (eligible child).
    """
    check_version(version)
    code = code_list(list_id).code(national_code)
    if code is None:
        return None
    if code.valid_in(version):
        return code.string
    return code.render_2019 if version == "2019" else None
