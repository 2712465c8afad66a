"""How deep a page's elements nest, measured before an HTML parser builds its tree.

lexbor (selectolax) builds trees in time that grows with the square of the nesting depth for
most elements: 16,000 nested ``div`` take seconds, 100,000 take minutes, and no call can be
interrupted. So a page is measured first, in one linear pass over its tags, and a page nested
deeper than ``MAX_DEPTH`` is refused before it is parsed (Blink flattens its own trees at the
same depth, 512; government pages nest a few dozen deep).

The measure follows the HTML tree-construction rules that close elements (end tags within
their scope, a ``<p>``, ``<li>``, ``<td>`` ... that closes an open one) and, where a rule is
not modelled, keeps the element open: it may count a little deeper than the parser would,
never much shallower, so no page whose tree would be deep slips through.
"""

from __future__ import annotations

import re

MAX_DEPTH = 512
UNMEASURED = 4000  # 4,000 nested elements: lexbor's worst case is about 0.15 s

_TAG = re.compile(r"<(?:(!--)|[!?]|(/?)([a-z][^\s/>]*))")
_VOID = frozenset(
    "area base basefont bgsound br col embed frame hr img input keygen link meta param source "
    "track wbr".split()
)
_RAW_TEXT = frozenset("script style textarea title xmp iframe noembed noframes noscript".split())
_FORMATTING = frozenset("a b big code em font i nobr s small strike strong tt u".split())
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_FOREIGN = frozenset({"svg", "math"})
# Elements that stop an end tag's or an implied close's search for the element to close.
_SCOPE = frozenset(
    "applet caption html table td th marquee object template mi mo mn ms mtext annotation-xml "
    "foreignobject desc title svg math".split()
)
_SPECIAL = _SCOPE | frozenset(
    "address area article aside base basefont bgsound blockquote body br button center col "
    "colgroup dd details dir div dl dt embed fieldset figcaption figure footer form frame "
    "frameset h1 h2 h3 h4 h5 h6 head header hgroup hr iframe img input keygen li link listing "
    "main menu meta nav noembed noframes noscript ol p param plaintext pre script search section "
    "select source style summary tbody textarea tfoot thead tr track ul wbr xmp".split()
)
_STOPS = {
    "scope": _SCOPE,
    "button": _SCOPE | {"button"},
    "list": _SCOPE | {"ol", "ul"},
    "table": frozenset({"html", "table", "template", "svg", "math"}),
    "special": _SPECIAL,
    "item": _SPECIAL - {"address", "div", "p"},  # what stops a new <li>, <dd>, <dt>
}
_CLOSES_P = frozenset(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption "
    "figure footer form header hgroup main menu nav ol p search section summary ul h1 h2 h3 h4 "
    "h5 h6 pre listing hr xmp li dd dt".split()
)
_KINDS_OF = {
    name: tuple(kind for kind, stops in _STOPS.items() if name in stops)
    for name in frozenset().union(*_STOPS.values())
}
# A start tag that closes an open element like it: (the names it closes, what stops the search)
_START_CLOSES = {
    "li": (("li",), "item"),
    "dd": (("dd", "dt"), "item"),
    "dt": (("dd", "dt"), "item"),
    "td": (("td", "th"), "table"),
    "th": (("td", "th"), "table"),
    "tr": (("tr",), "table"),
    "a": (("a",), "scope"),  # a new <a> closes the open one (the adoption agency)
    "nobr": (("nobr",), "scope"),
}
_HEADING_NAMES = tuple(sorted(_HEADINGS))
_END_STOP = (
    {name: "scope" for name in _SPECIAL | _FORMATTING}
    | {"p": "button", "li": "list"}
    | dict.fromkeys(("td", "th", "tr", "table", "tbody", "thead", "tfoot", "caption"), "table")
)


class _Stack:
    """The open elements, with where each name and each kind of stop sits, for O(1) look-ups."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.at: dict[str, list[int]] = {}
        self.stops: dict[str, list[int]] = {kind: [] for kind in _STOPS}
        # Formatting elements closed by an implied close: the parser reopens them later, up to
        # 3 of a kind (its Noah's Ark clause).
        self.dangling: dict[str, int] = {}
        self.depth = 0  # open elements, and dangling ones
        self.foreign = 0  # open <svg> and <math> elements

    def push(self, name: str) -> None:
        index = len(self.names)
        self.names.append(name)
        self.at.setdefault(name, []).append(index)
        for kind in _KINDS_OF.get(name, ()):
            self.stops[kind].append(index)
        self.depth += 1

    def nearest(self, names: tuple[str, ...], stop: str) -> int:
        """The index of the nearest open element of ``names`` with no ``stop`` above it, or -1."""
        index = max((self.at[name][-1] for name in names if self.at.get(name)), default=-1)
        stops = self.stops[stop]
        return index if index >= 0 and index >= (stops[-1] if stops else -1) else -1

    def close(self, index: int, implied: bool) -> None:
        """Pop every element from ``index`` up."""
        while len(self.names) > index:
            name = self.names.pop()
            self.at[name].pop()
            for kind in _KINDS_OF.get(name, ()):
                self.stops[kind].pop()
            self.depth -= 1
            if implied and name in _FORMATTING and self.dangling.get(name, 0) < 3:
                self.dangling[name] = self.dangling.get(name, 0) + 1
                self.depth += 1

    def start(self, name: str) -> None:
        if self.foreign or name in _FOREIGN:
            self.foreign += name in _FOREIGN
            self.push(name)  # inside <svg> or <math> an HTML name closes nothing: keep it open
            return
        if name in _CLOSES_P and self.at.get("p") and (p := self.nearest(("p",), "button")) >= 0:
            self.close(p, implied=True)
        if name in _HEADINGS and self.names and self.names[-1] in _HEADINGS:
            self.close(len(self.names) - 1, implied=True)
        rule = _START_CLOSES.get(name)
        if rule is not None:
            if name in self.dangling:  # a new <a> ends the one the parser would reopen
                self.depth -= self.dangling.pop(name)
            if (open_one := self.nearest(*rule)) >= 0:
                self.close(open_one, implied=True)
        if name in ("option", "optgroup") and self.names and self.names[-1] == "option":
            self.close(len(self.names) - 1, implied=True)
        self.push(name)

    def end(self, name: str) -> None:
        if name in ("body", "html", "br"):
            return  # these end tags close nothing
        if name in _FOREIGN and self.foreign:
            self.foreign -= 1
        names = _HEADING_NAMES if name in _HEADINGS else (name,)
        found = self.nearest(names, _END_STOP.get(name, "special"))
        if found >= 0:
            self.close(found, implied=False)
        elif self.dangling.get(name):
            self.dangling[name] -= 1
            self.depth -= 1


def too_deep(html: str, limit: int = MAX_DEPTH) -> bool:
    """Whether the elements of ``html`` would nest deeper than ``limit``.

    A page of fewer than ``UNMEASURED`` tags is not measured: however it nests, lexbor builds
    it in a fraction of a second, and the walk over its tree bounds the depth it reads.
    """
    if html.count("<") <= max(limit, UNMEASURED):
        return False
    text = html.lower()
    stack = _Stack()
    position = 0
    while (match := _TAG.search(text, position)) is not None:
        position = _read_tag(text, match, stack)
        if stack.depth > limit:
            return True
    return False


def _read_tag(text: str, match: re.Match[str], stack: _Stack) -> int:
    """Apply one tag to the stack; return where the text goes on (its end: nothing more)."""
    if match.group(1):  # a comment: up to its end
        end = text.find("-->", match.end())
        return end + 3 if end >= 0 else len(text)
    end = text.find(">", match.end())
    name = match.group(3)
    if end < 0 or name == "plaintext":
        return len(text)  # the rest is text
    if name is None:  # <!DOCTYPE ...>, <?...>: bogus comments
        return end + 1
    if match.group(2):
        stack.end(name)
        return end + 1
    if name in _VOID or (stack.foreign and text[end - 1] == "/"):
        return end + 1
    raw = name in _RAW_TEXT and not stack.foreign
    stack.start(name)
    if raw:  # its text is not markup: on to its end tag
        close = text.find(f"</{name}", end + 1)
        return close if close >= 0 else len(text)
    return end + 1
