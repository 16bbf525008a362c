#!/usr/bin/env bash
# Make sure Debian's Chromium is installed: the pack's HTML is checked in a real headless
# browser (tests/pack/test_render.py). CI must run that test, not skip it, so a failed install
# fails the run.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then echo "chromium: $(/usr/bin/chromium --version 2>/dev/null)"; exit 0; fi
echo "chromium: not installed; installing from Debian's packages"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
[ -x /usr/bin/chromium ] || { echo "chromium: install failed" >&2; exit 1; }
echo "chromium: $(/usr/bin/chromium --version 2>/dev/null)"
