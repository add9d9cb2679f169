#!/usr/bin/env bash
# End-to-end tests of `mitra dashboard` in headless Chromium, for .ci/run.
# Installs Debian's chromium (no browser download by any npm package), then runs
# `npm run test:e2e` (build + node --test dist/test/e2e/ with MITRA_E2E=1).
# Exits 0 with a SKIP message only when chromium cannot be installed; any
# test failure fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"

install_chromium() {
  local sudo=""
  if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
      echo "ci-e2e: not root and no password-less sudo: cannot apt-get install chromium"; return 1
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then echo "ci-e2e: no apt-get on this machine"; return 1; fi
  echo "ci-e2e: installing Debian's chromium (apt-get)..."
  export DEBIAN_FRONTEND=noninteractive
  timeout 900 $sudo apt-get update -qq >/tmp/ci-e2e-apt.log 2>&1 || { tail -5 /tmp/ci-e2e-apt.log; return 1; }
  timeout 900 $sudo apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >>/tmp/ci-e2e-apt.log 2>&1 || { tail -5 /tmp/ci-e2e-apt.log; return 1; }
}

if [ ! -x "$CHROMIUM" ]; then
  if ! install_chromium || [ ! -x "$CHROMIUM" ]; then
    echo "ci-e2e: SKIP: Debian's chromium could not be installed, so the dashboard's browser tests did not run (see /tmp/ci-e2e-apt.log)."
    exit 0
  fi
fi
echo "ci-e2e: using $("$CHROMIUM" --version 2>/dev/null | head -1)"

[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund
CHROMIUM_PATH="$CHROMIUM" npm run --silent test:e2e
