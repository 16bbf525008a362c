"""DfE's validation rules for the CIN census and the SSDA903, run in their own environment.

``csc-validator-be-cin`` and ``csc-validator-be-903`` (data-to-insight, pinned in
``tools/dfe-validators``) need pandas 1.x and numpy 1.24, which cannot live beside Airflow and
GX, so ``make validators`` installs them into ``.venv-validators`` from their own lock file and
the product runs ``dfe_runner.py`` there in a subprocess, never importing or vendoring them.
The runner writes JSON: rule codes, messages, child ids, tables, fields and row numbers.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from annexa.core.paths import REPO_ROOT

RUNNER = Path(__file__).with_name("dfe_runner.py")
ENV_VAR = "ANNEXA_VALIDATORS_PYTHON"


class ValidatorsMissing(RuntimeError):
    """The validators' environment is not installed (run ``make validators``)."""


@dataclass
class Issue:
    """One record (or the whole return) failing one DfE rule."""

    rule: str  # DfE's rule code, e.g. "8500", "8770Q" or "103"
    message: str
    severity: str  # "error", or "query" (CIN codes ending in Q): published, listed
    child_id: str | None
    table: str | None  # the validator's table, e.g. "Episodes", "CINdetails"
    fields: list[str] = field(default_factory=list)
    row: str | None = None  # the row's position in that table (0-based)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ValidatorRun:
    kind: str  # "cin" or "903"
    ruleset: str
    rules_run: list[str]
    messages: dict[str, str]
    issues: list[Issue]
    failed_to_run: list[str]
    skipped: list[str]
    seconds: dict[str, float]
    rows: dict[str, int]

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def queries(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "query"]

    def rules_fired(self, severity: str | None = None) -> set[str]:
        return {i.rule for i in self.issues if severity in (None, i.severity)}


def severity(kind: str, rule: str) -> str:
    """DfE marks queries (to be checked and explained, not blocking) with a trailing Q."""
    return "query" if rule.upper().endswith("Q") else "error"


def python() -> Path:
    """The validators' interpreter: $ANNEXA_VALIDATORS_PYTHON, else the checkout's env."""
    given = os.environ.get(ENV_VAR)
    path = Path(given) if given else REPO_ROOT / ".venv-validators" / "bin" / "python"
    if not path.exists():
        raise ValidatorsMissing(
            f"DfE validators not installed at {path}: run `make validators` "
            f"(or set {ENV_VAR} to the python of an environment from tools/dfe-validators)"
        )
    return path


def run(kind: str, files: list[Path], *, year: int, la: str = "E09000027") -> ValidatorRun:
    """Run one return's rules for the collection year ending 31 March ``year``."""
    if kind not in ("cin", "903"):
        raise ValueError(f"kind must be 'cin' or '903', not {kind!r}")
    with tempfile.TemporaryDirectory(prefix="annexa-dfe-") as tmp:
        out = Path(tmp) / "issues.json"
        cmd = [str(python()), str(RUNNER), kind, *map(str, files)]
        cmd += ["--year", str(year), "--la", la, "--out", str(out)]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
        if done.returncode != 0 or not out.exists():
            tail = "\n".join(done.stderr.strip().splitlines()[-5:])
            raise RuntimeError(f"DfE {kind} validator failed (exit {done.returncode}): {tail}")
        doc = json.loads(out.read_text())
    return ValidatorRun(
        kind=kind,
        ruleset=doc["ruleset"],
        rules_run=doc["rules_run"],
        messages=doc["messages"],
        issues=[Issue(severity=severity(kind, i["rule"]), **i) for i in doc["issues"]],
        failed_to_run=doc.get("failed_to_run", []),
        skipped=doc.get("skipped", []),
        seconds=doc.get("seconds", {}),
        rows=doc.get("rows", {}),
    )
