#!/usr/bin/env bash
# The dashboard test drives a real headless browser (Debian's chromium). Install it when we can
# (root with apt-get, as on CI); otherwise that one test skips and says why.
set -u
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the dashboard browser test..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "warning: could not install chromium; the dashboard browser test will be skipped"
else
  echo "note: chromium not found and cannot be installed here; the dashboard browser test will be skipped"
fi
exit 0
