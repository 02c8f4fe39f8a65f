"""Template filters of the guide: the registries' texts mark code with backticks, as in Markdown."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_CODE = re.compile(r"`([^`]+)`")


@register.filter
def code_spans(text: str) -> SafeString:
    """``text`` escaped, with each `span` in backticks as <code>span</code>."""
    return mark_safe(_CODE.sub(r"<code>\1</code>", escape(text)))  # escaped above
