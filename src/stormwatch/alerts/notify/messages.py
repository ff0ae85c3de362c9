"""What a notification says, in the instance's language (settings.LANGUAGE_CODE)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from stormwatch.alerts.models import Alert
from stormwatch.alerts.notify.channels import Message
from stormwatch.workspaces.models import Workspace


def _explanation(alert: Alert) -> str:
    return alert.explanation_pl if translation.get_language() == "pl" else alert.explanation_en


def alert_message(alert: Alert, reason: str) -> Message:
    with translation.override(settings.LANGUAGE_CODE):
        heads = {
            "raised": _("Alert"),
            "updated": _("Alert grew"),
            "escalated": _("Alert escalated, nobody acknowledged it"),
            "recovered": _("Resolved, the source is healthy again"),
        }
        title = _("%(head)s: %(monitor)s, severity %(severity)s of 5") % {
            "head": heads.get(reason, _("Alert")),
            "monitor": alert.subject,
            "severity": alert.severity,
        }
        return Message(title=title, body=_explanation(alert))


def digest_message(workspace: Workspace, alerts: list[Alert], since: datetime) -> Message:
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Stormwatch digest for %(workspace)s: %(count)s alerts") % {
            "workspace": workspace.name,
            "count": len(alerts),
        }
        lines = [_("Alerts detected since %(since)s UTC:") % {"since": f"{since:%Y-%m-%d %H:%M}"}]
        for alert in alerts:
            first = _explanation(alert).split("\n")[0]
            lines.append(
                f"- [{alert.severity}/5] {alert.subject}, {alert.detected_at:%Y-%m-%d %H:%M}"
                f" ({alert.state}): {first}"
            )
        if not alerts:
            lines.append(_("No alerts. All quiet."))
        return Message(title=title, body="\n".join(lines))


def test_message() -> Message:
    with translation.override(settings.LANGUAGE_CODE):
        return Message(
            title=_("Stormwatch test notification"),
            body=_("If you can read this, this channel delivers Stormwatch alerts."),
        )
