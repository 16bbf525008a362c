"""Fingerprint a published return, minus what legitimately changes between runs.

Used to show that a refactor changes no output (issue 13): run the same CMS and as-at date
before and after, then compare the two fingerprints. Normalised away: the run key, the
generation time (workbook "Generated" cell and document properties, manifest ``generated_at``),
the code version, the run-folder paths, and the workbook's checksum and size in the manifest
(the workbook is compared member by member instead).

    python scripts/return_fingerprint.py OUT/999/2026-03-31 [OTHER/999/2026-03-31]

With two folders it prints the files that differ and exits 1 if any do.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import zipfile
from pathlib import Path

_GENERATED = re.compile(rb"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d UTC")
_CREATED = re.compile(rb"<dcterms:created[^>]*>[^<]*</dcterms:created>")


def _workbook(path: Path) -> dict[str, str]:
    out = {}
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            data = _CREATED.sub(b"<dcterms:created/>", _GENERATED.sub(b"<generated>", z.read(name)))
            out[f"{path.name}!{name}"] = hashlib.sha256(data).hexdigest()
    return out


def _manifest(path: Path) -> str:
    doc = json.loads(path.read_text())
    for key in ("run", "generated_at", "code_version"):
        doc.pop(key, None)
    for name in list(doc.get("files", {})):
        if name.endswith(".xlsx"):
            doc["files"][name] = "<compared member by member>"
    doc.get("source", {}).pop("snapshot", None)
    for key in ("summary", "report"):
        doc.get("validation", {}).pop(key, None)
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


def fingerprint(folder: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted(Path(folder).iterdir()):
        if path.suffix == ".xlsx":
            out |= _workbook(path)
        elif path.name == "manifest.json":
            out[path.name] = _manifest(path)
        else:
            out[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def main(argv: list[str]) -> int:
    first = fingerprint(Path(argv[0]))
    if len(argv) == 1:
        for name, digest in first.items():
            print(f"{digest}  {name}")
        total = hashlib.sha256("".join(first.values()).encode()).hexdigest()
        print(f"{total}  (all {len(first)} parts)")
        return 0
    second = fingerprint(Path(argv[1]))
    differ = sorted(n for n in first.keys() | second.keys() if first.get(n) != second.get(n))
    for name in differ:
        print(f"differs: {name}")
    print(
        f"{len(first.keys() | second.keys()) - len(differ)} parts identical, {len(differ)} differ"
    )
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
