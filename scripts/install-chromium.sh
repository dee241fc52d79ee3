#!/usr/bin/env bash
# Installs Debian's Chromium and ChromeDriver for the browser test of report.html, if
# they are missing. Called by the test fixture (tests/integration/report/conftest.py),
# never by hand; idempotent and quick when both are already there.
set -euo pipefail

if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-chromium: no apt-get here; install chromium and chromedriver yourself" >&2
    exit 1
fi
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo -n"
    else
        echo "install-chromium: needs root (or sudo) to apt-get install chromium" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
# one install at a time from this project's scripts (scripts/debian_package.sh): two
# test workers may want Chromium at once, and apt-get update does not wait for the lists
exec {lock_fd}>/tmp/retailtwin-apt.lock
flock "$lock_fd"
if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
    exit 0  # installed while this one waited
fi
echo "install-chromium: installing Debian's chromium and chromium-driver" >&2
# another process may hold the dpkg lock (a second test run, unattended upgrades): wait
APT=(apt-get -o DPkg::Lock::Timeout=600 -qq)
$SUDO "${APT[@]}" update
$SUDO "${APT[@]}" install -y --no-install-recommends chromium chromium-driver >/dev/null
/usr/bin/chromium --version >&2
