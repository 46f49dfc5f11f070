#!/bin/sh
# What the page's browser test (tests/web/test_browser.py) and `python -m replay.web.screenshot`
# need: a Chromium (Debian's `chromium` package) and Playwright for Python in the venv,
# which drives that Chromium (Playwright's own browser download is never used).
#
#   scripts/install-browser.sh [VENV]      (default: $VENV, else .venv)
#
# Idempotent: returns at once when both are there.  Installs Chromium with apt-get when run
# as root (as CI does) or with password-less sudo; otherwise says why and leaves it to the
# test to skip.  LIVETEXT_CHROMIUM names another Chromium executable.
set -eu

venv="${1:-${VENV:-.venv}}"
python="$venv/bin/python"

have_chromium() {
    if [ -n "${LIVETEXT_CHROMIUM:-}" ]; then
        [ -x "$LIVETEXT_CHROMIUM" ]
        return
    fi
    for name in chromium chromium-browser google-chrome google-chrome-stable; do
        command -v "$name" >/dev/null 2>&1 && return 0
    done
    return 1
}

if ! have_chromium; then
    if [ "$(id -u)" = 0 ]; then
        sudo=""
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo="sudo -n"
    else
        sudo="none"
    fi
    if [ "$sudo" = none ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "install-browser: no Chromium, and no root or apt-get to install it;" \
            "the browser test will skip (install chromium, or set LIVETEXT_CHROMIUM)" >&2
    else
        echo "install-browser: installing Debian's chromium" >&2
        export DEBIAN_FRONTEND=noninteractive
        $sudo apt-get update -q
        $sudo apt-get install -y -q chromium
        have_chromium || { echo "install-browser: chromium did not install" >&2; exit 1; }
    fi
fi

if [ -x "$python" ]; then
    if ! "$python" -c "import playwright.sync_api" 2>/dev/null; then
        echo "install-browser: installing Playwright for Python into $venv" >&2
        "$python" -m pip install -q playwright
    fi
else
    echo "install-browser: no $python yet (make the venv first)" >&2
    exit 1
fi
