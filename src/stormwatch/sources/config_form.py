"""A form described FROM a connector's pydantic config model, and form values parsed back.

The web page and the CLI's `--set key=value` share this: every value arrives as text and is
read the same way (lists one per line or comma-separated, durations in minutes, secrets as
password inputs that are never filled back in). Validation itself stays with the model.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal, Union, get_args, get_origin

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from pydantic import SecretStr, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from stormwatch.core.errors import FieldError
from stormwatch.sources.secrets import MASK
from stormwatch.sources.secrets import SourceConfig as ConnectorConfig
from stormwatch.sources.service import SourceInputError

# Labels of the fields many connectors share, so the Polish interface reads Polish; a field not
# named here falls back to its name in words (English: the model's own vocabulary).
FIELD_LABELS: dict[str, Promise] = {
    "backfill": _("Backfill"),
    "poll_every": _("Poll every"),
    "max_pages": _("Max pages per fetch"),
    "timeout_seconds": _("Timeout (seconds)"),
    "api_base_url": _("API base URL"),
    "query": _("Search query"),
    "page_size": _("Page size"),
    "service_url": _("Service URL"),
    "handle": _("Account handle"),
    "app_password": _("App password"),
    "terms": _("Monitor terms"),
    "watch_handles": _("Watched handles"),
    "firehose_url": _("Firehose URL"),
    "jetstream_url": _("Jetstream URL"),
    "queue_size": _("Queue size"),
    "batch_size": _("Batch size"),
    "search_limit": _("Search limit"),
    "access_token": _("Access token"),
    "url": _("URL"),
    "authorization": _("Authorization header"),
    "username": _("Username"),
    "password": _("Password"),
    "bearer_token": _("Bearer token"),
    "api_key": _("API key"),
    "country": _("Country"),
}
# Help texts of the fields every connector has; others show the model's description.
FIELD_HELP: dict[str, Promise] = {
    "backfill": _("On first start, fetch items published this long before now."),
    "terms": _("Monitor terms; a post matches when it contains any of them (any case)."),
    "watch_handles": _("Handles or DIDs whose mentions are watched (matched as @handle)."),
}

Widget = Literal["text", "password", "number", "checkbox", "select", "lines", "minutes"]


@dataclass(frozen=True)
class ConfigField:
    name: str
    widget: Widget
    required: bool
    default: str  # as the input shows it ("" when none); "on" for a checked checkbox
    description: str
    choices: tuple[str, ...] = ()
    step: str = "1"
    minimum: str = ""
    maximum: str = ""

    @property
    def label(self) -> str:
        """In the active language for common fields, else the field name in words."""
        known = FIELD_LABELS.get(self.name)
        return str(known) if known is not None else self.name.replace("_", " ").capitalize()

    @property
    def help(self) -> str:
        known = FIELD_HELP.get(self.name)
        return str(known) if known is not None else self.description


def describe_config(model: type[ConnectorConfig]) -> list[ConfigField]:
    """One field per model field, in declaration order, required fields first."""
    fields = [_describe(name, info) for name, info in model.model_fields.items()]
    return sorted(fields, key=lambda f: not f.required)


def config_from_form(
    model: type[ConnectorConfig], values: Mapping[str, str], *, missing_is_false: bool
) -> dict[str, Any]:
    """Text values -> the dict the model validates. Empty optional values are left out (the
    model's default applies); so are empty secrets. `missing_is_false`: an absent checkbox
    means False (an HTML form sends nothing for an unticked box)."""
    data: dict[str, Any] = {}
    errors: list[FieldError] = []
    for spec in describe_config(model):
        raw = values.get(spec.name)
        if spec.widget == "checkbox":
            if raw is not None or missing_is_false:
                data[spec.name] = (raw or "").strip().lower() in {"on", "true", "1", "yes"}
            continue
        if raw is None or not raw.strip():
            continue
        try:
            data[spec.name] = _parse(spec, raw)
        except ValueError:
            errors.append(FieldError(spec.name, "enter a number of minutes"))
    if errors:
        raise SourceInputError(errors)
    return data


def form_values(model: type[ConnectorConfig], public: Mapping[str, Any]) -> dict[str, str]:
    """A stored public config (secrets already masked) as the texts an edit form shows: lists
    one per line, durations in minutes, a stored secret as the mask (never its value)."""
    values: dict[str, str] = {}
    for spec in describe_config(model):
        value = public.get(spec.name)
        if spec.widget == "password":
            values[spec.name] = MASK if value is not None else ""
        elif value is None:
            values[spec.name] = ""
        elif spec.widget == "minutes":
            values[spec.name] = _default_text(_as_timedelta(value), spec.widget)
        else:
            values[spec.name] = _default_text(value, spec.widget)
    return values


def _as_timedelta(value: Any) -> timedelta:
    try:
        return TypeAdapter(timedelta).validate_python(value)
    except ValidationError:
        return timedelta(0)


def _parse(spec: ConfigField, raw: str) -> Any:
    if spec.widget == "lines":
        parts = raw.replace(",", "\n").splitlines()
        return [part.strip() for part in parts if part.strip()]
    if spec.widget == "minutes":
        return float(raw.strip()) * 60  # pydantic reads a number as seconds
    return raw if spec.widget == "password" else raw.strip()


def _describe(name: str, info: FieldInfo) -> ConfigField:
    annotation = _unwrap_optional(info.annotation)
    widget = _widget(annotation)
    bounds = {k: str(getattr(m, k)) for m in info.metadata for k in ("ge", "le") if hasattr(m, k)}
    return ConfigField(
        name=name,
        widget=widget,
        required=info.is_required(),
        default=_default_text(info.default, widget),
        description=info.description or "",
        choices=tuple(str(c) for c in get_args(annotation)) if widget == "select" else (),
        step="any" if annotation is float or widget == "minutes" else "1",
        minimum=bounds.get("ge", ""),
        maximum=bounds.get("le", ""),
    )


def _unwrap_optional(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _widget(annotation: Any) -> Widget:
    origin = get_origin(annotation)
    if annotation is SecretStr:
        return "password"
    if annotation is bool:
        return "checkbox"
    if annotation in (int, float):
        return "number"
    if annotation is timedelta:
        return "minutes"
    if origin is Literal:
        return "select"
    if origin in (list, tuple):
        return "lines"
    return "text"


def _default_text(default: Any, widget: Widget) -> str:
    if default is PydanticUndefined or default is None or widget == "password":
        return ""
    if widget == "checkbox":
        return "on" if default else ""
    if widget == "minutes":
        minutes = default.total_seconds() / 60
        return f"{minutes:g}"
    if widget == "lines":
        return "\n".join(str(v) for v in default)
    return str(default)
