"""Start Django for commands that need the database; bad settings end the command clearly."""

from __future__ import annotations

import os
import sys

from stormwatch.core.errors import ConfigurationError


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stormwatch.settings")
    import django

    try:
        django.setup()
    except ConfigurationError as exc:
        print(f"stormwatch: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc
