"""Property-based tests (hypothesis) over generated, often malformed, HTML.

For every generated page:

* checking it with the real default rule set never raises and never ends in an internal error;
* ``doc.selector(el)`` matches exactly ``el`` (cssselect on the lxml tree), for every element,
  sibling roots after ``</html>``, odd ids and odd tag names included;
* ``doc.location(el)`` points at the ``<`` of the element's own start tag: the generator marks
  start tags with a unique ``data-k`` attribute and remembers where it wrote each one; elements
  the parser implied get column 1;
* every finding's line:column and selector agree with the model.

Examples are derandomized (same examples every run) so CI is deterministic.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml.cssselect import CSSSelector

from a11ycheck.api import check_bytes, make_runs, select_rules
from a11ycheck.document import InputError, parse_document
from a11ycheck.registry import load_rules

SETTINGS = settings(derandomize=True, max_examples=150, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

TAGS = ["div", "p", "span", "a", "img", "h1", "h2", "h3", "h6", "section", "article", "aside", "nav", "main",
        "header", "footer", "figure", "figcaption", "ul", "ol", "li", "table", "tr", "td", "th", "caption",
        "form", "input", "button", "label", "template", "svg", "title", "math", "iframe", "details", "summary",
        "select", "option", "b", "i", "em", "strong", "blockquote", "dl", "dt", "dd", "picture", "source",
        "object", "area", "map", "video", "noscript", "head", "body", "html", "fieldset", "legend",
        # odd names: custom elements, upper case, digits, characters CSS identifiers do not allow
        "my-widget", "x-1", "DIV", "Section", "IMG", "h7", "foo_bar", "a1b", "x.y", "ns:tag", "é-tag"]
VOID = {"img", "input", "br", "hr", "source", "area", "wbr", "meta", "link"}
RAW = ["script", "style", "textarea", "title", "xmp", "noembed", "noframes"]
RAW_CONTENT = ["", "var a = '<p>x</p>';", "</div><img src=x>", "<!-- <h1> -->", "a < b && c > d",
               "</scrip", "if (x</y) {}", "<table><tr><td>", "<!--<script>x</script><p>-->",
               "<!-- <script> a </script> --> <b>", "<!-- </script> <i>", "<!--><p>"]
# Attribute text as a careless page writes it; the tokenizer rules for these are subtle.
JUNK_ATTRS = [' a=b"c', " =x", " x=y=z", " / ", ' "q"', " data-x='>'", ' title=">"', " A=1", " b='it\"s'",
              " c=d/", " e= f", " g =h", ' h=""i', " j=<k>"]
IDS = ["a", "b", "main", "1st", "a b", "--x", "-", "é", "x.y", 'q"uote', "it's", "#hash", "a\\b", "", "nav",
       "x:y", "[br]", "emoji😀"]
ATTR_NAMES = ["class", "role", "alt", "title", "aria-hidden", "hidden", "style", "tabindex", "href", "lang",
              "aria-label", "aria-labelledby", "for", "name", "src", "type", "open", "headingoffset"]
VALUES = ["", "x", "true", "false", "presentation", "heading", "main", "navigation", "none", "display:none",
          "visibility:hidden", "0", "-1", "2", "#a", "en", "a b", "it's", 'say "hi"', "<b>", "&amp;", "é😀"]
TEXTS = ["", "x", "Hello world", "&amp; &lt;p&gt;", "a < b", "café 😀", "  ", "\t", "&nbsp;", "&#x1F600;",
         "line\nbreak", "cr\rbreak", "crlf\r\nbreak", "\u00a0", "&unknown;", "]]>", "-->"]
BREAKS = ["", "", "\n", "\r\n", "\r", " "]
COMMENTS = ["<!-- c -->", "<!---->", "<!-->", "<!--->", "<!-- a --!>", "<!x>", "<?php echo 1 ?>", "<!-- <img> -->",
            "<!DOCTYPE html>", "<![CDATA[x]]>"]


class Page:
    """Builds the page text and remembers the offset of every marked start tag."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.marks: dict[str, int] = {}

    def add(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)

    def text(self) -> str:
        return "".join(self.parts)


def _quote(name: str, value: str | None, style: int) -> str:
    if value is None:
        return f" {name}"
    if style == 0 or (style == 2 and (not value or re.search(r"[\s\"'=<>`]", value))):
        return f' {name}="{value.replace(chr(34), "&quot;")}"'
    if style == 1:
        return f" {name}='{value.replace(chr(39), '&#39;')}'"
    return f" {name}={value}"


@st.composite
def start_tag(draw, page: Page, tag: str) -> None:
    mark = draw(st.booleans()) or draw(st.booleans())  # most start tags carry a marker
    attrs: list[tuple[str, str | None]] = []
    if mark:
        k = f"k{len(page.marks)}"
        attrs.append(("data-k", k))
    if draw(st.integers(0, 3)) == 0:
        attrs.append(("id", draw(st.sampled_from(IDS))))
    for _ in range(draw(st.integers(0, 2))):
        attrs.append((draw(st.sampled_from(ATTR_NAMES)), draw(st.one_of(st.none(), st.sampled_from(VALUES)))))
    junk = "".join(draw(st.lists(st.sampled_from(JUNK_ATTRS), max_size=2))) if draw(st.integers(0, 3)) == 0 else ""
    if tag in ("img", "IMG", "area") and draw(st.booleans()):
        attrs.append(("alt", draw(st.sampled_from(VALUES))))
    sep = draw(st.sampled_from(["", "", "\n", " "]))
    rendered = "".join(_quote(n, v, draw(st.integers(0, 2))) for n, v in attrs)
    close = draw(st.sampled_from([">", ">", ">", " >", "/>", "\n>"]))
    if mark:
        page.marks[attrs[0][1] or ""] = page.length
    page.add(f"<{tag}{rendered}{junk}{sep}{close}")


@st.composite
def node(draw, page: Page, depth: int) -> None:
    kind = draw(st.integers(0, 9))
    page.add(draw(st.sampled_from(BREAKS)))
    if kind <= 1:
        page.add(draw(st.sampled_from(TEXTS)))
    elif kind == 2:
        page.add(draw(st.sampled_from(COMMENTS)))
    elif kind == 3:
        tag = draw(st.sampled_from(RAW))
        draw(start_tag(page, tag))
        page.add(draw(st.sampled_from(RAW_CONTENT)))
        if draw(st.integers(0, 5)):
            page.add(f"</{tag}>")
    elif kind == 4 and depth > 0:
        page.add(f"</{draw(st.sampled_from(TAGS))}>")  # stray or early end tag
    else:
        tag = draw(st.sampled_from(TAGS))
        draw(start_tag(page, tag))
        if tag.lower() in VOID:
            return
        if depth < 6:
            for _ in range(draw(st.integers(0, 4))):
                draw(node(page, depth + 1))
        if draw(st.integers(0, 4)):  # sometimes left unclosed
            page.add(f"</{tag}>")


@st.composite
def pages(draw) -> tuple[str, dict[str, int]]:
    page = Page()
    if draw(st.booleans()):
        page.add("<!DOCTYPE html>" + draw(st.sampled_from(BREAKS)))
    wrap = draw(st.integers(0, 2))
    if wrap:
        draw(start_tag(page, "html"))
        if wrap == 2:
            page.add("<head>")
            draw(start_tag(page, "title"))
            page.add("T</title></head>")
            draw(start_tag(page, "body"))
    for _ in range(draw(st.integers(1, 6))):
        draw(node(page, 0))
    if wrap and draw(st.booleans()):
        page.add("</body></html>")
        # content after </html>: libxml2 makes sibling roots of it
        for _ in range(draw(st.integers(0, 3))):
            draw(node(page, 0))
    return page.text(), page.marks


_LINE_BREAK = re.compile(r"\r\n?|\n")


def line_col(text: str, offset: int) -> tuple[int, int]:
    """Independent reference: 1-based line (CR LF, LF, CR) and code-point column."""
    before = text[:offset]
    breaks = list(_LINE_BREAK.finditer(before))
    line_start = breaks[-1].end() if breaks else 0
    # a CR at offset-1 followed by LF at offset is one break that has not finished yet
    return len(breaks) + 1, offset - line_start + 1


_RUNS = None


def runs():
    global _RUNS
    if _RUNS is None:
        _RUNS = make_runs(select_rules(load_rules()))
    return _RUNS


def _parse(text: str):
    try:
        return parse_document(text.encode("utf-8", "surrogatepass"), "gen.html")
    except InputError:
        return None


def select(doc, selector: str) -> list:
    sel = CSSSelector(selector)
    out = []
    for top in doc.roots:
        out.extend(sel(top))
    return out


@SETTINGS
@given(pages())
def test_checking_never_crashes(page: tuple[str, dict[str, int]]) -> None:
    text, _ = page
    outcome = check_bytes(text.encode("utf-8"), "gen.html", runs())
    assert outcome.result is not None or outcome.errors, "an input must end as findings or as a tool error"
    assert not [e for e in outcome.errors if e.kind == "internal-error"], outcome.errors


@SETTINGS
@given(pages())
def test_every_selector_matches_exactly_its_element(page: tuple[str, dict[str, int]]) -> None:
    doc = _parse(page[0])
    if doc is None:
        return
    for el in doc.elements:
        sel = doc.selector(el)
        found = select(doc, sel)
        assert found == [el], f"{sel!r} matches {len(found)} elements, not exactly <{el.tag}> (source {page[0]!r})"


@SETTINGS
@given(pages())
def test_every_location_is_the_elements_start_tag(page: tuple[str, dict[str, int]]) -> None:
    text, marks = page
    doc = _parse(text)
    if doc is None:
        return
    seen: dict[int, object] = {}
    for el in doc.elements:
        line, col, offset = doc.positions.locate(el)
        if offset >= 0:
            assert text[offset] == "<", (el.tag, offset)
            assert text[offset + 1 : offset + 1 + len(el.tag)].lower() == el.tag, (el.tag, text[offset:offset + 20])
            assert (line, col) == line_col(text, offset)
            assert offset not in seen, f"two elements located at the same start tag {text[offset:offset + 20]!r}"
            seen[offset] = el
        else:
            assert col == 1
        k = el.get("data-k")
        if k is not None and k in marks and sum(1 for e in doc.elements if e.get("data-k") == k) == 1:
            assert offset == marks[k], (
                f"<{el.tag} data-k={k}> located at {offset} {text[offset:offset + 25]!r}, "
                f"written at {marks[k]} {text[marks[k]:marks[k] + 25]!r}; source {text!r}")


@SETTINGS
@given(pages())
def test_findings_point_at_their_element(page: tuple[str, dict[str, int]]) -> None:
    text, _ = page
    outcome = check_bytes(text.encode("utf-8"), "gen.html", runs())
    if outcome.result is None or not outcome.result.findings:
        return
    doc = _parse(text)
    assert doc is not None
    for f in outcome.result.findings:
        found = select(doc, f.selector)
        assert len(found) == 1, f"{f.rule}: selector {f.selector!r} matches {len(found)} elements"
        assert doc.location(found[0]) == (f.line, f.column), f.rule


# ---------------------------------------------------------------------------------------------
# Cases the properties above found, kept as plain examples.
def _doc(html: str):
    return parse_document(html.encode("utf-8"), "t.html")


def test_selector_of_root_when_content_follows_html_end() -> None:
    """libxml2 makes a second <html> root for text after </html>: ``html`` alone would match both."""
    doc = _doc('<html id="a"></body></html>x')
    assert len(doc.roots) == 2
    for el in doc.elements:
        assert select(doc, doc.selector(el)) == [el]
    assert doc.selector(doc.roots[0]) == "#a"
    assert doc.selector(doc.roots[1]) == "html:nth-of-type(2)"


def test_selector_of_id_with_backslash_uses_the_path() -> None:
    """cssselect unescapes ``\\\\`` twice, so an id holding a backslash is not used as ``[id=...]``."""
    doc = _doc('<body><p id="a\\b">x</p></body>')
    p = doc.elements[-1]
    assert select(doc, doc.selector(p)) == [p]


def test_self_closing_script_and_title_start_no_raw_text() -> None:
    """libxml2 closes ``<script/>`` and ``<title/>`` at once: the tags after them are markup."""
    text = '<title/><script src=a.js/>\n<p id=x>1</p><script>var s = "<p>";</script><p id=y>2</p>'
    doc = _doc(text)
    for el in doc.elements:
        line, col, offset = doc.positions.locate(el)
        if el.get("id"):
            assert offset == text.index(f"<p id={el.get('id')}>")


def test_script_escape_states() -> None:
    """``<!--<script>...</script>-->`` inside a script is still script (HTML tokenizer)."""
    text = '<script><!--<script></script><p id=no>--></script><p id=yes>x</p>'
    doc = _doc(text)
    ps = [e for e in doc.elements if e.tag == "p"]
    assert [p.get("id") for p in ps] == ["yes"]
    assert doc.positions.locate(ps[0])[2] == text.index("<p id=yes>")


def test_quoted_gt_and_unquoted_quotes_in_attributes() -> None:
    text = '<p title=">" a=b"c>1</p><img alt=\'x>y\' src=a><p x=y/>2</p>'
    doc = _doc(text)
    found = {e.tag + str(i): doc.positions.locate(e)[2] for i, e in enumerate(doc.elements) if e.tag in ("p", "img")}
    assert sorted(found.values()) == [0, text.index("<img"), text.index("<p x")]


def test_tag_dropped_by_the_parser_does_not_shift_later_tags_on_the_line() -> None:
    """A second <body> start tag makes no element; the next real element keeps its own column."""
    text = '<body><p class=a>1</p><body class=b><p class=c>2</p></body>'
    doc = _doc(text)
    p2 = [e for e in doc.elements if e.get("class") == "c"][0]
    assert doc.positions.locate(p2)[2] == text.index("<p class=c>")
