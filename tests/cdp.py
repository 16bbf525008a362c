"""Drive headless Chromium (Debian chromium) through the DevTools protocol, for the page tests
(the pack and explorer, which click) and the stack test (the readiness page behind a token): open
a page, wait until it has loaded, optionally save a screenshot, evaluate expressions in order
(each may click and return what the page then shows), collect the console's errors and any
exceptions. One driver, so a fix to the protocol handling reaches every browser test."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
# what every browser test starts Debian chromium with (the tests add their own mode and profile)
HEADLESS_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def run_in_page(
    url: str,
    expressions: list[str],
    profile: Path,
    *,
    headers: dict[str, str] | None = None,
    screenshot: Path | None = None,
) -> tuple[list, list[str]]:
    """Load ``url`` (sending ``headers`` with every request, e.g. a bearer token), save a PNG
    to ``screenshot`` when given, then evaluate each expression (awaiting promises); returns
    their values (JSON-able) and the page's console errors and uncaught exceptions."""
    import websockets

    if not Path(CHROMIUM).exists():
        pytest.skip("install Debian chromium (the CI installs it)")
    proc = subprocess.Popen(
        [
            CHROMIUM,
            *HEADLESS_FLAGS,
            "--remote-debugging-port=0",
            f"--user-data-dir={profile}",
            "--window-size=1280,900",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        for _ in range(240):
            if port_file.is_file() and port_file.read_text().strip():
                break
            time.sleep(0.25)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30) as r:
            page = next(t for t in json.load(r) if t["type"] == "page")

        async def drive() -> tuple[list, list[str]]:
            errors: list[str] = []
            async with websockets.connect(page["webSocketDebuggerUrl"], max_size=2**26) as ws:
                n = 0

                async def call(method: str, **params):
                    nonlocal n
                    n += 1
                    await ws.send(json.dumps({"id": n, "method": method, "params": params}))
                    while True:
                        msg = json.loads(await ws.recv())
                        if msg.get("id") == n:
                            if "error" in msg:
                                raise RuntimeError(f"{method}: {msg['error']}")
                            return msg.get("result", {})
                        if msg.get("method") == "Runtime.exceptionThrown":
                            errors.append(json.dumps(msg["params"]["exceptionDetails"])[:500])
                        elif msg.get("method") == "Runtime.consoleAPICalled":
                            if msg["params"].get("type") == "error":
                                errors.append(json.dumps(msg["params"]["args"])[:500])
                        elif msg.get("method") == "Log.entryAdded":
                            entry = msg["params"]["entry"]
                            if entry.get("level") == "error":
                                errors.append(entry.get("text", "")[:500])

                await call("Page.enable")
                await call("Runtime.enable")
                await call("Log.enable")
                if headers:
                    await call("Network.enable")
                    await call("Network.setExtraHTTPHeaders", headers=headers)
                await call("Page.navigate", url=url)
                for _ in range(240):
                    state = await call("Runtime.evaluate", expression="document.readyState")
                    if state.get("result", {}).get("value") == "complete":
                        break
                    await asyncio.sleep(0.25)
                if screenshot is not None:
                    shot = await call("Page.captureScreenshot", format="png")
                    screenshot.write_bytes(base64.b64decode(shot["data"]))
                values = []
                for e in expressions:
                    got = await call(
                        "Runtime.evaluate", expression=e, returnByValue=True, awaitPromise=True
                    )
                    if "exceptionDetails" in got:
                        raise AssertionError(f"{e}: {got['exceptionDetails']}")
                    values.append(got.get("result", {}).get("value"))
                await call("Runtime.evaluate", expression="0")  # drain late console events
                return values, errors

        return asyncio.run(asyncio.wait_for(drive(), 180))
    finally:
        os.killpg(proc.pid, 9)
        proc.wait(timeout=30)
