"""The one hardened HTML parse: decoded text -> lxml tree, with libxml2's traps handled.

* The text is decoded in Python first (see :mod:`.decode`) and handed to libxml2 as UTF-8 with
  ``encoding='utf-8'``: a late or wrong ``<meta charset>`` can then no longer make libxml2
  switch decoders mid-document and silently stop.
* ``huge_tree=True`` raises libxml2's nesting limit from 256 to 2048 and lifts the 10 MB text
  node cap; content nested deeper is still dropped, so the error log is checked and the
  document is marked truncated ("too deeply nested") instead of passing silently.
* ``no_network=True``: nothing is ever fetched. The HTML parser never expands entities.
* Empty, whitespace-only or comment-only input gives no tree: that is reported, not a crash.
* libxml2 puts content after ``</html>`` into a sibling of the root element; callers walk
  every top-level element (:attr:`ParseResult.roots`).
* libxml2 compares every attribute of a start tag with all the earlier ones, so its time grows
  with the square of the attribute count (100,000 attributes on one tag: about a minute).
  Inputs whose long start tags add up to more than :data:`MAX_ATTRIBUTE_WORK` (one tag with
  20,000 attributes) are refused as ``too-large`` before parsing. The check costs next to
  nothing on ordinary pages: only stretches of 16 kB without a ``>`` are looked at.
* libxml2 keeps elements it does not know as body content (``main``, ``header``, ``nav``,
  ``section``, ``figure``, custom elements, ``svg``...) in ``<head>`` when the page has no
  ``<body>`` start tag before them (minifiers drop the optional ``<html>``, ``<head>`` and
  ``<body>`` tags). The HTML parser closes the head at the first element that is not head
  content and starts the body there; :func:`repair_head` does the same afterwards, so such a
  page's ``<main>`` is not taken for hidden head content.
* Every element costs about 500 bytes of memory once parsed and modelled (a 24 MB page of 3
  million empty elements needs 1.5 GB), far more than its bytes in the source. Inputs with
  more than ``max_elements`` start tags (default :data:`MAX_ELEMENTS`, 230 times the largest
  article page seen) are refused as ``too-large`` before parsing. Start tags are counted as
  ``<`` followed by an ASCII letter, so the count is an upper bound; on ordinary pages only a
  ``str.count("<")`` is paid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .decode import InputError

__all__ = ["MAX_ATTRIBUTE_WORK", "MAX_ELEMENTS", "ParseResult", "parse_text", "repair_head"]

#: Sum over long start tags of (number of attributes) squared above which an input is refused.
MAX_ATTRIBUTE_WORK = 20_000**2
#: Default limit on the number of start tags of one input (``--max-elements``).
MAX_ELEMENTS = 1_000_000
_WINDOW = 16384
_RAW_START = re.compile(r"<(?:script|style|textarea|title|xmp|iframe|noembed|noframes|plaintext)[\t\n\f\r />]", re.I)
_TAG_OPEN = re.compile(r"<[a-zA-Z]")
# Start or end tag: the position scanner reads attributes on end tags too (their memory grows
# with the count), so both kinds of long tag count as attribute work.
_ANY_TAG_OPEN = re.compile(r"</?[a-zA-Z]")
_ATTR = re.compile(r"""[\t\n\f\r /]*[^\t\n\f\r />][^\t\n\f\r />=]*(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"[^"]*"?|'[^']*'?|[^\t\n\f\r >]*))?""")


def attribute_work(text: str) -> tuple[int, int]:
    """(sum of squared attribute counts of very long tags, offset of the largest one).

    Only stretches of ``_WINDOW`` characters without a ``>`` are looked at (a start tag with
    thousands of attributes is one); a stretch inside a comment or after the start tag of a
    raw-text element (script, style...) is content, not a tag."""
    find, rfind = text.find, text.rfind
    total, worst, worst_at = 0, 0, -1
    n = len(text)
    i = 0
    while i + _WINDOW <= n:
        if find(">", i, i + _WINDOW) != -1:
            i += _WINDOW
            continue
        end = find(">", i)
        end = n if end == -1 else end
        prev = rfind(">", 0, i)
        opener = rfind("<", 0, prev) if prev != -1 else -1
        in_raw = opener != -1 and _RAW_START.match(text, opener) is not None
        in_comment = rfind("<!--", 0, i) > rfind("-->", 0, i)
        m = None if in_raw or in_comment else _ANY_TAG_OPEN.search(text, prev + 1, end)
        if m is not None:
            count = sum(1 for _ in _ATTR.finditer(text, m.end(), end))
            total += count * count
            if count > worst:
                worst, worst_at = count, m.start()
        i = end + 1
    return total, worst_at


# What the HTML parser keeps in <head> ("in head" insertion mode); anything else ends the head.
_HEAD_CONTENT = frozenset("base basefont bgsound link meta title noscript noframes style script template".split())


def repair_head(root: etree._Element) -> bool:
    """Move the head's content from its first non-head element on to the start of ``<body>``
    (created after the head when missing), keeping document order. True when it moved anything."""
    head = root.find("head")
    if head is None:
        return False
    first = next((c for c in head if isinstance(c.tag, str) and c.tag not in _HEAD_CONTENT), None)
    if first is None:
        return False
    moving = [first, *first.itersiblings()]
    body = root.find("body")
    if body is None:
        body = etree.Element("body")
        head.addnext(body)
        head.tail, body.tail = None, head.tail
    lead = body.text  # text at the start of the body follows the moved nodes
    body.text = None
    for i, node in enumerate(moving):
        body.insert(i, node)
    if lead:
        last = moving[-1]
        last.tail = (last.tail or "") + lead
    return True


@dataclass
class ParseResult:
    roots: list  # top-level elements: the root <html> and any siblings after </html>
    depth_limit_line: int | None = None  # LF line where libxml2 stopped for excessive depth
    messages: list[str] = field(default_factory=list)


def start_tag_count(text: str, limit: int) -> int:
    """An upper bound on the number of start tags, exact enough to compare with ``limit``: when
    the text has no more than ``limit`` ``<`` characters that number is returned at once."""
    lt = text.count("<")
    if lt <= limit:
        return lt
    return sum(1 for _ in _TAG_OPEN.finditer(text))


def parse_text(text: str, max_elements: int = MAX_ELEMENTS) -> ParseResult:
    tags = start_tag_count(text, max_elements)
    if tags > max_elements:
        raise InputError("too-large", f"about {tags:,} start tags is over the {max_elements:,}-element limit "
                                      "(--max-elements); every element costs about 500 bytes of memory")
    work, at = attribute_work(text)
    if work > MAX_ATTRIBUTE_WORK:
        line = text.count("\n", 0, at) + 1
        raise InputError("too-large", f"start tags with too many attributes (the largest starts on line {line}); "
                                      "the HTML parser's time grows with the square of the attribute count")
    parser = etree.HTMLParser(
        encoding="utf-8",
        huge_tree=True,
        no_network=True,
        remove_comments=False,
        remove_pis=False,
        recover=True,
        collect_ids=False,
    )
    data = text.encode("utf-8", "surrogatepass")
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:  # pragma: no cover - recover=True makes this rare
        raise InputError("parse-error", f"the HTML parser gave up: {exc}") from None
    depth_line = None
    for entry in parser.error_log:
        if "Excessive depth" in entry.message or entry.type_name == "ERR_RESOURCE_LIMIT":
            depth_line = entry.line
            break
    if root is None:
        raise InputError("empty", "the file has no elements to check (empty, whitespace or comments only)")
    repair_head(root)
    roots = [root, *(s for s in root.itersiblings() if isinstance(s.tag, str))]
    return ParseResult(roots=roots, depth_limit_line=depth_line)
