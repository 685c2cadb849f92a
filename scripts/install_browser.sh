#!/usr/bin/env bash
# Install headless Chromium + chromedriver (Debian packages) and the selenium client, for
# tests/test_browser.py. Idempotent: skips what is already there.
# Usage: scripts/install_browser.sh [PYTHON]   (PYTHON defaults to .venv/bin/python)
set -euo pipefail

PYTHON="${1:-.venv/bin/python}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    chromium chromium-driver fonts-dejavu-core
fi

if ! "$PYTHON" -c "import selenium" 2>/dev/null; then
  "$PYTHON" -m pip install -q "selenium>=4.10"
fi

/usr/bin/chromium --version 2>/dev/null
/usr/bin/chromedriver --version
"$PYTHON" -c "import selenium; print('selenium', selenium.__version__)"
