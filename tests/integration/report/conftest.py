"""A real headless Chromium for the report tests (tests/browser_support.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver

sys.path.insert(0, str(Path(__file__).parents[2]))
from browser_support import chromium, install_chromium


@pytest.fixture(scope="session")
def chromium_installed() -> Path:
    return install_chromium()


@pytest.fixture
def browser(chromium_installed: Path, tmp_path: Path) -> Iterator[webdriver.Chrome]:
    driver = chromium(tmp_path / "profile")
    try:
        yield driver
    finally:
        driver.quit()
