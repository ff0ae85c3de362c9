"""Django settings: the only module that reads the environment.

Every variable is documented in docs/operators.md. A bad value stops the process at start-up
with a message naming the variable, rather than failing later in a request.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Literal, cast
from urllib.parse import urlsplit

from stormwatch.core.errors import ConfigurationError

PACKAGE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name}={raw!r} is not a boolean; use true or false")


def _env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise ConfigurationError(f"{name}={value} must be at least {minimum}")
    return value


def _plotly_js_dir() -> Path:
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data"


def _time_zone() -> str:
    """Where the team is: pages and charts show times there; the database stores UTC."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = os.environ.get("STORMWATCH_TIME_ZONE", "Europe/Warsaw")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigurationError(
            f"STORMWATCH_TIME_ZONE={name!r} is not a known time zone"
        ) from None
    return name


def _data_dir() -> Path:
    path = Path(os.environ.get("STORMWATCH_DATA_DIR", "data")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def _database_config(url: str) -> dict[str, object]:
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:///relative/path.db or sqlite:////absolute/path.db
        name = parts.path[1:] if parts.path.startswith("/") else parts.path
        if not name:
            raise ConfigurationError("DATABASE_URL sqlite:/// needs a file path")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
            "TEST": {"NAME": None},
        }
    if parts.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": parts.path.lstrip("/") or "postgres",
            "USER": parts.username or "",
            "PASSWORD": parts.password or "",
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
        }
    raise ConfigurationError(
        f"DATABASE_URL scheme {parts.scheme!r} is not supported; use sqlite:/// or postgresql://"
    )


DATA_DIR = _data_dir()
DEBUG = _env_bool("STORMWATCH_DEBUG", False)
SECRET_KEY = os.environ.get("STORMWATCH_SECRET_KEY", "")
if not SECRET_KEY:
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text().strip()
if len(SECRET_KEY) < 32:
    raise ConfigurationError("STORMWATCH_SECRET_KEY must be at least 32 characters long")

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("STORMWATCH_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("STORMWATCH_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'stormwatch.sqlite3'}")
DATABASES = {"default": _database_config(DATABASE_URL)}
NATS_URL = os.environ.get("NATS_URL", "")
if NATS_URL and urlsplit(NATS_URL).scheme not in {"nats", "tls"}:
    raise ConfigurationError(f"NATS_URL={NATS_URL!r} must start with nats:// or tls://")

STORMWATCH_MAX_REQUEST_BYTES = _env_int(
    "STORMWATCH_MAX_REQUEST_BYTES", 10 * 1024 * 1024, minimum=1024
)
STORMWATCH_MAX_BATCH_ITEMS = _env_int("STORMWATCH_MAX_BATCH_ITEMS", 1000, minimum=1)
STORMWATCH_RUN_PIPELINE = _env_bool("STORMWATCH_RUN_PIPELINE", True)
_enrichment = os.environ.get("STORMWATCH_ENRICHMENT", "full")
if _enrichment not in {"full", "fast", "off"}:
    raise ConfigurationError(f"STORMWATCH_ENRICHMENT={_enrichment!r}: use full, fast or off")
STORMWATCH_ENRICHMENT = cast(Literal["full", "fast", "off"], _enrichment)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "stormwatch.workspaces",
    "stormwatch.monitors",
    "stormwatch.mentions",
    "stormwatch.pipeline",
    "stormwatch.sources",
    "stormwatch.web",
    "stormwatch.alerts",
    # [alerts apps]
    "stormwatch.annotations",
    # [enrichment apps]
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "stormwatch.urls"
WSGI_APPLICATION = "stormwatch.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "stormwatch.web.context.navigation",
            ],
        },
    }
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
EMAIL_BACKEND = os.environ.get(
    "STORMWATCH_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("STORMWATCH_FROM_EMAIL", "stormwatch@localhost")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("pl", "Polski")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = _time_zone()

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise expects it even when serving from the finders
STATICFILES_DIRS = [("vendor/plotly", _plotly_js_dir())]
# Serve straight from the finders: a fresh install needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("STORMWATCH_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
DATA_UPLOAD_MAX_MEMORY_SIZE = STORMWATCH_MAX_REQUEST_BYTES

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("STORMWATCH_LOG_LEVEL", "INFO")},
}
