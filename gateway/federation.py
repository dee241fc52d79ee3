"""Run retailtwin as a federated graph: the four subgraphs as separate uvicorn processes
on loopback, and Hive Gateway composing them at runtime.

    .venv/bin/python gateway/federation.py --db out/        # a finished run's read model

Installs the gateway pinned by gateway/package-lock.json with `npm ci` on first use,
starts `retailtwin serve --db DB --subgraph NAME` four times, then
`hive-gateway supergraph --dev-service NAME=URL ... --host 127.0.0.1`, waits until each
answers, prints `READY <gateway url>` and keeps running until it is interrupted
(SIGINT, SIGTERM) or its standard input closes; then it stops everything it started.
The tests start it exactly this way (tests/integration/graph/test_graph_gateway.py).
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
SUBGRAPHS = ("orders", "inventory", "returns", "operations")
GATEWAY_BIN = HERE / "node_modules" / ".bin" / "hive-gateway"
STAMP = HERE / "node_modules" / ".retailtwin-installed"
#: held while `npm ci` runs (`install_gateway`); outside node_modules, which npm ci deletes
INSTALL_LOCK = HERE / ".install.lock"


class FederationError(RuntimeError):
    """Something the federation could not start without; the message says what to do."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def install_gateway() -> None:
    """`npm ci` from the committed lock file, once (again if the lock file changes).
    Two processes asking at once (two test workers, two federations started together)
    take turns on a lock file: `npm ci` first deletes node_modules, so a second install
    beside the first would pull the gateway from under it."""
    with INSTALL_LOCK.open("w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        _install_once()


def _install_once() -> None:
    lock = HERE / "package-lock.json"
    if GATEWAY_BIN.exists() and STAMP.exists() and STAMP.read_text() == lock.read_text():
        return
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise FederationError(
            "the federation gateway needs Node.js and npm on PATH "
            "(node 20 or newer); install them, e.g. `apt-get install nodejs "
            "npm`, and run again"
        )
    print("installing Hive Gateway with npm ci (first run only)...", file=sys.stderr, flush=True)
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=HERE,
        stdout=sys.stderr,
        check=False,
    )
    if done.returncode != 0 or not GATEWAY_BIN.exists():
        raise FederationError(f"npm ci in {HERE} failed (exit {done.returncode}); see above")
    STAMP.write_text(lock.read_text())


def wait_until(
    url: str, body: bytes | None, process: subprocess.Popen[bytes], what: str, timeout_s: float
) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise FederationError(f"{what} exited with {process.returncode} before it was ready")
        request = urllib.request.Request(
            url,
            data=body,
            headers={"content-type": "application/json", "accept": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise FederationError(f"{what} did not answer at {url} within {timeout_s:.0f}s")


class Federation:
    def __init__(self, db: Path, python: str) -> None:
        self.db = db
        self.python = python
        self.processes: list[subprocess.Popen[bytes]] = []
        self.urls: dict[str, str] = {}
        self.gateway_url = ""

    def _spawn(self, command: Sequence[str], cwd: Path | None = None) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            list(command), cwd=cwd, stdout=sys.stderr, stderr=sys.stderr, start_new_session=True
        )
        self.processes.append(process)
        return process

    def start(self) -> None:
        install_gateway()
        for name in SUBGRAPHS:
            port = free_port()
            process = self._spawn(
                [
                    self.python,
                    "-m",
                    "scenarios.cli",
                    "serve",
                    "--db",
                    str(self.db),
                    "--subgraph",
                    name,
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--log-level",
                    "warning",
                ]
            )
            self.urls[name] = f"http://127.0.0.1:{port}/graphql"
            wait_until(f"http://127.0.0.1:{port}/healthz", None, process, f"subgraph {name}", 60)
        port = free_port()
        command = [str(GATEWAY_BIN), "supergraph", "--host", "127.0.0.1", "--port", str(port)]
        for name, url in self.urls.items():
            command += ["--dev-service", f"{name}={url}"]
        gateway = self._spawn(command, cwd=HERE)
        self.gateway_url = f"http://127.0.0.1:{port}/graphql"
        wait_until(
            self.gateway_url,
            json.dumps({"query": "{ __typename }"}).encode(),
            gateway,
            "Hive Gateway",
            120,
        )

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)  # its own session: it and its workers
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--db",
        type=Path,
        required=True,
        help="a finished run's output directory or read_model.sqlite",
    )
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="the Python with retailtwin installed (default: this one)",
    )
    args = parser.parse_args(argv)
    federation = Federation(args.db, args.python)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    try:
        federation.start()
        print(f"READY {federation.gateway_url}", flush=True)
        for name, url in federation.urls.items():
            print(f"SUBGRAPH {name} {url}", flush=True)
        threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
        stop.wait()
    except FederationError as exc:
        print(f"federation: error: {exc}", file=sys.stderr)
        return 2
    finally:
        federation.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
