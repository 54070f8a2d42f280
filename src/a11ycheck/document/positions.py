"""Source positions (1-based line and column of an element's start tag).

lxml gives ``sourceline``: the line where the start tag *ends*, saturated at 65535, counting
only LF as a line break. Columns need one extra pass over the decoded source, done lazily the
first time a finding asks for a position:

1. a scanner lists every start tag (offset of ``<``, offset after ``>``, lower-cased name),
   skipping comments, ``<!...>``, ``<?...>``, end tags and the bodies of raw-text elements
   (script, style, textarea, title, xmp, iframe, noembed, noframes, plaintext);
2. an element is matched to a start tag of the same name: the n-th ``<name`` element of the
   tree in document order is first tried against the n-th ``<name`` tag of the source, and
   accepted when the tag ends on the element's ``sourceline``; otherwise the nearest unused tag
   that ends on that line is taken. Past line 65535 the ordinal alone decides;
3. an element with no start tag in the source (``html``, ``head``, ``body``, ``tbody`` implied
   by the parser) is reported at its ``sourceline`` (or line 1) and column 1.

Reported lines count CR LF, LF and a bare CR as one line break each, like editors and the HTML
tokenizer do (libxml2 does not count a bare CR; the scanner works on offsets so it does not
matter here).
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lxml.etree import _Element

__all__ = ["PositionMap"]

_RAW_TEXT = frozenset("script style textarea title xmp iframe noembed noframes".split())
_TAG_NAME = re.compile(r"[a-zA-Z][^\s/>\x00]*")
# The rest of a start tag after its name: attributes (quoted values may hold '>') up to '>'.
# A quote opens a quoted attribute value only right after ``=`` (HTML tokenizer); anywhere else
# it is an ordinary character (``content=“x"`` is an unquoted value holding a quote). Every
# character other than ``>`` can be consumed by some alternative, so when a ``>`` follows (the
# caller checks) the match always succeeds and never backtracks exponentially.
_TAG_REST = re.compile(r"""(?:[^>"'=]+|=\s*"[^"]*"|=\s*'[^']*'|=|["'])*>""")
_LINE_BREAK = re.compile(r"\r\n?|\n")


class PositionMap:
    """Lazy start-tag positions for one document."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._tags: dict[str, list[tuple[int, int]]] | None = None  # name -> [(start, end)]
        self._lf_ends: dict[str, list[int]] = {}  # name -> LF-line of each tag's end
        self._used: dict[str, set[int]] = {}
        self._line_starts: list[int] | None = None
        self._lf_starts: list[int] | None = None
        self._ordinal: dict[str, dict[Any, int]] = {}
        self._cache: dict[Any, tuple[int, int, int]] = {}
        self._span: dict[Any, tuple[int, int]] = {}

    # -- scanning -------------------------------------------------------------------------
    def _scan(self) -> dict[str, list[tuple[int, int]]]:
        text = self.text
        tags: dict[str, list[tuple[int, int]]] = {}
        n = len(text)
        pos = text.find("<")
        find = text.find
        while pos != -1 and pos < n - 1:
            nxt = text[pos + 1]
            if nxt == "!":
                if text.startswith("<!--", pos):
                    if text.startswith("<!-->", pos):
                        end = pos + 5
                    elif text.startswith("<!--->", pos):
                        end = pos + 6
                    else:
                        e1 = find("-->", pos + 4)
                        e2 = find("--!>", pos + 4)
                        cands = [e for e in (e1, e2) if e != -1]
                        if not cands:
                            break
                        e = min(cands)
                        end = e + (3 if e == e1 else 4)
                else:
                    e = find(">", pos + 2)
                    if e == -1:
                        break
                    end = e + 1
                pos = find("<", end)
                continue
            if nxt == "?" or nxt == "/":
                e = find(">", pos + 2)
                if e == -1:
                    break
                pos = find("<", e + 1)
                continue
            m = _TAG_NAME.match(text, pos + 1)
            if m is None:
                pos = find("<", pos + 1)
                continue
            name = m.group(0).lower()
            if find(">", m.end()) == -1:
                break  # EOF inside the tag: the parser drops it
            rest = _TAG_REST.match(text, m.end())
            assert rest is not None
            end = rest.end()
            tags.setdefault(name, []).append((pos, end))
            if name in _RAW_TEXT or name == "plaintext":
                if name == "plaintext":
                    break
                close = re.compile(r"</" + re.escape(name) + r"[\s/>]", re.I).search(text, end)
                if close is None:
                    break
                pos = close.start()
                continue
            pos = find("<", end)
        return tags

    def _lf_line(self, offset: int) -> int:
        if self._lf_starts is None:
            starts = [0]
            find = self.text.find
            i = find("\n")
            while i != -1:
                starts.append(i + 1)
                i = find("\n", i + 1)
            self._lf_starts = starts
        return bisect.bisect_right(self._lf_starts, offset)

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset; CR LF, LF and CR each end a line."""
        if self._line_starts is None:
            starts = [0]
            for m in _LINE_BREAK.finditer(self.text):
                starts.append(m.end())
            self._line_starts = starts
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def line_for_lf_line(self, lf_line: int) -> int:
        """Convert a libxml2 line number (LF only) to an editor line number."""
        if "\r" not in self.text:
            return lf_line
        if self._lf_starts is None:
            self._lf_line(0)
        assert self._lf_starts is not None
        idx = min(max(lf_line, 1), len(self._lf_starts)) - 1
        return self.line_col(self._lf_starts[idx])[0]

    # -- matching -------------------------------------------------------------------------
    def _ordinal_of(self, el: _Element, name: str) -> int:
        table = self._ordinal.get(name)
        if table is None:
            root = el.getroottree().getroot()
            tops = [root, *[s for s in root.itersiblings() if isinstance(s.tag, str)]]
            table = {}
            i = 0
            for top in tops:
                for e in top.iter(name):
                    table[e] = i
                    i += 1
            self._ordinal[name] = table
        return table.get(el, -1)

    def locate(self, el: _Element) -> tuple[int, int, int]:
        """(line, column, offset) of the element's start tag; offset is -1 when implied."""
        hit = self._cache.get(el)
        if hit is not None:
            return hit
        if self._tags is None:
            self._tags = self._scan()
        name = el.tag if isinstance(el.tag, str) else ""
        src_line = el.sourceline or 0
        cands = self._tags.get(name, [])
        result: tuple[int, int, int] | None = None
        if cands:
            ends = self._lf_ends.get(name)
            if ends is None:
                ends = [self._lf_line(e - 1) for _, e in cands]
                self._lf_ends[name] = ends
            used = self._used.setdefault(name, set())
            k = self._ordinal_of(el, name)
            pick = -1
            if 0 <= k < len(cands) and k not in used and (src_line >= 65535 or ends[k] == src_line):
                pick = k
            elif src_line and src_line < 65535:
                lo = bisect.bisect_left(ends, src_line)
                hi = bisect.bisect_right(ends, src_line)
                best = None
                for i in range(lo, hi):
                    if i in used:
                        continue
                    if best is None or abs(i - k) < abs(best - k):
                        best = i
                if best is None and lo < hi:
                    best = min(range(lo, hi), key=lambda i: abs(i - k))
                if best is not None:
                    pick = best
            elif 0 <= k < len(cands):
                pick = k
            if pick >= 0:
                used.add(pick)
                start = cands[pick][0]
                self._span[el] = cands[pick]
                line, col = self.line_col(start)
                result = (line, col, start)
        if result is None:
            line = self.line_for_lf_line(src_line) if src_line else 1
            result = (line, 1, -1)
        self._cache[el] = result
        return result

    def start_tag_text(self, el: _Element) -> str | None:
        """The start tag exactly as written in the source, when it was found."""
        self.locate(el)
        span = self._span.get(el)
        return None if span is None else self.text[span[0] : span[1]]
