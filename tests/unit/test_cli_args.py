"""The CLI's commands that read a CMS and publish for one LA (run, returns, backfill) take the
same source, output, LA and mapping arguments, with the same environment defaults."""

import datetime as dt

import pytest

from annexa.cli import parser

pytestmark = pytest.mark.unit

EXTRA = {
    "run": ["--as-at", "2026-03-31"],
    "returns": [],
    "backfill": ["--from", "2026-01-01", "--to", "2026-03-31"],
}


@pytest.mark.parametrize("command", sorted(EXTRA))
def test_source_commands_share_their_arguments(command, monkeypatch):
    monkeypatch.setenv("ANNEXA_LA_CODE", "877")
    monkeypatch.setenv("ANNEXA_LA_NAME", "Synthshire")
    monkeypatch.setenv("ANNEXA_MAPPING", "mapping.yaml")
    monkeypatch.setenv("ANNEXA_WAIVERS", "waivers.yaml")
    args = parser().parse_args(
        [command, "--source", "sqlite:///cms.db", "--out", "o"] + EXTRA[command]
    )
    assert (args.source, args.out, args.la_code, args.la_name, args.mapping) == (
        "sqlite:///cms.db",
        "o",
        "877",
        "Synthshire",
        "mapping.yaml",
    )
    # the gate's waivers where the command runs annex_a; the statutory returns take none
    assert getattr(args, "waivers", None) == (None if command == "returns" else "waivers.yaml")
    given = parser().parse_args(
        [command, "--source", "s", "--out", "o", "--la-code", "1", "--mapping", "m"]
        + EXTRA[command]
    )
    assert (given.la_code, given.mapping) == ("1", "m")
    with pytest.raises(SystemExit):
        parser().parse_args([command, "--out", "o"] + EXTRA[command])  # --source is required


def test_run_keeps_its_own_arguments():
    args = parser().parse_args(["run", "--source", "s", "--out", "o", "--as-at", "2026-03-31"])
    assert args.as_at == dt.date(2026, 3, 31)
    assert (args.annex_version, args.layout, args.cms) == ("later", "ofsted", None)
