"""A real headless Chromium for the browser tests: Debian's chromium and chromedriver,
installed by the project's own script when missing, driven by selenium.

The launch flags are the ones that work on a sandboxed CI machine with no network but
the package registries: no sandbox (root), no GPU, and none of Chromium's background
connections (which would be refused, noisily). Every browser gets a fresh profile.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
)
#: Chromium resolves no host name but loopback: a page that reaches for a CDN fails
LOOPBACK_ONLY = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"


def install_chromium() -> Path:
    """scripts/install-chromium.sh (quick when Chromium is there); fails the test with
    the script's output when it cannot install it."""
    script = ROOT / "scripts" / "install-chromium.sh"
    done = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=1200)
    if done.returncode != 0 or not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.fail(
            f"{script} could not install Chromium (exit {done.returncode}):\n"
            f"{done.stdout}\n{done.stderr}"
        )
    return CHROMIUM


def chromium(profile: Path, extra_flags: Sequence[str] = ()) -> webdriver.Chrome:
    """A headless Chromium with a fresh profile in `profile`, its console log kept."""
    os.environ["SE_OFFLINE"] = "true"  # never let selenium-manager reach for a download
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, *extra_flags, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
