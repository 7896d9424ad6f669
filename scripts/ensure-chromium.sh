#!/usr/bin/env bash
# Runs before `npm test` and `npm run demo`: a fresh Debian/Ubuntu machine gets Chromium from apt (as root);
# anywhere else a missing browser stops here with the hint, not halfway through a run.
set -euo pipefail
if [ -n "${BROWSER_SESSION_MCP_EXECUTABLE_PATH:-}" ]; then
  [ -x "$BROWSER_SESSION_MCP_EXECUTABLE_PATH" ] && exit 0
  echo "BROWSER_SESSION_MCP_EXECUTABLE_PATH=$BROWSER_SESSION_MCP_EXECUTABLE_PATH is not an executable." >&2
  exit 1
fi
for candidate in /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome /usr/bin/google-chrome-stable; do
  [ -x "$candidate" ] && exit 0
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium not found: installing it from apt (apt-get install -y chromium)…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "Chromium not found. Install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set BROWSER_SESSION_MCP_EXECUTABLE_PATH." >&2
exit 1
