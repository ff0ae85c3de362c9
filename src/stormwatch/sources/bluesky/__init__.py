"""Bluesky connector: live firehose, post search, the account's mentions, and publishing."""

from stormwatch.sources.bluesky.config import BlueskyConfig
from stormwatch.sources.bluesky.firehose import BlueskyFirehoseListener, MentionFilter, terms_filter
from stormwatch.sources.bluesky.publish import BlueskyPublisher, rkey_for
from stormwatch.sources.bluesky.source import BlueskyMentionsSource, BlueskySearchSource

__all__ = [
    "BlueskyConfig",
    "BlueskyFirehoseListener",
    "BlueskyMentionsSource",
    "BlueskyPublisher",
    "BlueskySearchSource",
    "MentionFilter",
    "rkey_for",
    "terms_filter",
]
