"""Code sets and CMS renderings used by the synthetic CMS (spec source_contract.md §6, §7).

Why a separate module: the messy renderer turns the national codes the model draws into the
descriptions a Liquidlogic SSD build holds. ``synthetic_messy.yaml`` maps every rendering here back
to its national code; the unit tests check the round trip, so the two cannot drift apart. How
often each code is drawn is calibration, so those shares live in ``params.yaml`` (``codes:``).
"""

from __future__ import annotations

import csv
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Generic, TypeVar

from annexa.core.paths import PACKAGE_DIR

T = TypeVar("T")

LA_CODE = "999"
LA_NAME = "Synthshire"


@dataclass(frozen=True)
class Weighted(Generic[T]):
    """A weighted choice table: draw with ``pick(rng.random())`` (one uniform, no allocation)."""

    items: tuple[T, ...]
    cum: tuple[float, ...]

    @classmethod
    def of(cls, pairs: list[tuple[T, float]]) -> Weighted[T]:
        items = tuple(p[0] for p in pairs)
        cum = tuple(accumulate(float(p[1]) for p in pairs))
        total = cum[-1]
        return cls(items, tuple(c / total for c in cum))

    def pick(self, u: float) -> T:
        i = bisect(self.cum, u)
        return self.items[i if i < len(self.items) else -1]


# --- person ---------------------------------------------------------------------------------


# --- front door -----------------------------------------------------------------------------

# contacts that never become referrals: more police notifications and anonymous calls
SOURCE_DESC = {
    "1A": "Individual - family member, relative or carer",
    "1B": "Individual - acquaintance",
    "1C": "Individual - self",
    "1D": "Individual - other",
    "2A": "Schools",
    "2B": "Education services",
    "3A": "Health services - GP",
    "3B": "Health services - health visitor",
    "3C": "Health services - school nurse",
    "3D": "Health services - other primary health services",
    "3E": "Health services - A&E",
    "3F": "Health services - other",
    "4": "Housing",
    "5A": "LA services - social care",
    "5B": "LA services - other internal",
    "5C": "LA services - external",
    "5D": "LA services - early help",
    "6": "Police",
    "7": "Other legal agency",
    "8": "Other",
    "9": "Anonymous",
    "10": "Unknown",
}
# the short suffix a CMS code list appends to the code ("3A GP"); leading token = the code
SOURCE_SUFFIX = {
    "1A": "Family member",
    "1B": "Acquaintance",
    "1C": "Self",
    "1D": "Other individual",
    "2A": "Schools",
    "2B": "Education services",
    "3A": "GP",
    "3B": "Health visitor",
    "3C": "School nurse",
    "3D": "Other primary health",
    "3E": "A&E",
    "3F": "Other health",
    "4": "Housing",
    "5A": "Social care",
    "5B": "Other internal",
    "5C": "External LA",
    "5D": "Early help",
    "6": "Police",
    "7": "Legal agency",
    "8": "Other",
    "9": "Anonymous",
    "10": "Unknown",
}

EARLY_HELP_ORGS = (
    "Synthshire Family Help - North Hub",
    "Synthshire Family Help - South Hub",
    "Synthshire Family Help - Central Hub",
    "Synthshire Youth Service",
    "Synthshire Health Visiting Service",
    "Brightwater Children's Centre",
    "Greenbank Primary School",
    "Hollowmere Academy",
    "Synthshire School Nursing Service",
    "Ashby Vale Community Trust",
)

# --- children in need -----------------------------------------------------------------------

NEED_DESC = {
    "N0": "Not stated",
    "N1": "Abuse or neglect",
    "N2": "Child's disability",
    "N3": "Parental disability or illness",
    "N4": "Family in acute stress",
    "N5": "Family dysfunction",
    "N6": "Socially unacceptable behaviour",
    "N7": "Low income",
    "N8": "Absent parenting",
    "N9": "Cases other than children in need",
}
CLOSURE_DESC = {
    "RC1": "Adopted",
    "RC2": "Died",
    "RC3": "Child arrangements order",
    "RC4": "Special guardianship order",
    "RC5": "Transferred to services of another local authority",
    "RC6": "Transferred to adult social care services",
    "RC7": "Services ceased for any other reason, including child no longer in need",
    "RC8": "Case closed after assessment, no further action",
    "RC9": "Case closed after assessment, referred to early help",
}
ABUSE_DESC = {
    "NEG": "Neglect",
    "PHY": "Physical abuse",
    "SAB": "Sexual abuse",
    "EMO": "Emotional abuse",
    "MUL": "Multiple/not recommended",
}

# --- looked after ---------------------------------------------------------------------------

LEGAL_DESC = {
    "C1": "Interim care order Sec. 38(1)",
    "C2": "Care Order Sec. 31(a)",
    "D1": "Freeing Order Sec. 18",
    "E1": "Placement Order (Sec. 21)",
    "V2": "Single placement acc. by LA S20(1) CA under 16",
    "V3": "Accommodated under an agreed series of short term breaks - episodes",
    "V4": "Accommodated under an agreed series of short term breaks - agreements",
    "L1": "Under police protection and in LA accommodation",
    "L2": "Emergency protection order - LA",
    "L3": "Child assessment order and in LA accommodation",
    "J1": "Remanded to LA accommodation S20",
    "J2": "Detained in LA accommodation under PACE",
    "J3": "Youth Rehabilitation Order with residence requirement",
}
# alternative descriptions of the same status (more than one CMS legal-status type per code)
LEGAL_DESC_ALT = {
    "V2": "Single placement acc. by LA S20(3) CA 16 and over",
    "C2": "Full care order Sec. 31",
}
NONLAC_DESC = {
    "SGO": "Special Guardianship Order",
    "CAO": "Child Arrangements Order (lives with)",
    "PF": "Private Fostering Arrangement",
}
RNE_DESC = {
    "S": "Started to be looked after",
    "L": "Change of legal status only",
    "P": "Change of placement and carer(s) only",
    "T": "Change of placement but same carer(s)",
    "U": "Change of legal status and placement but same carer(s)",
    "B": "Change of legal status and placement and carer(s) at the same time",
}
CEASED_DESC = {
    "X1": "Episode ceases and new episode begins on same day",
    "E11": "Adopted - application for an adoption order unopposed",
    "E12": "Adopted - consent dispensed with by the court",
    "E2": "Died",
    "E3": "Care taken by another local authority",
    "E4A": "Returned home to live with parents or relatives - part of care planning",
    "E4B": "Returned home to live with parents or relatives - not part of care planning",
    "E13": "Left care to live with parents, relatives or others with no parental responsibility",
    "E41": "Residence order or child arrangements order granted",
    "E45": "Special guardianship order made to former foster carers - relative or friend",
    "E46": "Special guardianship order made to former foster carers - other",
    "E47": "Special guardianship order made to carers - relative or friend",
    "E48": "Special guardianship order made to carers - other",
    "E5": "Moved into independent living - supportive accommodation",
    "E6": "Moved into independent living - no formalised support",
    "E7": "Transferred to residential care funded by adult social services",
    "E9": "Sentenced to custody",
    "E14": "Accommodation on remand ended",
    "E15": "Age assessment determined child aged 18 or over",
    "E16": "Child moved abroad",
    "E17": "Aged 18 or over and remained with current carers (staying put)",
    "E8": "Period of care ceased for any other reason",
}
# legacy SSDA903 placement codes an LCS build still admits -> current code (annex_a D33)
PLACEMENT_LEGACY = {"F1": "U1", "F2": "U2", "F3": "U3", "F4": "U4", "F5": "U5", "F6": "U6"}
PLACEMENT_DESC = {
    "U1": "Foster placement with relative or friend - long term",
    "U2": "Foster placement with relative or friend - FFA",
    "U3": "Foster placement with relative or friend - not FFA",
    "U4": "Foster placement with other foster carer - long term",
    "U5": "Foster placement with other foster carer - FFA",
    "U6": "Foster placement with other foster carer - not FFA",
    "A3": "Placed for adoption - consent - with current foster carer",
    "A4": "Placed for adoption - consent - not with current foster carer",
    "A5": "Placed for adoption - placement order - with current foster carer",
    "A6": "Placed for adoption - placement order - not with current foster carer",
    "P1": "Placed with own parents",
    "P2": "Independent living",
    "P3": "Residential employment",
    "H5": "Semi-independent living accommodation",
    "K1": "Secure children's home",
    "K2": "Children's home",
    "R1": "Residential care home",
    "R2": "NHS/Health Trust",
    "R3": "Family centre or mother and baby unit",
    "R5": "Young offender institution",
    "S1": "Residential school",
    "Z1": "Other placement",
    # DfE's 2025/26 sub-codes of Z1 (Annex A's list keeps Z1); rendered with Z1's description
    "Z11": "Other placement",
    "Z12": "Other placement",
    "Z13": "Other placement",
    "Z14": "Other placement",
    "T0": "Temporary placement",
    "T1": "Temporary placement - hospital",
    "T2": "Temporary placement - holiday",
    "T3": "Temporary placement - carer holiday",
    "T4": "Temporary placement - 7 days or less",
}
PERMANENCE_KEYS = (
    "REMAINSUP",
    "RETURN1M",
    "RETURN6M",
    "RETURNEV",
    "LTRELFR",
    "LTFOST18",
    "RESPLMT",
    "SUPPLIV",
    "ADOPTION",
    "OTHERPLN",
)
HEALTH_TYPE_DESC = {
    "HEALTH": ("Health Assessment", "Review Health Assessment", "Initial Health Assessment"),
    "DENTAL": ("Dental Check",),
    "OTHER": ("Optician Check", "Immunisations"),
}
HEALTH_STATUS_DESC = {
    "COMPLETED": "Completed",
    "PLANNED": "Planned",
    "REFUSED": "Refused",
    "CANCELLED": "Cancelled",
}
MISSING_TYPE_DESC = {"M": ("Missing",), "A": ("Away", "Absent")}
IMMIGRATION_OTHER = (
    "Refugee Status",
    "Discretionary Leave to Remain",
    "Indefinite Leave to Remain",
    "Asylum Seeker (accompanied)",
)
UASC_DESC = "Unaccompanied Asylum Seeking Child"

# --- care leavers ---------------------------------------------------------------------------

ELIGIBILITY_DESC = {
    "RELEVANT": "Relevant",
    "FORMER_RELEVANT": "Former Relevant",
    "QUALIFYING": "Qualifying",
    "ELIGIBLE": "Eligible",
    "NONE": "No Current Eligibility",
}
IN_TOUCH_DESC = {
    "YES": "Yes",
    "NO": "No",
    "DIED": "Died",
    "REFU": "Refuses contact",
    "NREQ": "No longer requires services",
    "RHOM": "Returned home",
}
ACCOM_DESC = {
    "B": "With parents or relatives",
    "C": "Community home or other residential care",
    "D": "Semi-independent, transitional accommodation",
    "E": "Supported lodgings",
    "G": "Abroad",
    "H": "Deported",
    "K": "Ordinary lodgings without formal support",
    "R": "Residence not known",
    "S": "No fixed abode or homeless",
    "T": "Foyer or similar supported accommodation",
    "U": "Independent living",
    "V": "Emergency accommodation",
    "W": "Bed and breakfast",
    "X": "In custody",
    "Y": "Other accommodation",
    "Z": "With former foster carers",
}
UNSUITABLE_USUALLY = frozenset({"S", "W", "X", "V", "R"})
NEVER_SUITABLE = frozenset({"S", "X"})  # DfE's accommodation codes have only S2 and X2
SUITABILITY_DESC = {"1": "Suitable", "2": "Unsuitable"}
ACTIVITY_DESC = {
    "F1": "Full time higher education",
    "P1": "Part time higher education",
    "F2": "Full time education other than higher",
    "P2": "Part time education other than higher",
    "F3": "Full time training or employment",
    "P3": "Part time training or employment",
    "F4": "Full time apprenticeship",
    "P4": "Part time apprenticeship",
    "F5": "Full time training or employment (not apprenticeship)",
    "P5": "Part time training or employment (not apprenticeship)",
    "G4": "NEET - illness or disability",
    "G5": "NEET - other",
    "G6": "NEET - pregnancy or parenting",
}

# --- permanence and adopters ----------------------------------------------------------------

ORDER_TYPE_DESC = {
    "ADOPTION": "Adoption",
    "SGO": "Special Guardianship Order",
    "CAO": "Child Arrangements/ Residence Order",
}
ADOPTER_LEAVING_DESC = {
    "1": "Adopter withdrew from process",
    "2": "Process put on hold",
    "3": "Application refused",
}

GENDER_DESC = {"M": "Male", "F": "Female", "U": "Unknown", "I": "Indeterminate"}
# legacy (pre-2003 style) ethnicity codes still held by older LCS builds (source_contract §6.2)
LEGACY_ETHNICITY = {
    "WBRI": "A1",
    "WIRI": "A2",
    "WOTH": "A3",
    "WIRT": "A4",
    "WROM": "A5",
    "MWBC": "B1",
    "MWBA": "B2",
    "MWAS": "B3",
    "MOTH": "B4",
    "AIND": "C1",
    "APKN": "C2",
    "ABAN": "C3",
    "AOTH": "C4",
    "BCRB": "D1",
    "BAFR": "D2",
    "BOTH": "D3",
    "CHNE": "E1",
    "OOTH": "E2",
    "REFU": "E3",
    "NOBT": "E4",
}
DISABILITY_DESC = {
    "NONE": "None",
    "MOB": "Mobility",
    "HAND": "Hand function",
    "PC": "Personal care",
    "INC": "Incontinence",
    "COMM": "Communication",
    "LD": "Learning disability",
    "HEAR": "Hearing",
    "VIS": "Vision",
    "BEH": "Behaviour",
    "CON": "Consciousness",
    "AUT": "Autism or Asperger syndrome",
    "DDA": "Other DDA",
}

# --- workforce ------------------------------------------------------------------------------

FIRST_NAMES = (
    "Avery",
    "Blythe",
    "Corin",
    "Delphine",
    "Emrys",
    "Fenella",
    "Gideon",
    "Hollis",
    "Isolde",
    "Jory",
    "Kestrel",
    "Linnea",
    "Marlowe",
    "Nerys",
    "Orrin",
    "Perpetua",
    "Quillon",
    "Rosalind",
    "Soren",
    "Tamsin",
    "Ulric",
    "Verity",
    "Wystan",
    "Xanthe",
    "Yardley",
    "Zinnia",
    "Alaric",
    "Briony",
    "Caspian",
    "Dorcas",
    "Evander",
    "Fable",
    "Galen",
    "Honora",
    "Ignatius",
    "Juniper",
    "Kit",
    "Lorcan",
    "Morwenna",
    "Nico",
    "Ottoline",
    "Piran",
    "Romilly",
    "Sabine",
    "Thaddeus",
    "Una",
    "Vashti",
    "Wren",
    "Ysolde",
    "Zephyr",
)
SURNAMES = (
    "Quillfeather",
    "Marchbank",
    "Thistlewood",
    "Amberley",
    "Brackenridge",
    "Coldharbour",
    "Dunmore",
    "Elderwick",
    "Fairweather",
    "Gorsemoor",
    "Hazelrigg",
    "Ironside",
    "Juniperhill",
    "Kettlewell",
    "Larkspur",
    "Mossbridge",
    "Nettlefold",
    "Oakenshaw",
    "Pennywhistle",
    "Quarrington",
    "Ravensworth",
    "Saltmarsh",
    "Tallowby",
    "Underhill",
    "Vantongeren",
    "Whitlock",
    "Yarrowby",
    "Ashgrove",
    "Birchenough",
    "Cloudsley",
    "Dewhirst",
    "Fernsby",
    "Glasspool",
    "Hobbledown",
    "Inchbald",
    "Lanyon",
    "Merriweather",
    "Nightingale-Vex",
    "Oddingley",
    "Pendragon-Hale",
    "Rooksby",
    "Starling",
    "Tremayne",
    "Wolfenden",
    "Zouchcombe",
)

# --- placements and postcodes ---------------------------------------------------------------

# miles from Synthshire to each outside LA (fictional geography, plausible distances)
OUTSIDE_DISTANCE = {
    "352": 38.0,
    "330": 55.0,
    "383": 42.0,
    "341": 60.0,
    "373": 30.0,
    "380": 47.0,
    "892": 25.0,
    "856": 35.0,
    "886": 160.0,
    "881": 120.0,
    "888": 70.0,
    "926": 95.0,
    "830": 20.0,
    "W06000015": 140.0,
    "W06000011": 170.0,
    "W06000022": 125.0,
    "S12000036": 260.0,
    "S12000049": 280.0,
    "N09000003": 300.0,
}


@dataclass(frozen=True)
class Postcodes:
    """Placement postcodes by where they are: the reporting LA, other English LAs, elsewhere."""

    inside: tuple[str, ...]
    england: tuple[tuple[str, str], ...]  # (postcode, la_code)
    wales: tuple[tuple[str, str], ...]
    scotland: tuple[tuple[str, str], ...]
    ni: tuple[tuple[str, str], ...]


def postcodes_path() -> Path:
    return PACKAGE_DIR / "reference" / "postcodes.csv"


def load_postcodes() -> Postcodes:
    """Read the shipped lookup: the generator only ever uses postcodes that are in it."""
    inside: list[str] = []
    by_country: dict[str, list[tuple[str, str]]] = {}
    with open(postcodes_path(), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["la_code"] == LA_CODE:
                inside.append(row["postcode"])
            else:
                by_country.setdefault(row["country"], []).append((row["postcode"], row["la_code"]))
    return Postcodes(
        tuple(inside),
        tuple(by_country.get("England", ())),
        tuple(by_country.get("Wales", ())),
        tuple(by_country.get("Scotland", ())),
        tuple(by_country.get("Northern Ireland", ())),
    )
