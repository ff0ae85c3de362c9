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

from pydantic import SecretStr
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from stormwatch.core.errors import FieldError
from stormwatch.sources.secrets import SourceConfig as ConnectorConfig
from stormwatch.sources.service import SourceInputError

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
        return self.name.replace("_", " ").capitalize()


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
