"""Pages built from the seed documents for identity tests: copies, and next year's statements.

- ``state_2023()``: State's 2023 joint statement (``fixtures/pages/state_joint_statement.html``).
- ``ustr_copy_2023()``: the same statement as USTR publishes it: USTR's Drupal chrome (from the
  USTR fact sheet page), a "Press Releases" label, a dateline and a sign-off of its own.
- ``state_2024()``: next year's statement written from the 2023 one, as State does every
  September: new title and date, years moved on, "fourth meeting", and one new paragraph with a
  commitment ("The United States will invest $250 million by 2025 ...").
- ``ustr_fact_sheet_2023()`` and ``commerce_fact_sheet_2022()``: the two years' fact sheets.
"""

from __future__ import annotations

import re

from tests.conftest import page_html

TITLE_2023 = "Joint Statement Following the 2023 U.S.-Mexico High-Level Economic Dialogue"
TITLE_2024 = "Joint Statement Following the 2024 U.S.-Mexico High-Level Economic Dialogue"
NEW_PARAGRAPH = (
    "The United States will invest $250 million by 2025 to expand semiconductor packaging "
    "and testing capacity in Mexico under the HLED supply chain work plan."
)
_USTR_TITLE = "FACT SHEET: 2023 U.S.-Mexico High-Level Economic Dialogue"


def state_2023() -> str:
    return page_html("state_joint_statement.html")


def _state_body(html: str) -> str:
    """The paragraphs inside State's ``.entry-content`` (it holds no nested ``div``)."""
    start = html.index(">", html.index('<div class="entry-content">')) + 1
    return html[start : html.index("</div>", start)]


def ustr_copy_2023() -> str:
    """The 2023 statement in USTR's page: another site's chrome, the same article."""
    html = page_html("ustr_fact_sheet.html")
    html = html.replace(_USTR_TITLE, TITLE_2023).replace(
        "FACT SHEET &ndash; 2023 U.S.-Mexico High-Level Economic Dialogue", TITLE_2023
    )
    html = html.replace(">Fact Sheets</div>", ">Press Releases</div>")
    opening = html.index(">", html.index("field--name-body")) + 1
    closing = html.index("</div>", opening)
    body = (
        "<p>WASHINGTON &ndash; The United States and Mexico released the following joint "
        "statement.</p>" + _state_body(state_2023()) + "<p>###</p>"
    )
    return html[:opening] + body + html[closing:]


def state_2024() -> str:
    """Next year's statement, written from this year's (every ``2023`` moves on a year)."""
    html = state_2023()
    html = html.replace("September 29, 2023", "September 26, 2024")
    html = html.replace("2023-09-29", "2024-09-26")
    html = re.sub(r"\b2023\b", "2024", re.sub(r"\b2022\b", "2023", html))
    html = html.replace("third meeting", "fourth meeting")
    body = _state_body(html)
    paragraphs = body.split("</p>")
    paragraphs.insert(4, f"\n      <p>{NEW_PARAGRAPH}")
    return html.replace(body, "</p>".join(paragraphs))


def ustr_fact_sheet_2023() -> str:
    return page_html("ustr_fact_sheet.html")


def commerce_fact_sheet_2022() -> str:
    return page_html("commerce_fact_sheet.html")
