"""A bad setting stops `stormwatch` at start-up with a message naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    inherited = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    full_env = {**inherited, "STORMWATCH_DATA_DIR": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, "-m", "stormwatch.cli.main", "db", "upgrade"],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("DATABASE_URL", "mysql://db/x", "DATABASE_URL scheme 'mysql' is not supported"),
        ("STORMWATCH_DEBUG", "maybe", "STORMWATCH_DEBUG='maybe' is not a boolean"),
        (
            "STORMWATCH_MAX_REQUEST_BYTES",
            "lots",
            "STORMWATCH_MAX_REQUEST_BYTES='lots' is not a whole number",
        ),
        (
            "NATS_URL",
            "http://127.0.0.1:4222",
            "NATS_URL='http://127.0.0.1:4222' must start with nats://",
        ),
        ("STORMWATCH_SECRET_KEY", "short", "STORMWATCH_SECRET_KEY must be at least 32 characters"),
        ("STORMWATCH_ENRICHMENT", "max", "STORMWATCH_ENRICHMENT='max': use full, fast or off"),
        ("STORMWATCH_TIME_ZONE", "Mars/Base", "STORMWATCH_TIME_ZONE='Mars/Base' is not a known"),
    ],
)
def test_a_bad_value_stops_the_command_and_names_the_variable(
    tmp_path: Path, variable: str, value: str, expected: str
) -> None:
    result = _run(tmp_path, **{variable: value})
    assert result.returncode == 2
    assert f"configuration error: {expected}" in result.stderr
    assert "Traceback" not in result.stderr


def test_good_defaults_create_the_sqlite_database_in_the_data_folder(tmp_path: Path) -> None:
    result = _run(tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "stormwatch.sqlite3").exists()
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
