"""The named cast every permission test reuses, and workspace builders.

Cast: owner Olga (can do everything), analyst Adam, responder Rita, viewer Wiktor, all in the
"Nordbank" workspace; outsider Oskar owns another workspace and must see none of Nordbank.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from stormwatch.testing import TEST_NOW_ISO, TEST_PASSWORD
from stormwatch.workspaces.models import Workspace
from stormwatch.workspaces.service import add_member, create_workspace

NOW = datetime.fromisoformat(TEST_NOW_ISO)
PASSWORD = TEST_PASSWORD
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@dataclass(frozen=True)
class Cast:
    workspace: Workspace
    other_workspace: Workspace
    owner: User
    analyst: User
    responder: User
    viewer: User
    outsider: User

    def client_for(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client


def _user(username: str) -> User:
    return User.objects.create_user(username, email=f"{username}@example.com", password=PASSWORD)


@pytest.fixture
def cast(db: None) -> Cast:
    owner = _user("olga")
    outsider = _user("oskar")
    workspace = create_workspace(name="Nordbank", owner=owner, now=NOW)
    other = create_workspace(name="Rivalbank", owner=outsider, now=NOW)
    members = {}
    for name, role in (("adam", "analyst"), ("rita", "responder"), ("wiktor", "viewer")):
        members[role] = _user(name)
        add_member(workspace=workspace, user=members[role], role=role, now=NOW)
    return Cast(
        workspace=workspace,
        other_workspace=other,
        owner=owner,
        analyst=members["analyst"],
        responder=members["responder"],
        viewer=members["viewer"],
        outsider=outsider,
    )
