"""The wheel is the product: built, installed into a fresh venv outside the checkout, it runs.

Builds the wheel with uv, installs it into a new virtualenv with the locked dependency versions
(uv.lock exported as constraints; uv's cache makes this a link, not a download), generates a
small synthetic CMS and runs ``annexa run`` from that venv with the working directory and
ANNEXA_HOME outside the repository. The return must be published, and the SQL, suites and DAGs
the run used must be the copies inside the installed package (issue 13 item 5), so a wheel
missing any of them fails here.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AS_AT = "2026-03-31"
ASSETS = ("sql", "expectations", "dags")


def _uv() -> str:
    """The uv that `make install` puts beside the venv's python, else one on PATH."""
    beside = Path(sys.executable).with_name("uv")
    found = str(beside) if beside.exists() else shutil.which("uv")
    assert found, "uv not found: run `make install`"
    return found


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    assert proc.returncode == 0, f"{cmd[:3]} failed ({proc.returncode}):\n{proc.stderr[-3000:]}"
    return proc


def _clean_env(home: Path, venv: Path) -> dict[str, str]:
    """The environment of a user who installed the wheel: none of the test session's Airflow
    or annexa settings (they point into the checkout), the new venv first on PATH."""
    keep = {k: v for k, v in os.environ.items() if k in ("HOME", "LANG", "LC_ALL", "TMPDIR", "TZ")}
    return keep | {
        "PATH": f"{venv / 'bin'}{os.pathsep}/usr/bin{os.pathsep}/bin",
        "ANNEXA_HOME": str(home),
        "GX_ANALYTICS_ENABLED": "false",
    }


def _files(folder: Path) -> set[str]:
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_wheel_installs_and_runs_outside_the_checkout(tmp_path: Path) -> None:
    from annexa.source.synthetic import generate

    uv = _uv()
    uv_env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}

    # 1. the wheel, and what it carries
    dist = tmp_path / "dist"
    _run([uv, "build", "--wheel", "--out-dir", str(dist)], cwd=ROOT, env=uv_env)
    (wheel,) = dist.glob("annexa-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    for asset in ASSETS:
        bundled = {
            n.removeprefix(f"annexa/{asset}/") for n in names if n.startswith(f"annexa/{asset}/")
        }
        assert bundled == _files(ROOT / asset), f"the wheel's annexa/{asset}/ differs from {asset}/"
    # ... and every tracked file of the package: code, reference data, templates
    tracked = _run(["git", "ls-files", "-z", "--", "include/annexa"], cwd=ROOT).stdout
    package_files = {f.removeprefix("include/") for f in tracked.split("\0") if f}
    assert "annexa/reference/postcodes.csv" in package_files
    assert package_files <= names, sorted(package_files - names)

    # 2. a fresh venv outside the checkout, dependencies pinned by uv.lock
    constraints = tmp_path / "constraints.txt"
    export = "export --frozen --no-dev --no-hashes --no-emit-project --no-header --quiet -o"
    _run([uv, *export.split(), str(constraints)], cwd=ROOT, env=uv_env)
    venv = tmp_path / "venv"
    _run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], env=uv_env)
    python = venv / "bin" / "python"
    install = ["pip", "install", "--quiet", "--python", str(python), "-c", str(constraints)]
    _run([uv, *install, str(wheel)], env=uv_env)

    # 3. the installed package finds its assets inside itself, not in a checkout
    work = tmp_path / "work"
    work.mkdir()
    env = _clean_env(tmp_path / "annexa_home", venv)
    where = _run(
        [
            str(python),
            "-c",
            "import json, annexa; from annexa.core import paths; from annexa.cli import dags_dir;"
            "print(json.dumps([annexa.__file__, str(paths.sql_dir()),"
            " str(paths.expectations_dir()), str(dags_dir())]))",
        ],
        cwd=work,
        env=env,
    )
    site = (venv / "lib").resolve()
    package, sql, expectations, dags = (Path(p).resolve() for p in json.loads(where.stdout))
    for found in (package, sql, expectations, dags):
        assert found.is_relative_to(site), f"{found} is not inside the new venv"
    assert (sql, expectations, dags) == (
        package.parent / "sql",
        package.parent / "expectations",
        package.parent / "dags",
    )

    # 4. a small synthetic CMS, and the run through Airflow from the installed command
    cms = tmp_path / "cms.db"
    generate(f"sqlite:///{cms}", scale="small", seed=1, as_at=dt.date.fromisoformat(AS_AT))
    out = tmp_path / "out"
    run = ["run", "--source", f"sqlite:///{cms}", "--as-at", AS_AT, "--out", str(out)]
    _run([str(venv / "bin" / "annexa"), *run], cwd=work, env=env, timeout=600)

    folder = out / "999" / AS_AT
    assert (folder / f"annex_a_999_{AS_AT}.xlsx").is_file()
    assert {f"annex_a_999_{AS_AT}_list_{n}.csv" for n in range(1, 12)} <= _files(folder)
    assert (out / "999" / "latest").resolve() == folder.resolve()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["as_at"] == AS_AT
    assert manifest["validation"]["errors"] == 0
    assert sum(manifest["row_counts"].values()) > 0
    assert not any(work.iterdir()), "the run wrote into its working directory"
