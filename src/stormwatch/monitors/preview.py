"""Live preview for the monitor editor: match a query against recent stored mentions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from stormwatch.mentions.models import Mention
from stormwatch.workspaces.models import Workspace

PREVIEW_SAMPLE = 5000
PREVIEW_EXAMPLES = 5


@dataclass
class QueryPreview:
    query: str
    error: str = ""
    error_position: int | None = None
    scanned: int = 0
    matched: int = 0
    examples: list[Mention] = field(default_factory=list)


def preview_query(
    workspace: Workspace, query: str, *, fold_diacritics: bool, lemmas: bool, since: datetime
) -> QueryPreview:
    """Match against the newest PREVIEW_SAMPLE mentions since `since`; syntax errors are shown."""
    from stormwatch.monitors.query import QuerySyntaxError, compile_query, prepare_document

    preview = QueryPreview(query=query)
    if not query.strip():
        return preview
    try:
        compiled = compile_query(query, fold_diacritics=fold_diacritics, lemmas=lemmas)
    except QuerySyntaxError as exc:
        preview.error = str(exc)
        preview.error_position = exc.position
        return preview
    recent = (
        Mention.objects.filter(workspace=workspace, created_at__gte=since)
        .select_related("author")
        .order_by("-created_at")[:PREVIEW_SAMPLE]
    )
    for mention in recent:
        preview.scanned += 1
        doc = prepare_document(
            mention.text,
            lang=mention.lang,
            platform=mention.platform,
            author_handle=mention.author.handle if mention.author else "",
            title=mention.title,
        )
        if compiled.matches(doc):
            preview.matched += 1
            if len(preview.examples) < PREVIEW_EXAMPLES:
                preview.examples.append(mention)
    return preview
