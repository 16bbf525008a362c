"""Imports follow the data flow (docs/architecture.md): the import-linter contracts in
pyproject.toml hold on the package, and the same contracts do report a wrong import."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).parent / "lint-imports"


def _lint(cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if pythonpath is not None:  # the temporary package comes before the installed one
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(
        [str(LINT), "--no-cache", "--no-logo", str(cwd / "pyproject.toml")],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_package_keeps_every_contract():
    run = _lint(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 kept, 0 broken" in run.stdout


def _package(root: Path, modules: dict[str, str]) -> None:
    """``annexa`` with every layer of the contracts (empty), plus ``modules``."""
    layers = (
        "cli notify airflow_support stack pipeline readiness las pack returns publish validate "
        "transform source "
        "reference core"
    ).split()
    for name in layers:
        (root / "annexa" / name).mkdir(parents=True)
        (root / "annexa" / name / "__init__.py").write_text("")
    (root / "annexa" / "__init__.py").write_text("")
    (root / "duckdb").mkdir()
    (root / "duckdb" / "__init__.py").write_text("")
    for rel, text in modules.items():
        (root / rel).write_text(text)


def test_an_upward_import_a_cycle_and_duckdb_in_the_gate_are_reported(tmp_path):
    pkg = tmp_path / "src"
    _package(
        pkg,
        {
            "annexa/validate/report.py": "from annexa.publish import workbook\n",  # upward
            "annexa/core/paths.py": "def f():\n    import annexa.pipeline\n",  # upward, lazy
            "annexa/validate/gate.py": "import duckdb\n",  # the gate opens DuckDB
            "annexa/pack/a.py": "from annexa.pack import b\n",  # a cycle inside a layer
            "annexa/pack/b.py": "from annexa.pack import a\n",
            "annexa/transform/runner.py": "from annexa.source import contract\n",  # downward: ok
        },
    )
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    run = _lint(tmp_path, pythonpath=pkg)
    out = run.stdout
    assert run.returncode == 1, out + run.stderr
    assert "0 kept, 3 broken" in out
    assert "annexa.validate.report -> annexa.publish" in out
    assert "annexa.core.paths -> annexa.pipeline" in out
    assert "annexa.validate.gate -> duckdb" in out
    assert "No cycles are allowed in annexa.pack" in out
    assert "annexa.transform.runner" not in out  # a downward import is not reported
