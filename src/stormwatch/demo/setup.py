"""Create (or refresh) the live demo workspace: a user, the Nordbank workspace, its monitors
and the demo scenario source. Idempotent: running it again keeps the data and resets only the
demo password, which it returns so the CLI can print it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction

from stormwatch.monitors.models import Monitor
from stormwatch.monitors.service import MonitorInput, create_monitor
from stormwatch.sources.models import SourceConfig
from stormwatch.sources.service import add_own_account
from stormwatch.workspaces.models import Workspace
from stormwatch.workspaces.service import create_workspace

DEMO_USERNAME = "demo"
DEMO_BRAND_PLATFORMS = ("x", "bluesky", "mastodon", "reddit", "appstore", "googleplay")
DEMO_WORKSPACE = "Nordbank (demo)"
DEMO_MONITORS = (
    MonitorInput(name="Nordbank", query='nordbank* OR "nord bank" OR @nordbank'),
    MonitorInput(
        name="Outage and transfers",
        kind="topic",
        query='(awaria* OR "nie działa" OR outage OR down OR przelew* OR transfer*) AND nordbank*',
    ),
    MonitorInput(
        name="Complaints (not our own posts)",
        kind="topic",
        query="(reklamacj* OR skarg* OR complaint* OR refund* OR zwrot*) -author:@nordbank",
    ),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    workspace: Workspace


def set_up_demo(*, now: datetime, time_scale: float = 1.0) -> DemoLogin:
    password = secrets.token_urlsafe(12)
    with transaction.atomic():
        user = User.objects.filter(username=DEMO_USERNAME).first()
        if user is None:
            user = User.objects.create_user(DEMO_USERNAME, email="demo@example.com")
        user.set_password(password)
        user.save()
        workspace = Workspace.objects.filter(name=DEMO_WORKSPACE).first()
        if workspace is None:
            workspace = create_workspace(name=DEMO_WORKSPACE, owner=user, now=now)
        for data in DEMO_MONITORS:
            if not Monitor.objects.filter(workspace=workspace, name=data.name).exists():
                create_monitor(workspace=workspace, data=data, now=now)
        for platform in DEMO_BRAND_PLATFORMS:
            add_own_account(workspace=workspace, platform=platform, handle="nordbank", now=now)
        SourceConfig.objects.get_or_create(
            workspace=workspace,
            name="Demo scenario",
            defaults={
                "kind": "demo",
                "config": {"created_at": now.isoformat(), "seed": 7, "time_scale": time_scale},
                "created_at": now,
            },
        )
    return DemoLogin(username=DEMO_USERNAME, password=password, workspace=workspace)
