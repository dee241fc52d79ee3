"""A real headless Chromium for the report tests: Debian's chromium and chromedriver,
installed by the project's own script when missing, driven by selenium.

The launch flags are the ones that work on a sandboxed CI machine with no network but
the package registries: no sandbox (root), no GPU, and none of Chromium's background
connections (which would be refused, noisily). Every session gets a fresh profile.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parents[3]
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


@pytest.fixture(scope="session")
def chromium_installed() -> Path:
    script = ROOT / "scripts" / "install-chromium.sh"
    done = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=1200)
    if done.returncode != 0 or not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.fail(
            f"{script} could not install Chromium (exit {done.returncode}):\n"
            f"{done.stdout}\n{done.stderr}"
        )
    return CHROMIUM


@pytest.fixture
def browser(chromium_installed: Path, tmp_path: Path) -> Iterator[webdriver.Chrome]:
    os.environ["SE_OFFLINE"] = "true"  # never let selenium-manager reach for a download
    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium_installed)
    for flag in (*FLAGS, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()
