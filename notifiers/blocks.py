"""Slack Block Kit for alerts and digests, within Slack's limits, with page text escaped.

Page text is untrusted: every piece of it goes through ``escape`` (& < >), so ``<!channel>`` or
``<https://evil.example|click>`` in a title shows literally instead of pinging or disguising a
link, and mrkdwn text objects are ``verbatim`` so Slack does not turn a bare ``@channel`` or
``#channel`` into a mention or link either.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from notifiers.format import VIEW_LABEL, Alert, Line, is_web_url, render_text

SECTION_LIMIT = 3000  # characters of one section's text
HEADER_LIMIT = 150  # characters of a header's plain text
BLOCK_LIMIT = 50
SECTIONS_PER_PART = 8  # one part of an alert (e.g. its changes) stays readable: the rest is counted
FALLBACK_LIMIT = 3000  # characters of the notification text, before escaping
NOUNS = {
    "Changes": "changes",
    "Commitments changed": "commitments",
    "Commitments found": "commitments",
}


def escape(text: object) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fallback_text(alert: Alert) -> str:
    """The plain-text notification shown where blocks are not (push notifications, old clients)."""
    return escape(render_text(alert)[:FALLBACK_LIMIT])


def link(url: str, label: str) -> str:
    if not is_web_url(url):
        return escape(label)
    safe_url = escape(url).replace("|", "%7C")  # a | would end the URL part of <url|label>
    return f"<{safe_url}|{escape(label)}>"


def mrkdwn_line(line: Line) -> str:
    parts = []
    for op, text in line:
        body = escape(text.strip())
        if not body:
            continue
        parts.append(f"~{body}~" if op == "-" else f"*{body}*" if op == "+" else body)
    return " ".join(parts)


def blocks_for(alert: Alert) -> list[dict[str, Any]]:
    """Block Kit for one alert, trimmed to Slack's limits with an explicit "… N more" line."""
    facts = " · ".join(f"*{escape(k)}:* {escape(v)}" for k, v in alert.facts)
    view = f"\n{link(alert.view_url, VIEW_LABEL)}" if alert.view_url else ""
    blocks = [header(alert.headline), section(f"{link(alert.url, alert.title)}\n{facts}{view}")]
    for part in alert.sections:
        lines = [f"• {mrkdwn_line(line)}" for line in part.lines]
        noun = NOUNS.get(part.heading, "lines")
        blocks += sections(f"*{escape(part.heading)}*", lines, part.more, noun)
    if len(blocks) > BLOCK_LIMIT:
        dropped = len(blocks) - BLOCK_LIMIT + 1
        blocks = [*blocks[: BLOCK_LIMIT - 1], section(f"_… {dropped} more sections_")]
    return blocks


def digest_blocks(alerts: Sequence[Alert]) -> list[dict[str, Any]]:
    lines = [
        f"• {escape(a.headline)} ({link(a.url, 'open')}"
        + (f" · {link(a.view_url, 'changes')})" if a.view_url else ")")
        for a in alerts
    ]
    return [header(f"{len(alerts)} HLED alerts"), *sections("", lines, 0, "alerts")]


def header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": _escaped_within(text)}}


def section(text: str) -> dict[str, Any]:
    body = {"type": "mrkdwn", "text": clip(text, SECTION_LIMIT), "verbatim": True}
    return {"type": "section", "text": body}


def sections(heading: str, lines: list[str], more: int, noun: str) -> list[dict[str, Any]]:
    """Pack lines into sections of at most SECTION_LIMIT characters; count what is left out."""
    blocks: list[dict[str, Any]] = []
    current, left = heading, more
    for index, line in enumerate(lines):
        line = clip(line, SECTION_LIMIT - 200)
        if len(current) + len(line) + 1 > SECTION_LIMIT - 40:
            if len(blocks) >= SECTIONS_PER_PART - 1:
                left += len(lines) - index
                break
            blocks.append(section(current))
            current = ""
        current = f"{current}\n{line}" if current else line
    if left:
        current += f"\n_… {left} more {noun}_"
    blocks.append(section(current))
    return blocks


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, never ending inside an ``&amp;``-style entity."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&", len(cut) - 5)
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + "…"


def _escaped_within(text: str, limit: int = HEADER_LIMIT) -> str:
    """Escaped, and cut between characters (never inside an entity) to fit with a "…"."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    parts, size = [], 0
    for char in text:
        piece = escape(char)
        if size + len(piece) > limit - 1:
            break
        parts.append(piece)
        size += len(piece)
    return "".join(parts) + "…"
