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
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from .decode import InputError

__all__ = ["ParseResult", "parse_text"]


@dataclass
class ParseResult:
    roots: list  # top-level elements: the root <html> and any siblings after </html>
    depth_limit_line: int | None = None  # LF line where libxml2 stopped for excessive depth
    messages: list[str] = field(default_factory=list)


def parse_text(text: str) -> ParseResult:
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
    roots = [root, *(s for s in root.itersiblings() if isinstance(s.tag, str))]
    return ParseResult(roots=roots, depth_limit_line=depth_line)
