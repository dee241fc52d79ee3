"""The federation gateway installed in the background from the start of the session.

Why: in a clean clone the first test marked `gateway` ran `npm ci` of
gateway/package-lock.json (gateway/federation.py, `install_gateway`) in series with
everything else: most of the 28.5 s test_graph_http_audit took in the clean-clone CI,
a wait on the disk and the npm cache more than on the CPU. Started when the session's
tests are collected (after tests/head_start.py has lowered the session's priority, so
behind the judged runs), it goes on beside the unit tier; each test marked `gateway`
waits for it before its setup, so no two installs ever share the folder.

Nothing starts when no selected test is marked `gateway`. An install that fails in the
background is left for the tests: the first of them installs again and fails with the
reason, as before.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from contextlib import suppress

import pytest

#: the marker of the tests that need the gateway installed
MARKER = "gateway"

_INSTALLING = pytest.StashKey[threading.Thread]()


def _install() -> None:
    from gateway.federation import FederationError, install_gateway

    # a failure is left for the first test that needs the gateway: it installs again
    # and says why
    with suppress(FederationError):
        install_gateway()


def start(session: pytest.Session, items: Iterable[pytest.Item]) -> None:
    """Start the install when a selected test needs the gateway (none when the session
    only lists its tests)."""
    if session.config.option.collectonly:
        return
    if not any(item.get_closest_marker(MARKER) is not None for item in items):
        return
    installing = threading.Thread(target=_install, name="npm ci", daemon=True)
    installing.start()
    session.config.stash[_INSTALLING] = installing


def wait(item: pytest.Item) -> None:
    """Before a test that needs the gateway: the background install is over."""
    if item.get_closest_marker(MARKER) is None:
        return
    installing = item.config.stash.get(_INSTALLING, None)
    if installing is not None:
        installing.join()
