"""The SQL registry (sql/manifest.yaml, annexa.core.registry): every query declared once."""

from pathlib import Path

import pytest

from annexa.core import registry
from annexa.core.paths import sql_dir
from annexa.core.registry import LAYERS, RegistryError, list_models, list_number, queries

pytestmark = pytest.mark.unit


def test_every_sql_file_is_registered_once_with_a_grain():
    declared = {(q.layer, q.name) for layer in LAYERS for q in queries(layer)}
    on_disk = {
        (p.parent.name, p.stem)
        for layer in LAYERS
        if (sql_dir() / layer).is_dir()
        for p in (sql_dir() / layer).glob("*.sql")
    }
    assert declared == on_disk
    # checks: 25 SSD tables and 4 id sets; ... returns: 8 CIN, 10 903
    assert len(on_disk) == 29 + 12 + 11 + 31 + 3 + 44 + 10 + 18
    assert all(q.grain for layer in LAYERS for q in queries(layer))


def test_the_lists_are_1_to_11_in_order():
    assert list(list_models()) == list(range(1, 12))
    assert list_number("annex_a_list_05_s47_icpc") == 5
    with pytest.raises(ValueError, match="annex_a_list_01_contacts"):
        list_number("stg_ssd__person")


def test_rules_say_severity_and_wording_and_drilldowns_their_titles():
    for q in queries("cross"):
        assert q.severity in ("error", "warning") and q.description
    ids = [q.meta["id"] for q in queries("drilldowns")]
    assert ids == ["DD01", "DD02", "DD03", "DD04", "DD05", "DD06", "DD07", "DD08", "DD10", "DD09"]
    assert all(q.meta["title"] and q.meta["question"] for q in queries("drilldowns"))
    # one check frame per SSD table, plus the id sets they join to
    helpers = [q.name for q in queries("checks") if q.meta.get("helper")]
    assert helpers == [
        "chk_known_persons",
        "chk_known_persons_unzeroed",  # a person id with its leading zeros stripped
        "chk_known_workers",
        "chk_known_teams",
    ]
    # the statutory returns: the CIN census modules, then the 903 files (OC3 before the header)
    names = [q.name for q in queries("returns")]
    assert names[:8] == [
        "ret_cin__details",
        "ret_cin__children",
        "ret_cin__disabilities",
        "ret_cin__assessments",
        "ret_cin__plans",
        "ret_cin__s47",
        "ret_cin__cp_plans",
        "ret_cin__cp_reviews",
    ]
    order = [names.index(n) for n in ("ret_903__oc3", "ret_903__header", "ret_903__oc2")]
    assert order == sorted(order)


def _sql_tree(tmp_path: Path, manifest: str, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    path = tmp_path / "manifest.yaml"
    path.write_text(manifest)
    return path


def test_an_undeclared_file_or_a_missing_file_is_refused(tmp_path):
    ok = "staging:\n  - name: stg_a\n    grain: one row per a\n"
    path = _sql_tree(tmp_path, ok, {"staging/stg_a.sql": "select 1", "staging/stg_b.sql": "s"})
    with pytest.raises(RegistryError, match="not declared in the manifest: stg_b"):
        registry._load(path, 1)
    (tmp_path / "staging" / "stg_b.sql").unlink()
    assert [q.name for q in registry._load(path, 2)["staging"]] == ["stg_a"]
    (tmp_path / "staging" / "stg_a.sql").unlink()
    with pytest.raises(RegistryError, match="no file in sql/staging/: stg_a"):
        registry._load(path, 3)


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ("staging:\n  - name: stg_a\n", "says no grain"),
        ("cross:\n  - name: r\n    grain: g\n    severity: error\n", "missing description"),
        ("cross:\n  - {name: r, grain: g, severity: fatal, description: d}\n", "error or warning"),
        ("views:\n  - {name: v, grain: g}\n", "unknown layer"),
        ("staging:\n  - {name: Bad-Name, grain: g}\n", "bad query name"),
        ("drilldowns:\n  - {name: d, grain: g, id: DD1, title: t}\n", "missing question, note"),
    ],
)
def test_a_malformed_entry_is_refused(tmp_path, manifest, message):
    path = _sql_tree(tmp_path, manifest, {})
    with pytest.raises(RegistryError, match=message):
        registry._load(path, 0)
