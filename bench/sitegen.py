"""Generated agency-style pages for the benchmark: 40-80 KB each, mostly site chrome.

Every page is a pure function of (index, article version, chrome version), so the server can
rebuild any round's state and both tools see exactly the same bytes. Even pages are
WordPress-like (State, White House: the article in ``.entry-content``), odd pages Drupal-like
(Commerce, USTR: ``.field--name-body``). Around the article sit what real agency pages carry:
a mega menu, inline scripts and styles, JSON-LD, breadcrumbs, a share bar, related links, a
"Stay Connected" sign-up box, a big footer and timestamps.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from html import escape

import policygen

MIN_BYTES, MAX_BYTES = 40_000, 80_000
POLICY_MIN_BYTES, POLICY_MAX_BYTES = 44_000, 78_000
KINDS = ("agency", "policy")
_POLICY_CHROME = 15_500  # the chrome around a policy article (15-16.3 KB)

_AGENCIES = (
    ("State", "United States Department of State", "www.state.gov"),
    ("Commerce", "U.S. Department of Commerce", "www.commerce.gov"),
    ("White House", "The White House", "www.whitehouse.gov"),
    ("USTR", "United States Trade Representative", "ustr.gov"),
)
_POLICY_TYPES = ("Fact Sheet", "Implementation Plan", "Action Plan", "Progress Report")
_TYPES = ("Joint Statement", "Fact Sheet", "Readout", "Remarks", "Media Note", "Press Release")
_TOPICS = (
    "semiconductor supply chains",
    "border infrastructure modernization",
    "clean energy investment",
    "workforce development",
    "cybersecurity cooperation",
    "regulatory compatibility",
    "critical minerals",
    "digital trade",
    "small and medium-sized enterprises",
    "port of entry capacity",
    "nearshoring in the electronics sector",
    "labor rights implementation",
)
_VERBS = (
    "reaffirmed their commitment to",
    "agreed to deepen cooperation on",
    "announced new steps to strengthen",
    "welcomed progress on",
    "launched a working group on",
    "committed to expand joint work on",
    "highlighted the importance of",
)
_ACTORS = (
    "The United States and Mexico",
    "Both governments",
    "Secretary Raimondo and Secretary Buenrostro",
    "The delegations",
    "Cabinet-level officials",
    "The working groups",
)
_TAILS = (
    "building on the achievements of the previous High-Level Economic Dialogue",
    "in close consultation with the private sector and civil society",
    "to promote inclusive growth on both sides of the border",
    "consistent with their obligations under the USMCA",
    "with a report to leaders expected before the next Dialogue",
    "through the Supply Chain Working Group and its subcommittees",
)
_MENU_WORDS = (
    "Policy Issues Countries Areas Bureaus Offices Careers News Events Travel Economic "
    "Growth Energy Environment Trade Investment Security Human Rights Democracy Resources "
    "Reports Speeches Briefings Fact Sheets About Leadership Budget Performance History"
).split()


def page_url_path(index: int) -> str:
    return f"/news/{2020 + index % 5}/hled-{index:05d}/"


def agency_name(index: int) -> str:
    return _AGENCIES[index % len(_AGENCIES)][0]


def article_changed(index: int, changed_every: int = 20) -> bool:
    """The pages whose article changes in round 3: every ``changed_every``-th (5%)."""
    return index % changed_every == 7 % changed_every


def build_page(index: int, article_version: int, chrome_version: int, kind: str = "agency") -> str:
    """One page's HTML; sizes vary between MIN_BYTES and MAX_BYTES with the index."""
    if kind == "policy":
        return _policy_page(index, article_version, chrome_version)
    rng = random.Random(index)
    drupal = index % 2 == 1
    agency = _AGENCIES[index % len(_AGENCIES)]
    title = f"{rng.choice(_TYPES)}: U.S.-Mexico High-Level Economic Dialogue, Item {index}"
    published = datetime(2021, 9, 9, tzinfo=UTC) + timedelta(days=index % 900)
    target = rng.randint(MIN_BYTES + 2_000, MAX_BYTES - 4_000)
    body = _article(rng, index, article_version, drupal)
    chrome = random.Random(f"{index}/{chrome_version}")
    head = _head(title, agency, published, index, chrome_version)
    top = _header(agency) + _breadcrumbs(title)
    bottom = _related(chrome) + _stay_connected() + _footer(agency, chrome, chrome_version)
    padding = max(0, target - len(head) - len(top) - len(bottom) - len(body))
    main = _main(title, published, body, drupal, chrome_version)
    html = (
        f"<!DOCTYPE html><html lang='en'>{head}<body class='post-template-default'>"
        f"{top}{main}{bottom}{_tail_scripts(rng, padding)}</body></html>"
    )
    return html


def _policy_page(index: int, article_version: int, chrome_version: int) -> str:
    """A policy page: the same chrome around an article that is most of the page."""
    rng = random.Random(f"policy-page/{index}")
    drupal = index % 2 == 1
    agency = _AGENCIES[index % len(_AGENCIES)]
    title = f"{rng.choice(_POLICY_TYPES)}: {rng.choice(_TOPICS).title()}, Plan {index}"
    published = datetime(2022, 3, 1, tzinfo=UTC) + timedelta(days=index % 700)
    target = rng.randint(POLICY_MIN_BYTES + 500, POLICY_MAX_BYTES - 5_000)  # + one section
    blocks = policygen.article(index, article_version, target - _POLICY_CHROME)
    chrome = random.Random(f"{index}/{chrome_version}")
    head = _head(title, agency, published, index, chrome_version)
    top = _slim_header(agency) + _breadcrumbs(title)
    bottom = _related(chrome) + _stay_connected() + _footer(agency, chrome, chrome_version)
    main = _main(title, published, _wrap(blocks, drupal), drupal, chrome_version)
    return (
        f"<!DOCTYPE html><html lang='en'>{head}<body class='page-template-default'>"
        f"{top}{main}{bottom}</body></html>"
    )


def _article(rng: random.Random, index: int, version: int, drupal: bool) -> str:
    amount = 400 + index % 97 + (46 if version else 0)
    parts = [
        f"<p>WASHINGTON - {rng.choice(_ACTORS)} {rng.choice(_VERBS)} "
        f"{rng.choice(_TOPICS)}, and announced a combined ${amount} million in new "
        f"commitments, {rng.choice(_TAILS)}.</p>"
    ]
    for section in range(rng.randint(2, 5)):
        parts.append(f"<h2>Pillar {section + 1}: {rng.choice(_TOPICS).capitalize()}</h2>")
        for _ in range(rng.randint(3, 5)):
            parts.append(f"<p>{_sentences(rng, rng.randint(3, 5))}</p>")
        items = "".join(f"<li>{_sentences(rng, 1)}</li>" for _ in range(rng.randint(2, 4)))
        parts.append(f"<ul>{items}</ul>")
    return _wrap(parts, drupal)


def _wrap(parts: list[str], drupal: bool) -> str:
    if drupal:
        return (
            "<div class='clearfix text-formatted field field--name-body "
            "field--type-text-with-summary field--label-hidden field__item'>"
            f"{''.join(parts)}</div>"
        )
    return f"<div class='entry-content'>{''.join(parts)}</div>"


def _sentences(rng: random.Random, count: int) -> str:
    return " ".join(
        f"{rng.choice(_ACTORS)} {rng.choice(_VERBS)} {rng.choice(_TOPICS)}, {rng.choice(_TAILS)}."
        for _ in range(count)
    )


def _head(
    title: str, agency: tuple[str, str, str], published: datetime, index: int, chrome: int
) -> str:
    _, name, host = agency
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebPage", "name": title, "datePublished": published.isoformat(),
             "dateModified": (published + timedelta(days=chrome)).isoformat(),
             "url": f"https://{host}{page_url_path(index)}"},
            {"@type": "Organization", "name": name, "url": f"https://{host}/",
             "logo": f"https://{host}/logo.png"},
            {"@type": "BreadcrumbList", "itemListElement": [
                {"@type": "ListItem", "position": p, "name": n}
                for p, n in enumerate(("Home", "News", "Press Releases"), 1)]},
        ],
    }  # fmt: skip
    styles = "".join(
        f"<link rel='stylesheet' href='https://{host}/assets/css/{word.lower()}.css"
        f"?ver={chrome}.{index % 7}'>"
        for word in _MENU_WORDS[:18]
    )
    css = "".join(f".c-{i}{{margin:{i % 9}px;padding:{i % 5}px}}" for i in range(120))
    return (
        f"<head><meta charset='utf-8'><title>{escape(title)} - {name}</title>"
        f"<meta property='og:title' content='{escape(title)}'>"
        f"<meta property='article:published_time' content='{published.isoformat()}'>"
        f"<meta name='description' content='{escape(title)} from {name}.'>{styles}"
        f"<style>{css}</style>"
        f"<script type='application/ld+json'>{json.dumps(ld)}</script>"
        f"<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push("
        f"arguments)}}gtag('js',new Date());gtag('config','G-{index:08d}');</script></head>"
    )


def _header(agency: tuple[str, str, str]) -> str:
    _, name, host = agency
    menus = []
    for column, word in enumerate(_MENU_WORDS):
        links = "".join(
            f"<li class='menu-item'><a href='https://{host}/{word.lower()}/{other.lower()}/'>"
            f"{other} and {word}</a></li>"
            for other in _MENU_WORDS[column % 7 :: 6]
        )
        menus.append(
            f"<li class='menu-item has-children'><a href='https://{host}/{word.lower()}/'>"
            f"{word}</a><ul class='sub-menu'>{links}</ul></li>"
        )
    return (
        "<a class='skip-link' href='#main'>Skip to content</a>"
        "<div class='usa-banner'>An official website of the United States government. "
        "Here's how you know.</div>"
        f"<header class='site-header'><a href='https://{host}/'>{name}</a>"
        f"<nav class='main-navigation' aria-label='Main'><ul>{''.join(menus)}</ul></nav>"
        "<form class='search-form' role='search'><input type='search' name='s'>"
        "<button>Search</button></form></header>"
    )


def _slim_header(agency: tuple[str, str, str]) -> str:
    """A publications site's header: the menu's first level only."""
    _, name, host = agency
    links = "".join(
        f"<li class='menu-item'><a href='https://{host}/{word.lower()}/'>{word}</a></li>"
        for word in _MENU_WORDS
    )
    return (
        "<a class='skip-link' href='#main'>Skip to content</a>"
        "<div class='usa-banner'>An official website of the United States government.</div>"
        f"<header class='site-header'><a href='https://{host}/'>{name}</a>"
        f"<nav class='main-navigation' aria-label='Main'><ul>{links}</ul></nav></header>"
    )


def _breadcrumbs(title: str) -> str:
    return (
        "<nav class='breadcrumbs' aria-label='Breadcrumb'><a href='/'>Home</a> &gt; "
        f"<a href='/news/'>News</a> &gt; <span>{escape(title)}</span></nav>"
    )


def _main(title: str, published: datetime, body: str, drupal: bool, chrome: int) -> str:
    stamp = published.strftime("%B %-d, %Y")
    meta = (
        f"<div class='entry-meta'><time datetime='{published.date().isoformat()}'>{stamp}</time>"
        f"<span class='updated'>Last updated {stamp}, revision {chrome}</span></div>"
    )
    share = (
        "<div class='share-bar'><a href='#'>Share on X</a><a href='#'>Facebook</a>"
        "<a href='#'>Email</a><a href='#'>Print</a></div>"
    )
    wrapper = "node node--type-press-release" if drupal else "post type-post status-publish"
    return (
        f"<main id='main' role='main'><article class='{wrapper}'>"
        f"<h1 class='entry-title'>{escape(title)}</h1>{meta}{share}{body}</article></main>"
    )


def _related(rng: random.Random) -> str:
    links = "".join(
        f"<li><a href='/news/{rng.randint(1, 99999)}/'>{rng.choice(_TYPES)} on "
        f"{rng.choice(_TOPICS)}</a></li>"
        for _ in range(8)
    )
    return f"<aside class='related-articles'><h2>Related Articles</h2><ul>{links}</ul></aside>"


def _stay_connected() -> str:
    return (
        "<section class='stay-connected'><h2>Stay Connected</h2><p>Sign up to receive "
        "updates. We'll be in touch with the latest information.</p><form><input type='email'>"
        "<button>Sign Up</button></form></section><a class='scroll-top' href='#'>Scroll to Top</a>"
    )


def _footer(agency: tuple[str, str, str], rng: random.Random, chrome: int) -> str:
    _, name, host = agency
    columns = "".join(
        f"<div class='footer-column'><h3>{word}</h3><ul>"
        + "".join(
            f"<li><a href='https://{host}/{word.lower()}/{n}'>{word} resource {n}</a></li>"
            for n in range(6)
        )
        + "</ul></div>"
        for word in _MENU_WORDS[:10]
    )
    generated = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 99999))
    return (
        f"<footer class='site-footer'>{columns}<p>{name}. Build {chrome}.{rng.randint(0, 9999)}"
        f"</p><p class='timestamp'>Page generated {generated.isoformat()}</p></footer>"
    )


def _tail_scripts(rng: random.Random, size: int) -> str:
    """Inline scripts (analytics, a bundled widget) that bring the page to its target size."""
    chunk = "".join(
        f"var w{i}=function(a){{return a*{i}+{rng.randint(0, 999)}}};" for i in range(50)
    )
    parts = []
    while size > 0:
        parts.append(chunk)
        size -= len(chunk)
    return f"<script>{''.join(parts)}</script>"
