"""The LA registry (ANNEXA_LAS): strict checks with one message naming the entry and field, and
no registry means exactly the single-LA configuration of before."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from annexa.las import RegistryError, load_registry, registry_path
from annexa.pipeline import resolve_run, resolve_runs

MAPPING = "person_id: pers_person_id\n"
WAIVERS = "waivers: []\n"


def _write(folder: Path, body: str) -> Path:
    (folder / "m201.yaml").write_text(MAPPING)
    (folder / "w201.yaml").write_text(WAIVERS)
    path = folder / "las.yaml"
    path.write_text(textwrap.dedent(body))
    return path


GOOD = """\
las:
  - code: "201"
    name: City of London
    connection: cms_201
    mapping: m201.yaml
    waivers: w201.yaml
    layout: liia
  - code: 202
    connection: cms_202
    annex_version: "2019"
"""


def test_a_good_registry_resolves_paths_and_defaults(tmp_path):
    las = load_registry(_write(tmp_path, GOOD))
    assert [x.code for x in las] == ["201", "202"]  # an int code in YAML is read as the code
    a, b = las
    assert a.name == "City of London" and a.connection == "cms_201" and a.layout == "liia"
    assert a.mapping == str(tmp_path / "m201.yaml")  # relative to the registry file
    assert a.waivers == str(tmp_path / "w201.yaml") and a.benchmarks is None
    assert a.annex_version == "later"
    assert (b.name, b.mapping, b.waivers, b.annex_version, b.layout) == (
        "",
        None,
        None,
        "2019",
        "ofsted",
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            'las:\n  - code: "201"\n    connection: c\n    colour: red\n',
            "entry 1 (LA 201), field 'colour': unknown field",
        ),
        ('las:\n  - code: "201"\n    name: x\n', "entry 1 (LA 201), field 'connection': missing"),
        (
            'las:\n  - code: "201"\n    connection: a\n  - code: "201"\n    connection: b\n',
            "entry 2 (LA 201), field 'code': duplicate: LA 201 is also entry 1",
        ),
        (
            'las:\n  - code: "201"\n    connection: a\n    mapping: nowhere.yaml\n',
            "entry 1 (LA 201), field 'mapping': file not found",
        ),
        (
            'las:\n  - code: "201"\n    connection: a\n    mapping: bad.yaml\n',
            "entry 1 (LA 201), field 'mapping': cannot be read: ",
        ),
        (
            'las:\n  - code: "201"\n    connection: a\n    waivers: bad_w.yaml\n',
            "entry 1 (LA 201), field 'waivers': cannot be read: ",
        ),
        (
            'las:\n  - code: "201"\n    connection: a\n    layout: landscape\n',
            "entry 1 (LA 201), field 'layout': must be one of ofsted, liia",
        ),
        (
            'las:\n  - code: "20A"\n    connection: a\n',
            "entry 1, field 'code': expected a three-digit DfE LA code",
        ),
        ("las:\n  - connection: a\n", "entry 1, field 'code': missing"),
        ("las: []\n", "'las' must be a non-empty list"),
        ('las:\n  - code: "201"\n    connection: a\nextra: 1\n', "unknown key(s): extra"),
        ("las: [\n", "not valid YAML"),
    ],
)
def test_a_bad_registry_fails_with_one_message_naming_entry_and_field(tmp_path, body, expected):
    (tmp_path / "bad.yaml").write_text("person_id: somebody_else\n")
    (tmp_path / "bad_w.yaml").write_text("waivers: {}\n")
    path = tmp_path / "las.yaml"
    path.write_text(body)
    with pytest.raises(RegistryError) as err:
        load_registry(path)
    msg = str(err.value)
    assert msg.startswith(f"LA registry {path}: ") and expected in msg, msg
    assert "\n" not in msg


def test_a_missing_registry_file_is_one_clear_error(tmp_path):
    with pytest.raises(RegistryError, match="cannot be read"):
        load_registry(tmp_path / "nope.yaml")


def test_registry_path_from_env_and_param(tmp_path, monkeypatch):
    monkeypatch.delenv("ANNEXA_LAS", raising=False)
    assert registry_path({}) is None
    monkeypatch.setenv("ANNEXA_LAS", str(tmp_path / "las.yaml"))
    assert registry_path({}) == tmp_path / "las.yaml"
    assert registry_path({"registry": ""}) is None  # annexa run: single LA, whatever the env
    assert registry_path({"registry": str(tmp_path / "x.yaml")}) == tmp_path / "x.yaml"


PARAMS = {
    "as_at": "2026-03-31",
    "la_code": None,
    "la_name": None,
    "annex_version": "later",
    "layout": "ofsted",
    "out_dir": None,
    "source_conn_id": "annexa_cms",
    "mapping": None,
    "waivers": None,
}


def test_no_registry_is_exactly_the_single_la_configuration(tmp_path, monkeypatch):
    monkeypatch.delenv("ANNEXA_LAS", raising=False)
    monkeypatch.setenv("ANNEXA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ANNEXA_LA_CODE", "318")
    monkeypatch.setenv("ANNEXA_MAPPING", str(tmp_path / "m.yaml"))
    (cfg,) = resolve_runs(PARAMS, run_id="manual__1")
    assert cfg == resolve_run(PARAMS, run_id="manual__1")
    assert cfg["la_code"] == "318" and cfg["source_conn_id"] == "annexa_cms"
    assert cfg["mapping"] == str(tmp_path / "m.yaml")


def test_a_registry_gives_one_configuration_per_la_and_no_env_leaks(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNEXA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ANNEXA_LAS", str(_write(tmp_path, GOOD)))
    monkeypatch.setenv("ANNEXA_MAPPING", str(tmp_path / "other.yaml"))  # not for registry LAs
    monkeypatch.setenv("ANNEXA_LA_NAME", "Not this one")
    a, b = resolve_runs(PARAMS, run_id="scheduled__2026-04-01")
    assert (a["la_code"], a["source_conn_id"], a["layout"]) == ("201", "cms_201", "liia")
    assert a["mapping"] == str(tmp_path / "m201.yaml")
    assert (b["la_code"], b["source_conn_id"], b["version"]) == ("202", "cms_202", "2019")
    assert b["mapping"] is None and b["la_name"] == "" and b["waivers"] is None
    assert a["run_key"] == b["run_key"] and a["as_at"] == b["as_at"] == "2026-03-31"
    (only,) = resolve_runs(PARAMS | {"la_code": "202"}, run_id="manual__2")
    assert only["la_code"] == "202"
    with pytest.raises(RegistryError, match="no entry has code '999'"):
        resolve_runs(PARAMS | {"la_code": "999"}, run_id="manual__3")
