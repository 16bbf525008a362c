"""The pack's inputs, written in the build step: ``pack/indicators.json`` and
``pack/drilldowns.json`` in the run folder, which the publisher copies into the return.

The build (``annexa.transform.runner.build``) runs the indicators and drill-downs layers on the
connection that holds the lists and keeps their rows on its result; here the indicator rows are
joined to the catalogue and both are written, owner-only. A failure is recorded on the result
(``pack_error``, then in the manifest), never raised: the pack must not stop a return.
"""

from __future__ import annotations

import logging

from annexa.core.files import private_dir, write_json
from annexa.pack.indicators import join_catalogue
from annexa.transform.runner import BuildResult

log = logging.getLogger(__name__)


def write_pack_inputs(result: BuildResult, la_code: str | None = None) -> None:
    """Fill ``result.pack_inputs`` (name -> JSON file) unless the pack's queries did not run
    or failed; ``la_code`` gives the rates per 10,000 their population."""
    if result.pack_error is not None or result.indicator_rows is None or result.drilldowns is None:
        return
    folder = private_dir(result.work_dir / "pack")
    try:
        indicators = join_catalogue(result.indicator_rows, la_code=la_code)
        for name, doc in (("indicators", indicators), ("drilldowns", result.drilldowns)):
            path = write_json(folder / f"{name}.json", doc, indent=1, default=str)
            result.pack_inputs[name] = str(path)
    except Exception as exc:  # noqa: BLE001 - reported in the build result and the manifest
        log.error("intelligence pack inputs failed: %s", type(exc).__name__)
        result.pack_error = f"{type(exc).__name__}: {exc}"[:500]
