"""Alerts as Markdown (Teams, Discord, Mattermost, ntfy ...), with page text escaped.

Page titles and text are untrusted. Every Markdown control character in them is backslash-
escaped, so ``[click](https://evil.example)`` in a title shows literally instead of becoming a
disguised link, and ``<@123>``, ``@everyone`` and ``@here`` cannot ping anyone (a zero-width
space after the ``@``). Only the document's own http(s) address becomes a link.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from notifiers.format import VIEW_LABEL, Alert, Line, is_web_url, section_lines

# What can format or link in CommonMark, Discord and Teams; other punctuation stays as it is,
# since some renderers show a backslash before it.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#|~])")
_MENTION = re.compile(r"@(?=\w)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape_markdown(text: object) -> str:
    """Untrusted text as inert Markdown: it reads the same and formats nothing."""
    flat = _CONTROL.sub(" ", str(text))
    return _MENTION.sub("@\u200b", _SPECIAL.sub(r"\\\1", flat))


def markdown_line(line: Line) -> str:
    marks = {"-": "~~{}~~", "+": "**{}**", "=": "{}"}
    return " ".join(marks[op].format(escape_markdown(text)) for op, text in line if text.strip())


def _link(url: str, label: str) -> str:
    if not is_web_url(url):
        return escape_markdown(label)
    safe_url = url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
    return f"[{escape_markdown(label)}]({safe_url})"


def render_markdown(alert: Alert) -> str:
    facts = " · ".join(f"**{escape_markdown(k)}:** {escape_markdown(v)}" for k, v in alert.facts)
    lines = [_link(alert.url, alert.title), "", facts]
    if alert.view_url:
        lines += ["", _link(alert.view_url, VIEW_LABEL)]
    lines += section_lines(alert.sections, _bold, "- ", markdown_line)
    return "\n".join(lines)


def _bold(heading: str) -> str:
    return f"**{escape_markdown(heading)}**"


def render_markdown_digest(alerts: Sequence[Alert]) -> str:
    parts = [f"**{escape_markdown(a.headline)}**\n\n{render_markdown(a)}" for a in alerts]
    return "\n\n---\n\n".join(parts)
