"""The intelligence pack end to end through Airflow (issue 5): two month-end returns published
by the annex_a DAG, then the annex_a_pack DAG renders the pack beside them with the indicators,
a trend over both month ends and what changed since the previous return."""

import datetime as dt
import json
import os
import stat

from openpyxl import load_workbook

from annexa.cli import main, month_ends

LA = "999"


def test_pack_dag_renders_the_pack_for_the_latest_return(airflow_db, small_cms, tmp_path, capsys):
    url, as_at = small_cms  # generated as at 2026-03-31
    out = tmp_path / "out"
    previous = dt.date(2026, 2, 28)
    # `annexa backfill`: month ends 28/02 and 31/03; 31/03 through the annex_a DAG, 28/02 from
    # that run's snapshot
    assert (
        main(
            [
                "backfill",
                "--source",
                url,
                "--from",
                "2026-02-01",
                "--to",
                "2026-03-31",
                "--out",
                str(out),
                "--la-code",
                LA,
                "--la-name",
                "Synthshire",
            ]
        )
        == 0
    )
    assert sorted(p.name for p in (out / LA).iterdir() if p.name[0].isdigit()) == [
        previous.isoformat(),
        as_at.isoformat(),
    ]
    release = out / LA / as_at.isoformat()
    indicators = json.loads((release / "indicators.json").read_text())
    assert {"HP03", "HP05", "HP09", "CIC02"} <= {i["id"] for i in indicators}
    assert json.loads((release / "manifest.json").read_text())["pack_error"] is None

    capsys.readouterr()
    # `annexa pack` with no date packs the latest return and names its dated link (README), not
    # the release folder behind it nor packs/latest
    assert main(["pack", "--out", str(out), "--la-code", LA]) == 0
    folder = out.resolve() / LA / "packs" / as_at.isoformat()
    printed = capsys.readouterr().out.splitlines()
    assert f"Intelligence pack: {folder / 'pack.html'}" in printed[-2]
    assert printed[-1].strip() == f"{folder.parent / 'latest'} points at the newest pack"
    assert folder.is_symlink() and (folder.parent / "latest").resolve() == folder.resolve()
    html = (folder / "pack.html").read_text()
    assert stat.S_IMODE(os.stat(folder / "pack.html").st_mode) == 0o600
    hp05 = next(i for i in indicators if i["id"] == "HP05")
    assert hp05["title"] in html and "<svg" in html
    assert "http://" not in html and "https://" not in html  # self-contained
    wb = load_workbook(folder / "pack.xlsx", read_only=True)
    assert "Indicators" in wb.sheetnames
    pack = json.loads((folder / "pack.json").read_text())
    assert pack["as_at"] == as_at.isoformat()
    # trend and diff come from the two published month-end returns
    from annexa.pack.make import assemble

    assembled = assemble(out, LA)
    assert [p["as_at"] for p in assembled["history"]["HP05"]] == [
        previous.isoformat(),
        as_at.isoformat(),
    ]
    assert assembled["changes"]["previous_as_at"] == previous.isoformat()
    assert sum(x["added"] for x in assembled["changes"]["lists"]) > 0


def test_month_ends():
    d = dt.date
    assert month_ends(d(2024, 1, 31), d(2024, 4, 29)) == [
        d(2024, 1, 31),
        d(2024, 2, 29),
        d(2024, 3, 31),
    ]
    assert month_ends(d(2026, 3, 2), d(2026, 3, 30)) == []
