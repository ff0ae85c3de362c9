"""`stormwatch sources add|test|list|own-account` through the real command line parser."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stormwatch.cli.main import main
from stormwatch.mentions.models import Mention
from stormwatch.sources.models import OwnAccount, SourceConfig

from .conftest import FEED_PATH

pytestmark = pytest.mark.django_db


def test_add_from_a_json_file_prints_the_config_without_its_secret(
    tmp_path: Path, cast: Any, capsys: Any
) -> None:
    config = tmp_path / "x.json"
    config.write_text(json.dumps({"bearer_token": "AAAA-cli-secret", "query": "nordbank"}))
    code = main(
        ["sources", "add", "x", "--workspace", "nordbank", "--name", "X", "--config", str(config)]
    )
    out = capsys.readouterr().out
    assert code == 0 and "added source" in out and '"bearer_token": "**********"' in out
    assert "AAAA-cli-secret" not in out
    assert SourceConfig.objects.get().kind == "x"


def test_add_with_set_pairs_reads_values_as_the_form_does(cast: Any, capsys: Any) -> None:
    code = main(
        [
            "sources", "add", "bluesky_search", "--workspace", "nordbank", "--name", "Bsky",
            "--set", "terms=nordbank,awaria", "--set", "poll_every=5",
            "--set", "app_password=app-pass-1234",
        ]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    stored = SourceConfig.objects.get().config
    assert stored["terms"] == ["nordbank", "awaria"] and "app-pass-1234" not in str(stored)


def test_add_reports_each_bad_field(cast: Any, capsys: Any) -> None:
    code = main(
        ["sources", "add", "mastodon", "--workspace", "nordbank", "--name", "M",
         "--set", "api_base_url=mastodon.social", "--set", "page_size=400"]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and "api_base_url:" in err and "page_size:" in err
    assert not SourceConfig.objects.exists()


def test_test_prints_a_few_items_and_stores_nothing(recent_feed_server: Any, capsys: Any) -> None:
    code = main(["sources", "test", "rss", "--set", f"url={recent_feed_server.url}{FEED_PATH}"])
    out = capsys.readouterr().out
    assert code == 0 and out.startswith("3 items fetched (nothing stored)")
    assert "Awaria aplikacji Nordbanku numer 2" in out
    assert not Mention.objects.exists()


def test_test_shows_the_platforms_error(feed_server: Any, capsys: Any) -> None:
    feed_server.route("GET", FEED_PATH, (401, b"no", {}))
    code = main(["sources", "test", "rss", "--set", f"url={feed_server.url}{FEED_PATH}"])
    assert code == 1 and "HTTP 401" in capsys.readouterr().err


def test_list_shows_health_and_own_account_marks_a_handle(cast: Any, capsys: Any) -> None:
    main(
        [
            "sources",
            "add",
            "rss",
            "--workspace",
            "nordbank",
            "--name",
            "Feed",
            "--set",
            "url=http://127.0.0.1:9/f",
        ]
    )
    SourceConfig.objects.update(consecutive_failures=2, last_error="HTTP 500 from the feed")
    capsys.readouterr()
    assert main(["sources", "list", "--workspace", "nordbank"]) == 0
    header, row = capsys.readouterr().out.splitlines()
    assert header.split()[:4] == ["ID", "NAME", "KIND", "STATUS"]
    assert "Feed" in row and "failing" in row and "HTTP 500 from the feed" in row
    assert (
        main(["sources", "own-account", "bluesky", "@nordbank.pl", "--workspace", "nordbank"]) == 0
    )
    assert OwnAccount.objects.get().handle == "nordbank.pl"
