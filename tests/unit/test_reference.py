"""Reference data (annexa.reference): facts written out by hand from spec/annex_a.md and
spec/source_contract.md, never read back from the YAML under test.

U+2018 / U+2019 are written as escapes so the expected bytes are unambiguous.
"""

from __future__ import annotations

import shutil

import pytest

from annexa import reference
from annexa.reference import ReferenceDataError, loader

pytestmark = pytest.mark.unit

LSQ, RSQ = "\u2018", "\u2019"  # ‘ ’


# --------------------------------------------------------------------------------------------
# Lists: sheets, titles, column counts, headers


TITLES = {
    1: "List 1: Contacts",
    2: "List 2: Early Help",
    3: "List 3: Referral",
    4: "List 4: Assessments",
    5: "List 5: Section 47 enquiries and Initial Child Protection Conferences",
    6: "List 6: Children in Need",
    7: "List 7: Child protection",
    8: "List 8: Children in care",
    9: "List 9: Care leavers",
    10: "List 10: Adoption",
    11: "List 11: Adopters",
}

COLUMN_COUNTS = {1: 7, 2: 8, 3: 11, 4: 12, 5: 14, 6: 14, 7: 17, 8: 34, 9: 17, 10: 16, 11: 19}


@pytest.mark.parametrize("version", ["later", "2019"])
def test_eleven_lists_with_exact_sheets_and_titles(version):
    specs = reference.list_specs(version)
    assert [s.number for s in specs] == list(range(1, 12))
    for s in specs:
        assert s.sheet == f"List_{s.number}"
        assert s.liia_sheet == f"List {s.number}"
        assert s.title == TITLES[s.number]
        assert s.version == version
    assert reference.list_spec(8).sheet_for("liia") == "List 8"
    assert reference.list_spec(8).sheet_for("ofsted") == "List_8"


@pytest.mark.parametrize("number,count", sorted(COLUMN_COUNTS.items()))
def test_column_counts_later(number, count):
    assert len(reference.columns(number, "later")) == count
    assert len(reference.headers(number, "later", "ofsted")) == count
    assert len(reference.headers(number, "later", "liia")) == count


def test_column_counts_2019_only_list_9_differs():
    for number, count in COLUMN_COUNTS.items():
        expected = 13 if number == 9 else count
        assert len(reference.columns(number, "2019")) == expected, number


def test_column_positions_are_one_based_and_consecutive():
    for version in reference.VERSIONS:
        for spec in reference.list_specs(version):
            assert [c.position for c in spec.columns] == list(range(1, len(spec.columns) + 1))


def test_list_1_headers_in_order():
    assert reference.headers(1) == [
        "Child Unique ID",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age of Child (Years)",
        "Date of Contact",
        "Contact Source",
    ]


def test_list_9_later_headers_in_order():
    assert reference.headers(9, "later") == [
        "Child Unique ID",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age of Child (Years)",
        "Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)",
        "Does the Child have a Disability",
        "Allocated Team",
        "Allocated Worker",
        "Allocated Personal Advisor",
        "Eligibility Category",
        "Latest Pathway Plan Review Date",
        "LA in Touch",
        "Latest Date of Contact",
        "Type of Accommodation",
        "Suitability of Accommodation",
        "Activity Status",
    ]


def test_list_9_2019_headers_in_order():
    assert reference.headers(9, "2019") == [
        "Child Unique ID",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age of Child (Years)",
        "Does the Child have a Disability",
        "Allocated Team",
        "Allocated Worker",
        "Eligibility Category",
        "LA In Touch ",
        "Type of Accommodation",
        "Suitability of Accommodation",
        "Activity Status",
    ]
    assert reference.headers(9, "2019", "liia")[9] == "LA in Touch"
    assert reference.headers(9, "later", "liia")[12] == "LA in Touch"
    # same column key in both revisions, so the SQL output does not change shape
    assert reference.columns(9, "2019")[9].key == reference.columns(9, "later")[12].key


def test_list_8_quirky_headers_byte_exact():
    ofsted = reference.headers(8, "later", "ofsted")
    liia = reference.headers(8, "later", "liia")
    assert ofsted[19] == "Date Ceased to be Looked After "  # col 20, trailing U+0020
    assert liia[19] == "Date Ceased to be Looked After"
    assert ofsted[28] == (
        f"Number of Episodes the Child has been {LSQ}Missing{RSQ} from their "
        "Placement in the last 12 months"
    )
    assert ofsted[29] == (
        f"Number of Episodes the Child has been {LSQ}Absent{RSQ} from their "
        "Placement in the last 12 months"
    )
    assert liia[28] == (
        "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months"
    )
    assert liia[29] == (
        "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months"
    )
    assert ofsted[8] == "Child's Category of Need"  # plain ASCII apostrophe
    assert ofsted[11] == "Child's Legal Status"
    assert ofsted[5] == (
        "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)"
    )
    assert ofsted[9] == (
        "Is this a second or subsequent period of being a Looked After Child "
        "within the last 12 months (Y/N)"
    )
    assert ofsted[20] == "Reason Ceased to be Looked After"  # no trailing space here


def test_list_4_col_10_header_by_layout():
    col = reference.columns(4)[9]
    assert col.header == (
        f"Was the child assessed as requiring LA children{RSQ}s social care support"
    )
    assert not col.header.endswith("?")
    assert col.liia_header == (
        "Was the child assessed as requiring LA children's social care support?"
    )


def test_list_6_case_status_header_by_layout():
    assert reference.headers(6, "later", "ofsted")[11] == "Case status"
    assert reference.headers(6, "later", "liia")[11] == "Case Status"


def test_list_10_and_11_adoption_order_headers():
    assert reference.headers(10)[12] == "Date of Adoption Order "
    assert reference.headers(10, "later", "liia")[12] == "Date of Adoption Order"
    assert reference.headers(11)[16] == "Date of Adoption Order"


def test_list_7_col_14_header():
    assert reference.headers(7)[13] == (
        "Subject to Emergency Protection Order or Protected Under "
        "Police Powers in Last Six Months (Y/N)"
    )


def test_liia_headers_differ_only_where_section_6_4_says():
    differ = {
        (v, spec.number, c.position)
        for v in reference.VERSIONS
        for spec in reference.list_specs(v)
        for c in spec.columns
        if c.header != c.liia_header
    }
    per_version = {(4, 10), (6, 12), (8, 20), (8, 29), (8, 30), (10, 13)}
    assert differ == (
        {("later", n, p) for n, p in per_version}
        | {("2019", n, p) for n, p in per_version}
        | {("2019", 9, 10)}
    )


def test_headers_have_no_stray_whitespace_except_the_three_trailing_spaces():
    trailing = set()
    for v in reference.VERSIONS:
        for spec in reference.list_specs(v):
            for h in spec.headers("ofsted") + spec.headers("liia"):
                assert h == h.lstrip() and "  " not in h and "\n" not in h, repr(h)
                if h != h.rstrip():
                    trailing.add(h)
    assert trailing == {
        "Date Ceased to be Looked After ",
        "Date of Adoption Order ",
        "LA In Touch ",
    }


def test_shared_columns_use_the_same_keys_everywhere():
    shared = ["child_unique_id", "gender", "ethnicity", "date_of_birth", "age"]
    for n in range(1, 8):
        assert reference.list_spec(n).keys[:5] == shared, n
    assert reference.list_spec(8).keys[:5] == shared
    assert reference.list_spec(9).keys[:5] == shared
    assert reference.list_spec(10).keys[0] == "child_unique_id"
    for n in range(4, 11):
        assert "disability" in reference.list_spec(n).keys, n
        assert reference.list_spec(n).column("disability").codes == "CS-YNU"
    for n in range(3, 10):
        keys = reference.list_spec(n).keys
        assert keys[-2:] == ["allocated_team", "allocated_worker"] or n == 9, n
        assert reference.list_spec(n).column("allocated_team").header == "Allocated Team"
        assert reference.list_spec(n).column("allocated_worker").header == "Allocated Worker"
    assert reference.list_spec(11).column("disability").codes == "CS-YN"  # adopters: Y/N only


def test_column_types_codes_and_blank_rules():
    c = reference.list_spec(1)
    assert c.column("child_unique_id").type == "id"
    assert c.column("date_of_contact").type == "date" and c.column("date_of_contact").required
    assert c.column("contact_source").codes == "CS-SOURCE"
    assert c.column("date_of_birth").required is False  # unborn without an expected date
    assert reference.list_spec(8).column("date_of_birth").required is True
    assert reference.list_spec(9).column("date_of_birth").required is True
    l8 = reference.list_spec(8)
    assert l8.column("placement_postcode").type == "postcode"
    assert l8.column("legal_status").codes == "CS-LEGAL"
    assert l8.column("category_of_need").codes == "CS-NEED-LAC"
    assert l8.column("placement_type").codes == "CS-PLACETYPE"
    assert l8.column("permanence_plan").required is False
    assert reference.list_spec(6).column("primary_need_code").codes == "CS-NEED"
    assert reference.list_spec(11).column("fostering_for_adoption").codes == "CS-FFA"
    assert reference.list_spec(11).column("reason_left_process").codes == "CS-ADOPTLEAVE"
    for v in reference.VERSIONS:
        for spec in reference.list_specs(v):
            for col in spec.columns:
                assert col.type in ("id", "text", "date", "integer", "code", "postcode")
                if not col.required:
                    assert col.blank_when, (spec.number, col.key)


def test_integer_bounds():
    def bounds(n, key, version="later"):
        col = reference.list_spec(n, version).column(key)
        assert col.type == "integer"
        return col.min, col.max

    for n in (1, 2, 3, 4, 5, 6, 7, 10):
        assert bounds(n, "age") == (-1, None), n
    assert bounds(8, "age") == (0, None)
    assert bounds(9, "age") == (16, 25)
    assert bounds(9, "age", "2019") == (16, 25)
    assert bounds(3, "referrals_last_12_months") == (0, None)
    assert bounds(5, "s47_enquiries_last_12_months") == (0, None)
    assert bounds(5, "icpcs_last_12_months") == (0, None)
    assert bounds(7, "previous_cp_plans") == (0, None)
    assert bounds(8, "placements_last_12_months") == (1, None)
    assert bounds(8, "missing_episodes_last_12_months") == (0, None)
    assert bounds(8, "absent_episodes_last_12_months") == (0, None)
    assert bounds(11, "children_placed") == (1, None)
    integer_columns = {
        (s.number, c.key) for s in reference.list_specs() for c in s.columns if c.type == "integer"
    }
    assert integer_columns == {(n, "age") for n in range(1, 11)} | {
        (3, "referrals_last_12_months"),
        (5, "s47_enquiries_last_12_months"),
        (5, "icpcs_last_12_months"),
        (7, "previous_cp_plans"),
        (8, "placements_last_12_months"),
        (8, "missing_episodes_last_12_months"),
        (8, "absent_episodes_last_12_months"),
        (11, "children_placed"),
    }


def test_sort_starts_with_the_row_identifier():
    for spec in reference.list_specs():
        first = "individual_adopter_id" if spec.number == 11 else "child_unique_id"
        assert spec.sort[0] == first
        assert set(spec.sort) <= set(spec.keys)
    assert reference.list_spec(1).sort == ("child_unique_id", "date_of_contact")
    assert reference.list_spec(3).sort == ("child_unique_id", "date_of_referral")


def test_every_code_column_references_an_existing_code_list():
    lists = reference.code_lists()
    for v in reference.VERSIONS:
        for spec in reference.list_specs(v):
            for col in spec.columns:
                if col.type == "code":
                    assert col.codes in lists, (spec.number, col.key)
                    assert reference.code_strings(col.codes, v), (spec.number, col.key)
    assert reference.list_spec(8).column("la_of_placement").codes == "CS-LAPLACE"


# --------------------------------------------------------------------------------------------
# Code lists


ALL_CODE_LISTS = {
    "CS-GENDER",
    "CS-ETH",
    "CS-SOURCE",
    "CS-YN",
    "CS-YNU",
    "CS-NEED",
    "CS-NEED-LAC",
    "CS-RC",
    "CS-CASESTATUS",
    "CS-ABUSE",
    "CS-LEGAL",
    "CS-PERM",
    "CS-CEASED",
    "CS-PLACETYPE",
    "CS-PROVIDER",
    "CS-LOCATION",
    "CS-LAPLACE",
    "CS-ELIG",
    "CS-INTOUCH",
    "CS-SUIT",
    "CS-ACCOM",
    "CS-ACTIVITY",
    "CS-RD",
    "CS-ADOPTLEAVE",
    "CS-FFA",
}


def test_all_code_lists_present_non_empty_and_unique_per_version():
    lists = reference.code_lists()
    assert set(lists) == ALL_CODE_LISTS
    for list_id, cl in lists.items():
        assert cl.title
        for v in reference.VERSIONS:
            strings = reference.code_strings(list_id, v)
            assert strings, (list_id, v)
            assert len(strings) == len(set(strings)), (list_id, v)
            assert all(s == s.strip() for s in strings)


def test_code_list_sizes():
    sizes = {
        "CS-GENDER": 4,
        "CS-ETH": 20,
        "CS-YN": 2,
        "CS-YNU": 3,
        "CS-NEED": 10,
        "CS-NEED-LAC": 8,
        "CS-CASESTATUS": 5,
        "CS-ABUSE": 5,
        "CS-LEGAL": 13,
        "CS-PERM": 7,
        "CS-PLACETYPE": 27,
        "CS-PROVIDER": 6,
        "CS-LOCATION": 2,
        "CS-LAPLACE": 5,
        "CS-INTOUCH": 6,
        "CS-SUIT": 2,
        "CS-ACCOM": 16,
        "CS-RD": 4,
        "CS-ADOPTLEAVE": 3,
        "CS-FFA": 2,
    }
    for list_id, n in sizes.items():
        assert len(reference.code_strings(list_id, "later")) == n, list_id
        assert len(reference.code_strings(list_id, "2019")) == n, list_id
    later_2019 = {
        "CS-SOURCE": (22, 21),
        "CS-RC": (9, 8),
        "CS-CEASED": (22, 21),
        "CS-ELIG": (4, 3),
        "CS-ACTIVITY": (13, 9),
    }
    for list_id, (later, y2019) in later_2019.items():
        assert len(reference.code_strings(list_id, "later")) == later, list_id
        assert len(reference.code_strings(list_id, "2019")) == y2019, list_id


def test_gender_codes():
    assert reference.code_strings("CS-GENDER") == [
        "a) Male",
        "b) Female",
        "c) Not stated/recorded",
        "d) Neither",
    ]
    assert [reference.render("CS-GENDER", c) for c in ("M", "F", "U", "I")] == [
        "a) Male",
        "b) Female",
        "c) Not stated/recorded",
        "d) Neither",
    ]


def test_ethnicity_quirk_refu_and_nobt_share_a_letter():
    eth = reference.code_strings("CS-ETH")
    assert eth[0] == "a) WBRI"
    assert eth[-2:] == ["s) REFU", "s) NOBT"]
    assert "t) NOBT" not in eth and "u) UNKNOWN" not in eth
    assert reference.render("CS-ETH", "NOBT") == "s) NOBT"
    assert reference.render("CS-ETH", "CHNE") == "q) CHNE"


def test_ceased_quirks():
    later = reference.code_strings("CS-CEASED", "later")
    assert "u) X1:CodeError" in later
    assert "u) X1: CodeError" not in later
    assert later[-1] == "v) E17: Aged 18+ and remained with current carers"
    assert "v) E17: Aged 18+ and remained with current carers" not in reference.code_strings(
        "CS-CEASED", "2019"
    )
    assert reference.render("CS-CEASED", "E17", "2019") == "t) E8: Care ceased for any other reason"
    assert reference.render("CS-CEASED", "E17", "later") == (
        "v) E17: Aged 18+ and remained with current carers"
    )
    assert reference.render("CS-CEASED", "E4A") == (
        "e) E4A: Returned home to live with parents or relatives - part of planning"
    )


def test_permanence_codes_and_lower_case_other():
    assert reference.code_strings("CS-PERM") == [
        "a) Return to family",
        "b) Adoption",
        "c) SGO/CAO",
        "d) Supported living in the community",
        "e) Long-term residential placement",
        "f) Long-term fostering",
        "g) other",
    ]
    assert reference.render("CS-PERM", "OTHER") == "g) other"
    assert reference.render("CS-PERM", "SGO_CAO") == "c) SGO/CAO"


def test_right_single_quote_strings():
    assert reference.render("CS-NEED", "N2") == f"N2 - Child{RSQ}s disability"
    assert reference.render("CS-NEED-LAC", "N2") == f"N2 - Child{RSQ}s disability"
    assert reference.render("CS-PLACETYPE", "K1") == f"o) K1: Secure Children{RSQ}s Homes"
    assert reference.render("CS-PLACETYPE", "K2") == f"p) K2: Children{RSQ}s Homes"
    assert reference.render("CS-RD", "RD1") == (
        f"RD1 - The child{RSQ}s needs changed subsequent to the decision"
    )
    assert reference.code_strings("CS-PLACETYPE")[-1] == (
        "zz) T4: Temporary placement - seven days or less"
    )


def test_need_n3_differs_between_list_6_and_list_8():
    assert reference.render("CS-NEED", "N3") == "N3 - Parental disability or illness"
    assert reference.render("CS-NEED-LAC", "N3") == "N3 - Parental illness or disability"
    assert reference.render("CS-NEED-LAC", "N9") is None
    assert reference.render("CS-NEED-LAC", "N0") is None
    assert reference.render("CS-NEED", "N0") == "N0 - Not stated"


def test_source_5d_is_later_only():
    later = reference.code_strings("CS-SOURCE", "later")
    y2019 = reference.code_strings("CS-SOURCE", "2019")
    assert "p1) 5D: LA services" in later
    assert later.index("p1) 5D: LA services") == later.index("p) 5C: LA services") + 1
    assert later.index("q) 6: Police") == later.index("p1) 5D: LA services") + 1
    assert "p1) 5D: LA services" not in y2019
    assert reference.render("CS-SOURCE", "5D", "later") == "p1) 5D: LA services"
    assert reference.render("CS-SOURCE", "5D", "2019") == "o) 5B: LA services"
    assert reference.render("CS-SOURCE", "10", "2019") == "u) 10: Unknown"
    assert reference.render("CS-SOURCE", "4") == "m) 4: Housing"


def test_rc9_and_activity_2019_renderings():
    assert reference.render("CS-RC", "RC9", "later") == (
        "RC9 - Case closed after assessment, referred to early help"
    )
    assert reference.render("CS-RC", "RC9", "2019") == (
        "RC8 - Case closed after assessment, no further action"
    )
    f3, p3 = "F3: Full time in training or employment", "P3: Part time in training or employment"
    for code, expected in (("F4", f3), ("F5", f3), ("P4", p3), ("P5", p3)):
        assert reference.render("CS-ACTIVITY", code, "2019") == expected
    assert reference.render("CS-ACTIVITY", "F3", "later") == f3  # old data still F3 under later
    assert reference.render("CS-ACTIVITY", "F4", "later") == (
        "F4: Young person engaged full time in an apprenticeship"
    )
    assert reference.code_strings("CS-ACTIVITY", "2019") == [
        "F1: Full time in higher education",
        "P1: Part time in higher education",
        "F2: Full time in education other than higher",
        "P2: Part time in education other than higher",
        f3,
        p3,
        "G4: Not in education, employment or training - illness or disability",
        "G5: Not in education, employment or training - other",
        "G6: Not in education, employment or training - pregnancy or parenting",
    ]


def test_eligible_child_is_dropped_under_2019():
    assert reference.render("CS-ELIG", "ELIGIBLE", "later") == "d) Eligible child"
    assert reference.render("CS-ELIG", "ELIGIBLE", "2019") is None
    assert reference.code_strings("CS-ELIG", "2019") == [
        "a) Relevant child",
        "b) Former relevant child",
        "c) Qualifying care leaver",
    ]
    assert reference.render("CS-ELIG", "NONE") is None


def test_unprefixed_lists_and_plain_yes_no():
    assert reference.code_strings("CS-FFA") == ["Yes", "No"]
    assert reference.code_strings("CS-YN") == ["a) Yes", "b) No"]
    assert reference.code_strings("CS-YNU") == ["a) Yes", "b) No", "c) Unknown"]
    assert reference.code_strings("CS-ADOPTLEAVE") == [
        "1 - Adopter withdrew from process",
        "2 - Process put on hold",
        "3 - Application refused",
    ]
    assert reference.render("CS-LEGAL", "C1") == "C1: ICO"
    assert reference.render("CS-LEGAL", "V1") is None
    assert reference.render("CS-LEGAL", "NONLAC") is None
    assert reference.render("CS-ACCOM", "C") == "C: Community home / residential care"
    assert reference.render("CS-ACCOM", "S") == "S: No fixed abode / homeless"
    assert reference.render("CS-SUIT", "2") == "b) Unsuitable"
    assert reference.code_strings("CS-INTOUCH") == [
        "a) Yes",
        "b) No",
        "c) Died",
        "d) Refu",
        "e) NREQ",
        "f) Rhom",
    ]


def test_product_code_lists():
    assert [
        reference.render("CS-CASESTATUS", c) for c in ("LAC", "CP", "CIN", "ASSESSMENT", "CLOSED")
    ] == [
        "a) Looked after child",
        "b) Child Protection plan",
        "c) Child in need plan",
        "d) Open assessment",
        "e) Closed episode",
    ]
    assert reference.render("CS-LOCATION", "IN") == "a) In"
    assert reference.render("CS-LOCATION", "OUT") == "b) Out"
    assert reference.render("CS-LAPLACE", "CON") == "CON - Child placed in confidential placement"
    assert reference.render("CS-LAPLACE", "NIR") == "NIR - Child placed in Northern Ireland"
    assert reference.render("CS-ABUSE", "MUL") == "e) Multiple/not recommended"
    assert reference.render("CS-PROVIDER", "PR0") == "a) PR0: Parents/Parental responsibility"


def test_render_unknown_code_and_bad_arguments():
    assert reference.render("CS-GENDER", "X") is None
    with pytest.raises(KeyError, match="CS-NOPE"):
        reference.render("CS-NOPE", "M")
    with pytest.raises(ValueError, match="version"):
        reference.render("CS-GENDER", "M", "2024")
    with pytest.raises(ValueError, match="version"):
        reference.code_strings("CS-GENDER", "2020")
    with pytest.raises(ValueError, match="layout"):
        reference.headers(1, "later", "excel")
    with pytest.raises(KeyError):
        reference.list_spec(12)


def test_later_only_codes_render_under_2019_to_a_2019_string_or_none():
    for list_id, cl in reference.code_lists().items():
        y2019 = set(reference.code_strings(list_id, "2019"))
        for code in cl.codes:
            rendered = reference.render(list_id, code.national, "2019")
            assert rendered is None or rendered in y2019, (list_id, code.national)
            assert reference.render(list_id, code.national, "later") == code.string


# --------------------------------------------------------------------------------------------
# National sets, field mapping targets, synonyms, permanence


def test_national_sets():
    sets = reference.national_sets()
    assert sets["gender"] == ["M", "F", "U", "I"]
    assert len(sets["ethnicity"]) == 20 and {"WBRI", "REFU", "NOBT"} <= set(sets["ethnicity"])
    assert sets["disability"] == [
        "NONE",
        "MOB",
        "HAND",
        "PC",
        "INC",
        "COMM",
        "LD",
        "HEAR",
        "VIS",
        "BEH",
        "CON",
        "AUT",
        "DDA",
    ]
    assert len(sets["source"]) == 22 and "5D" in sets["source"] and "10" in sets["source"]
    assert sets["flag"] == ["Y", "N"]
    assert sets["flag_na"] == ["Y", "N", "NA"]
    assert sorted(sets["need"]) == [f"N{i}" for i in range(10)]
    assert sets["closure"] == [f"RC{i}" for i in range(1, 10)]
    assert sets["abuse"] == ["NEG", "PHY", "SAB", "EMO", "MUL"]
    assert sets["legal"] == [
        "C1",
        "C2",
        "D1",
        "E1",
        "V2",
        "V3",
        "V4",
        "L1",
        "L2",
        "L3",
        "J1",
        "J2",
        "J3",
        "V1",
        "NONLAC",
    ]
    assert sets["rne"] == ["S", "L", "P", "T", "B", "U"]
    assert sets["ceased"] == [
        "X1",
        "E11",
        "E12",
        "E2",
        "E3",
        "E4A",
        "E4B",
        "E13",
        "E41",
        "E45",
        "E46",
        "E47",
        "E48",
        "E5",
        "E6",
        "E7",
        "E9",
        "E14",
        "E15",
        "E16",
        "E17",
        "E8",
    ]
    assert len(sets["placement"]) == 27 and {"U1", "H5", "K2", "T4"} <= set(sets["placement"])
    assert sets["provider"] == ["PR0", "PR1", "PR2", "PR3", "PR4", "PR5"]
    assert sets["health_type"] == ["HEALTH", "DENTAL", "OTHER"]
    assert sets["health_status"] == ["COMPLETED", "PLANNED", "REFUSED", "CANCELLED"]
    assert sets["missing_type"] == ["M", "A"]
    assert sets["immigration"] == ["UASC", "OTHER"]
    assert sets["eligibility"] == ["RELEVANT", "FORMER_RELEVANT", "QUALIFYING", "ELIGIBLE", "NONE"]
    assert sets["in_touch"] == ["YES", "NO", "DIED", "REFU", "NREQ", "RHOM"]
    assert len(sets["accommodation"]) == 16 and "Z" in sets["accommodation"]
    assert sets["suitability"] == ["1", "2"]
    assert len(sets["activity"]) == 13 and {"F4", "P5", "G6"} <= set(sets["activity"])
    assert sets["reversal"] == ["RD1", "RD2", "RD3", "RD4"]
    assert sets["order_type"] == ["ADOPTION", "SGO", "CAO"]
    assert sets["role"] == ["CW", "PA", "OTHER"]
    assert sets["adopter_leaving"] == ["1", "2", "3"]
    for name, codes in sets.items():
        assert all(isinstance(c, str) for c in codes), name


def test_code_lists_cover_their_national_sets():
    sets = reference.national_sets()

    def nationals(list_id):
        return {c.national for c in reference.code_list(list_id).codes}

    for list_id, set_name in [
        ("CS-GENDER", "gender"),
        ("CS-ETH", "ethnicity"),
        ("CS-SOURCE", "source"),
        ("CS-RC", "closure"),
        ("CS-ABUSE", "abuse"),
        ("CS-CEASED", "ceased"),
        ("CS-PLACETYPE", "placement"),
        ("CS-PROVIDER", "provider"),
        ("CS-INTOUCH", "in_touch"),
        ("CS-ACCOM", "accommodation"),
        ("CS-SUIT", "suitability"),
        ("CS-ACTIVITY", "activity"),
        ("CS-RD", "reversal"),
        ("CS-ADOPTLEAVE", "adopter_leaving"),
    ]:
        assert nationals(list_id) == set(sets[set_name]), list_id
    assert nationals("CS-NEED") == set(sets["need"])
    assert nationals("CS-NEED-LAC") == set(sets["need"]) - {"N0", "N9"}
    assert nationals("CS-LEGAL") == set(sets["legal"]) - {"V1", "NONLAC"}
    assert nationals("CS-ELIG") == set(sets["eligibility"]) - {"NONE"}


FLAG_FIELDS = [
    "ssd_cin_episodes.cine_referral_nfa",
    "ssd_cin_assessments.cina_assessment_child_seen",
    "ssd_cin_assessments.cina_assessment_outcome_nfa",
    "ssd_cin_visits.cinv_cin_visit_seen",
    "ssd_cin_visits.cinv_cin_visit_seen_alone",
    "ssd_s47_enquiry.s47e_s47_nfa",
    "ssd_initial_cp_conference.icpc_icpc_outcome_cp_flag",
    "ssd_initial_cp_conference.icpc_icpc_transfer_in",
    "ssd_cp_plans.cppl_cp_plan_ola",
    "ssd_cp_visits.cppv_cp_visit_seen",
    "ssd_cp_visits.cppv_cp_visit_seen_alone",
    "ssd_cla_reviews.clar_cla_review_cancelled",
    "ssd_cla_visits.clav_cla_visit_seen",
    "ssd_cla_visits.clav_cla_visit_seen_alone",
    "ssd_permanence.perm_adopted_by_carer_flag",
    "ssd_adopters.adop_disability",
    "ssd_adopters.adop_ffa_or_concurrent",
]


def test_field_sets():
    fs = reference.field_sets()
    for f in FLAG_FIELDS:
        assert fs[f] == "flag", f
    assert fs["ssd_missing.miss_missing_rhi_offered"] == "flag_na"
    assert fs["ssd_missing.miss_missing_rhi_accepted"] == "flag_na"
    expected = {
        "ssd_person.pers_gender": "gender",
        "ssd_person.pers_sex": "gender",
        "ssd_adopters.adop_sex": "gender",
        "ssd_person.pers_ethnicity": "ethnicity",
        "ssd_adopters.adop_ethnicity": "ethnicity",
        "ssd_disability.disa_disability_code": "disability",
        "ssd_contacts.cont_contact_source_code": "source",
        "ssd_contacts.cont_contact_source_desc": "source",
        "ssd_cin_episodes.cine_referral_source_code": "source",
        "ssd_cin_episodes.cine_referral_source_desc": "source",
        "ssd_cin_episodes.cine_cin_primary_need_code": "need",
        "ssd_cla_episodes.clae_cla_primary_need_code": "need",
        "ssd_cin_episodes.cine_close_reason": "closure",
        "ssd_cp_plans.cppl_cp_plan_initial_category": "abuse",
        "ssd_cp_plans.cppl_cp_plan_latest_category": "abuse",
        "ssd_legal_status.lega_legal_status": "legal",
        "ssd_cla_episodes.clae_cla_episode_start_reason": "rne",
        "ssd_cla_episodes.clae_cla_episode_ceased_reason": "ceased",
        "ssd_cla_placement.clap_cla_placement_type": "placement",
        "ssd_cla_placement.clap_cla_placement_provider": "provider",
        "ssd_cla_health.clah_health_check_type": "health_type",
        "ssd_cla_health.clah_health_check_status": "health_status",
        "ssd_missing.miss_missing_episode_type": "missing_type",
        "ssd_immigration_status.immi_immigration_status": "immigration",
        "ssd_care_leavers.clea_care_leaver_eligibility": "eligibility",
        "ssd_care_leavers.clea_care_leaver_in_touch": "in_touch",
        "ssd_care_leavers.clea_care_leaver_accommodation": "accommodation",
        "ssd_care_leavers.clea_care_leaver_accom_suitable": "suitability",
        "ssd_care_leavers.clea_care_leaver_activity": "activity",
        "ssd_permanence.perm_decision_reversed_reason": "reversal",
        "ssd_permanence.perm_permanence_order_type": "order_type",
        "ssd_involvements.invo_professional_role_id": "role",
        "ssd_adopters.adop_left_process_reason": "adopter_leaving",
    }
    for f, s in expected.items():
        assert fs[f] == s, f
    assert len(fs) == len(expected) + len(FLAG_FIELDS) + 2


def test_field_sets_name_columns_of_the_source_contract():
    from annexa.source.contract import TABLES_BY_NAME

    for f in reference.field_sets():
        table, _, column = f.partition(".")
        assert table in TABLES_BY_NAME, f
        assert column in TABLES_BY_NAME[table].column_names, f


def test_builtin_and_prefix_synonyms():
    syn = reference.builtin_synonyms()
    assert syn["flag"] == {"YES": "Y", "NO": "N", "TRUE": "Y", "FALSE": "N", "1": "Y", "0": "N"}
    assert syn["role"] == {"16PLUS": "PA"}
    assert reference.prefix_synonyms()["role"] == {"KA": "OTHER"}
    sets = reference.national_sets()
    for set_name, table in syn.items():
        assert set(table.values()) <= set(sets[set_name]), set_name


def test_permanence_keys_and_precedence():
    assert reference.permanence_keys() == {
        "ADOPTION": "ADOPTION",
        "RETURN1M": "RETURN",
        "RETURN6M": "RETURN",
        "RETURNEV": "RETURN",
        "REMAINSUP": "RETURN",
        "LTRELFR": "SGO_CAO",
        "LTFOST18": "LT_FOSTERING",
        "RESPLMT": "LT_RESIDENTIAL",
        "SUPPLIV": "SUPPORTED_LIVING",
        "OTHERPLN": "OTHER",
    }
    assert reference.permanence_precedence() == [
        "ADOPTION",
        "RETURN",
        "SGO_CAO",
        "LT_FOSTERING",
        "LT_RESIDENTIAL",
        "SUPPORTED_LIVING",
        "OTHER",
    ]
    assert set(reference.permanence_chosen_values()) == {"Y", "YES", "TRUE", "1"}
    assert reference.render("CS-PERM", reference.permanence_keys()["LTFOST18"]) == (
        "f) Long-term fostering"
    )


def test_returned_collections_are_copies():
    reference.national_sets()["gender"].append("X")
    reference.field_sets().clear()
    reference.headers(1).clear()
    assert reference.national_sets()["gender"] == ["M", "F", "U", "I"]
    assert reference.field_sets()
    assert len(reference.headers(1)) == 7


def test_field_feeds():
    # gender is column 2 of every child list (1-10); List 11's adopter sex comes from ssd_adopters
    feeds = reference.field_feeds()
    assert feeds["ssd_person.pers_gender"] == [(n, "gender") for n in range(1, 11)]
    assert feeds["ssd_adopters.adop_sex"] == [(11, "gender")]
    assert feeds["ssd_cla_placement.clap_cla_placement_provider"] == [(8, "placement_provider")]
    assert set(feeds) == set(reference.field_sets())  # every coded field says what it feeds
    feeds["ssd_person.pers_gender"].clear()
    assert reference.field_feeds()["ssd_person.pers_gender"]


# DfE LA codes and ONS area codes, written out by hand (not read from postcodes.csv)
KNOWN_AUTHORITIES = {
    "330": ("Birmingham", "England"),
    "341": ("Liverpool", "England"),
    "352": ("Manchester", "England"),
    "373": ("Sheffield", "England"),
    "383": ("Leeds", "England"),
    "W06000015": ("Cardiff", "Wales"),
    "S12000036": ("City of Edinburgh", "Scotland"),
    "N09000003": ("Belfast", "Northern Ireland"),
}


def test_postcodes_lookup():
    rows = reference.postcodes()
    assert all(isinstance(r, reference.Postcode) for r in rows)
    by_la = {r.la_code: (r.la_name, r.country) for r in rows}
    for code, expected in KNOWN_AUTHORITIES.items():
        assert by_la[code] == expected
    # the synthetic CMS's authority (999 Synthshire, the README's demo) has postcodes inside it
    assert any(r.la_code == "999" and r.la_name == "Synthshire" for r in rows)
    assert {r.country for r in rows} == {"England", "Wales", "Scotland", "Northern Ireland"}
    # Northern Ireland is exactly the BT postcode area
    for r in rows:
        assert r.postcode.startswith("BT") == (r.country == "Northern Ireland"), r
        assert r.postcode == " ".join(r.postcode.split()) and r.postcode == r.postcode.upper()
    rows.clear()
    assert reference.postcodes()


# --------------------------------------------------------------------------------------------
# Validation on load: broken reference data fails loudly


@pytest.fixture
def broken_dir(tmp_path, monkeypatch):
    """A copy of every reference file that a test may break; the loader reads it instead."""
    for path in reference.reference_dir().iterdir():
        if path.is_file():
            shutil.copy(path, tmp_path / path.name)
    monkeypatch.setattr(loader, "reference_dir", lambda: tmp_path)
    loader.clear_cache()
    yield tmp_path
    loader.clear_cache()


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_copied_reference_loads(broken_dir):
    reference.validate_reference()


def test_unknown_code_list_in_a_column_fails(broken_dir):
    _edit(broken_dir / "lists.yaml", "codes: CS-SOURCE", "codes: CS-SORCE")
    with pytest.raises(ReferenceDataError, match="unknown code list 'CS-SORCE'"):
        reference.validate_reference()


def test_duplicate_yaml_key_fails(broken_dir):
    _edit(broken_dir / "codes.yaml", "CS-YNU:\n", "CS-YN:\n")
    with pytest.raises(ReferenceDataError, match="duplicate key 'CS-YN'"):
        reference.validate_reference()


def test_unquoted_boolean_fails(broken_dir):
    _edit(broken_dir / "codes.yaml", '{national: "Y", string: "Yes"}', "{national: Y, string: Yes}")
    with pytest.raises(ReferenceDataError, match="quoted string"):
        reference.validate_reference()


def test_later_only_code_without_2019_rendering_fails(broken_dir):
    _edit(broken_dir / "codes.yaml", '      render_2019: "o) 5B: LA services"\n', "")
    with pytest.raises(ReferenceDataError, match="render_2019"):
        reference.validate_reference()


def test_duplicate_column_key_fails(broken_dir):
    _edit(broken_dir / "lists.yaml", "key: contact_source", "key: date_of_contact")
    with pytest.raises(ReferenceDataError, match="duplicate column keys"):
        reference.validate_reference()


def test_code_outside_its_national_set_fails(broken_dir):
    _edit(broken_dir / "codes.yaml", '{national: "PR5",', '{national: "PR6",')
    with pytest.raises(ReferenceDataError, match="not in the national set provider"):
        reference.validate_reference()


def test_field_mapped_to_unknown_set_fails(broken_dir):
    _edit(broken_dir / "national.yaml", "ssd_person.pers_sex: gender", "ssd_person.pers_sex: sex")
    with pytest.raises(ReferenceDataError, match="unknown national set 'sex'"):
        reference.validate_reference()


def test_feeds_naming_an_unknown_column_fails(broken_dir):
    _edit(broken_dir / "feeds.yaml", '["8.placement_provider"]', '["8.placement_providr"]')
    with pytest.raises(ReferenceDataError, match="no such list column: '8.placement_providr'"):
        reference.validate_reference()


def test_coded_field_missing_from_feeds_fails(broken_dir):
    _edit(broken_dir / "feeds.yaml", "ssd_adopters.adop_sex:", "ssd_adopters.adop_sexx:")
    with pytest.raises(ReferenceDataError, match=r"missing: \['ssd_adopters.adop_sex'\]"):
        reference.validate_reference()


def test_duplicate_postcode_fails(broken_dir):
    _edit(broken_dir / "postcodes.csv", "M1 3BE,", "m1 1ad,")  # the same key as M1 1AD
    with pytest.raises(ReferenceDataError, match="duplicate postcode 'm1 1ad'"):
        reference.validate_reference()


def test_postcode_outside_the_uk_nations_fails(broken_dir):
    _edit(broken_dir / "postcodes.csv", ",Cardiff,Wales", ",Cardiff,Cymru")
    with pytest.raises(ReferenceDataError, match="country must be one of"):
        reference.postcodes()


def test_authority_named_two_ways_fails(broken_dir):
    _edit(broken_dir / "postcodes.csv", "B2 4QA,330,Birmingham,", "B2 4QA,330,Brum,")
    with pytest.raises(ReferenceDataError, match="LA 330 is named both 'Birmingham' and 'Brum'"):
        reference.validate_reference()


def test_edited_files_are_read_again_after_the_cache_is_cleared(broken_dir):
    reference.validate_reference()  # caches the copy
    _edit(broken_dir / "codes.yaml", '{national: "PR5",', '{national: "PR6",')
    reference.validate_reference()  # still the cached copy: loaded once per process
    loader.clear_cache()
    with pytest.raises(ReferenceDataError, match="not in the national set provider"):
        reference.validate_reference()
