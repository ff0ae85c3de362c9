"""A real local Bluesky network (PLC + PDS from npm) for the end-to-end tests.

`devnet` installs the npm pieces with scripts/bluesky-devnet-setup.sh when needed (skipping
cleanly when npm is missing), starts tests/bluesky/devnet/start.mjs under Node 22 and yields its
addresses. The process stops when its stdin closes; it is terminated, then killed, if it lingers.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pytest
from atproto import Client

REPO_ROOT = Path(__file__).resolve().parents[2]
SETUP_SCRIPT = REPO_ROOT / "scripts" / "bluesky-devnet-setup.sh"
_USER_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
DEVNET_DIR = Path(os.environ.get("BSKY_DEVNET_DIR", _USER_CACHE / "stormwatch" / "bluesky-devnet"))
SETUP_TIMEOUT_S = 1200
START_TIMEOUT_S = 60
NPM_MISSING = 3


@dataclass(frozen=True)
class Account:
    handle: str
    password: str
    did: str


@dataclass(frozen=True)
class Devnet:
    """Addresses of the running network, and helpers that act as its users."""

    pds_url: str
    firehose_url: str
    # Clients stay referenced until the session ends, then close: no socket is left to the GC.
    clients: list[Client] = field(default_factory=list)

    @property
    def xrpc_url(self) -> str:
        return self.pds_url + "/xrpc"

    def client(self) -> Client:
        """An anonymous client of the local PDS, closed when the network stops."""
        self.clients.append(Client(base_url=self.xrpc_url))
        return self.clients[-1]

    def close_clients(self) -> None:
        for client in self.clients:
            client.request.close()

    def create_account(self, name: str) -> Account:
        """A fresh account on the local PDS (invites are off there); handles end in .test."""
        handle, password = f"{name}.test", f"{name}-password-1"
        client = self.client()
        created = client.com.atproto.server.create_account(
            {"handle": handle, "email": f"{name}@example.com", "password": password}
        )
        return Account(handle=handle, password=password, did=str(created.did))

    def login(self, account: Account) -> Client:
        """A client logged in with com.atproto.server.createSession only (no AppView here)."""
        client = self.client()
        client.login(account.handle, account.password, fetch_bsky_profile=False)
        return client

    def create_post(
        self,
        client: Client,
        did: str,
        text: str,
        langs: tuple[str, ...] = ("pl",),
    ) -> str:
        """Post as the logged-in account with plain XRPC; returns the at:// URI."""
        record = {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": "2025-05-01T10:00:00Z",
            "langs": list(langs),
        }
        created = client.com.atproto.repo.create_record(
            {"repo": did, "collection": "app.bsky.feed.post", "record": record}
        )
        return str(created.uri)


def _install() -> None:
    if shutil.which("npm") is None or shutil.which("bash") is None:
        pytest.skip("npm is not installed, so the local Bluesky network cannot run")
    env = {**os.environ, "BSKY_DEVNET_DIR": str(DEVNET_DIR), "BSKY_DEVNET_QUIET": "1"}
    done = subprocess.run(
        ["bash", str(SETUP_SCRIPT)],
        env=env,
        capture_output=True,
        text=True,
        timeout=SETUP_TIMEOUT_S,
        check=False,
    )
    if done.returncode == NPM_MISSING:
        pytest.skip(f"local Bluesky network unavailable: {done.stderr.strip()}")
    if done.returncode != 0:
        pytest.fail(f"bluesky-devnet-setup.sh failed ({done.returncode}):\n{done.stderr[-3000:]}")


def _read_first_line(process: subprocess.Popen[str], timeout: float) -> str:
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout
    threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        return ""


@pytest.fixture(scope="session")
def devnet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Devnet]:
    _install()
    node = DEVNET_DIR / "node_modules" / "node" / "bin" / "node"
    data_dir = tmp_path_factory.mktemp("bsky-devnet")
    log_path = data_dir / "devnet.log"
    env = {**os.environ, "BSKY_DEVNET_DATA_DIR": str(data_dir / "state")}
    with log_path.open("w") as log:
        process = _spawn([str(node), str(DEVNET_DIR / "start.mjs")], env, log)
    try:
        line = _read_first_line(process, START_TIMEOUT_S)
        if not line:
            log_tail = log_path.read_text(errors="replace")[-3000:]
            pytest.fail(f"the local Bluesky network did not start ({process.poll()}):\n{log_tail}")
        info = json.loads(line)
        network = Devnet(pds_url=info["pds_url"], firehose_url=info["firehose_url"])
        yield network
        network.close_clients()
    finally:
        _stop(process)


def _spawn(command: list[str], env: dict[str, str], log: IO[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command,
        cwd=DEVNET_DIR,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )


def _stop(process: subprocess.Popen[str]) -> None:
    assert process.stdin is not None
    process.stdin.close()  # start.mjs shuts the network down when stdin closes
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    if process.stdout is not None:
        process.stdout.close()
