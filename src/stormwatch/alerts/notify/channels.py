"""Sending one message through one apprise URL (Slack, Teams, email, Telegram, webhooks...).

`send` raises `DeliveryError`: `permanent=True` when the URL itself is unusable (retrying
cannot help), `permanent=False` when the service refused or could not be reached.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from dataclasses import dataclass

from django.conf import settings

from stormwatch.sources.secrets import fernet_for

# apprise 2.3 lazily imports the stdlib `imghdr` (deprecated since Python 3.11, gone in 3.13,
# where apprise shims it) when its email plugin loads; importing it here once, with the
# warning silenced, keeps the warning (theirs) from failing a run that treats warnings as errors.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="'imghdr' is deprecated", category=DeprecationWarning)
    with contextlib.suppress(ImportError):
        import imghdr  # noqa: F401
    import apprise


@dataclass(frozen=True)
class Message:
    title: str
    body: str


class DeliveryError(Exception):
    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.permanent = permanent


def is_valid_url(url: str) -> bool:
    return apprise.Apprise.instantiate(url) is not None


def redact_url(url: str) -> str:
    """The URL with passwords and tokens masked, for pages and logs."""
    plugin = apprise.Apprise.instantiate(url)
    return str(plugin.url(privacy=True)).split("?")[0] if plugin else "(invalid URL)"


def send(url: str, message: Message) -> None:
    """Deliver `message` to `url`; returns only when the service accepted it."""
    notifier = apprise.Apprise()
    if not notifier.add(url):
        raise DeliveryError("not a valid notification URL", permanent=True)
    with apprise.LogCapture(level=logging.WARNING) as captured:
        ok = notifier.notify(title=message.title, body=message.body)
        log = captured.getvalue().strip()
    if not ok:
        last_line = log.splitlines()[-1] if log else "the service did not accept the message"
        raise DeliveryError(last_line[:500], permanent=False)


def encrypt_url(url: str) -> str:
    return fernet_for(settings.SECRET_KEY).encrypt(url.encode("utf-8")).decode("ascii")


def decrypt_url(token: str) -> str:
    return fernet_for(settings.SECRET_KEY).decrypt(token.encode("ascii")).decode("utf-8")
