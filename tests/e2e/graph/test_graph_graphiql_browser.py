"""GraphiQL in a real browser, offline: `retailtwin serve --db` as a real uvicorn
process on loopback, headless Chromium that resolves no host but loopback, a query
typed into GraphiQL's editor and run with its button, and the twin's data in the
result pane. The page must load every file from the server itself and log no console
error. The screenshot lands in out/screenshots/graphiql.png for people to look at."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx2
import pytest
from browser_support import LOOPBACK_ONLY, chromium, install_chromium
from graph_support import finished_run, gid, serve_process
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[3]
SCREENSHOT = ROOT / "out" / "screenshots" / "graphiql.png"
QUERY = """{
  orders(first: 3, filter: {channel: [WEB]}) {
    totalCount
    nodes { id status channel crossSystem { inSync } }
  }
}"""
EDITOR = ".graphiql-query-editor .CodeMirror"
RESULT = ".graphiql-response .CodeMirror"


@pytest.fixture(scope="module")
def web_assets() -> None:
    """GraphiQL's files, installed the way `make setup` installs them."""
    done = subprocess.run(
        ["bash", str(ROOT / "web" / "install.sh")], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"web/install.sh failed:\n{done.stdout}\n{done.stderr}"


@pytest.fixture(scope="module")
def server(web_assets: None) -> Iterator[str]:
    _, out = finished_run()
    with serve_process("--db", str(out)) as base:
        yield base


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    install_chromium()
    driver = chromium(tmp_path / "profile", (LOOPBACK_ONLY,))
    try:
        yield driver
    finally:
        driver.quit()


def _editor_value(browser: webdriver.Chrome, selector: str) -> str:
    value: str = browser.execute_script(
        "const el = document.querySelector(arguments[0]);"
        "return el && el.CodeMirror ? el.CodeMirror.getValue() : '';",
        selector,
    )
    return value


def test_graphiql_runs_a_query_against_the_twin_offline(
    server: str, browser: webdriver.Chrome
) -> None:
    browser.set_window_size(1400, 900)
    browser.get(f"{server}/graphql")
    wait = WebDriverWait(browser, 30)
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, EDITOR))
    # GraphiQL opens with the README's first query, for a developer to run as it is
    assert "orders(first: 5)" in _editor_value(browser, EDITOR)

    browser.execute_script(
        "document.querySelector(arguments[0]).CodeMirror.setValue(arguments[1])", EDITOR, QUERY
    )
    browser.find_element(By.CSS_SELECTOR, ".graphiql-execute-button").click()
    shown: dict[str, Any] = json.loads(
        wait.until(
            lambda b: _editor_value(b, RESULT) if '"data"' in _editor_value(b, RESULT) else ""
        )
    )

    expected = httpx2.post(f"{server}/graphql", json={"query": QUERY}, timeout=30).json()
    # the data as any client gets it; extensions.cost is each answer's own (the bucket)
    assert shown["data"] == expected["data"]
    assert shown["extensions"]["cost"]["requestedQueryCost"] > 0
    orders = shown["data"]["orders"]
    assert orders["totalCount"] > 3 and len(orders["nodes"]) == 3
    assert {node["channel"] for node in orders["nodes"]} == {"WEB"}

    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, errors
    fetched: list[str] = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert fetched and all(url.startswith(server) for url in fetched), fetched
    assert any(url.endswith("/graphiql/graphiql.min.js") for url in fetched), fetched

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 30_000  # GraphiQL with a result, not a blank page


# On a loaded machine (both cores busy) this fails about one run in three: GraphiQL's
# result pane shows "Cannot return null for non-nullable field
# Subscription.inventoryChanged" and no update follows, although the resolver only
# yields SKUs it found. The cause is not found yet; the Python websocket client's
# subscription tests never show it. Kept runnable (`make test-flaky`), out of CI.
@pytest.mark.flaky
def test_a_graphiql_subscription_streams_what_the_live_twin_does(
    web_assets: None, browser: webdriver.Chrome, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GraphiQL's own websocket client (graphql-transport-ws) against a live twin that
    lets no one in without a key: the page loads, the key in GraphiQL's headers (here
    from the address, as a shared link carries it) reaches the websocket, and the result
    pane fills with a change to the SKU, which an order placed over HTTP after the
    subscription began makes sure of (a busy machine may run the day slowly)."""
    monkeypatch.setenv("RETAILTWIN_ANONYMOUS_ROLE", "none")
    headers = json.dumps({"Authorization": "Bearer view-key"})
    subscription = (
        'subscription { inventoryChanged(skuId: "SKU-00001") { id positions { onHand } } }'
    )
    order = """mutation { orderCreate(input: {idempotencyKey: "graphiql-sub", channel: WEB,
      lines: [{skuId: "SKU-00001", quantity: 1}]}) { order { id } userErrors { code } } }"""
    with serve_process("steady-day", "--speed", "1800", "--api-key", "view-key:viewer") as base:
        browser.get(f"{base}/graphql?headers={quote(headers)}")
        wait = WebDriverWait(browser, 60)
        wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, EDITOR))
        browser.execute_script(
            "document.querySelector(arguments[0]).CodeMirror.setValue(arguments[1])",
            EDITOR,
            subscription,
        )
        browser.find_element(By.CSS_SELECTOR, ".graphiql-execute-button").click()
        placed = httpx2.post(
            f"{base}/graphql",
            json={"query": order},
            headers={"authorization": "Bearer view-key"},
            timeout=60,
        ).json()
        assert placed["data"]["orderCreate"]["userErrors"] == [], placed
        try:
            answer = wait.until(
                lambda b: _editor_value(b, RESULT) if "onHand" in _editor_value(b, RESULT) else ""
            )
        except TimeoutException:
            raise AssertionError(
                f"GraphiQL showed no update; result pane: {_editor_value(browser, RESULT)!r}; "
                f"console: {browser.get_log('browser')}"
            ) from None
        assert json.loads(answer)["data"]["inventoryChanged"]["id"] == gid("Sku", "SKU-00001")
        errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
        assert not errors, errors
