"""Code samples the guide shows straight from the project's docs, so the two never differ."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

DOCS = Path(settings.BASE_DIR) / "docs"
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


def code_blocks(document: str | Path, heading: str) -> dict[str, str]:
    """The fenced code blocks under ``## heading`` of ``docs/<document>`` (or of the file ``document``), by language."""
    text = (document if isinstance(document, Path) else DOCS / document).read_text()
    start = text.index(f"## {heading}\n")
    following = text.find("\n## ", start + 1)
    section = text[start : following if following != -1 else len(text)]
    return {language: body.rstrip("\n") for language, body in _FENCE.findall(section)}
