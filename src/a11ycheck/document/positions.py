"""Source positions (1-based line and column of an element's start tag).

lxml gives ``sourceline``: the line where the start tag *ends*, saturated at 65535, counting
only LF as a line break. Columns need one extra pass over the decoded source, done lazily the
first time a finding asks for a position:

1. a scanner lists every start tag (offset of ``<``, offset after ``>``, lower-cased name) the
   way the HTML tokenizer (libxml2 2.14 has one) reads them: attributes with quoted values
   that may hold ``>``, comments, ``<!...>``, ``<?...>``, end tags and the bodies of raw-text
   elements (script with its escape states, style, textarea, title, xmp, iframe, noembed,
   noframes, plaintext) are skipped; a tag cut off by the end of the file is no tag;
2. the elements of one name (document order) are matched to the start tags of that name
   (source order) in one monotone pass: a tag must end on the element's ``sourceline``; tags
   ending on earlier lines were dropped by the parser and are skipped; among several tags on
   the line the first whose attribute names all appear on the element wins. Past line 65535
   order alone decides. The result does not depend on which element is asked for first;
3. an element with no start tag in the source (``html``, ``head``, ``body``, ``tbody`` implied
   by the parser) is reported at its ``sourceline`` (or line 1) and column 1.

Reported lines count CR LF, LF and a bare CR as one line break each, like editors and the HTML
tokenizer do (libxml2 does not count a bare CR; the scanner works on offsets so it does not
matter here).
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from itertools import product, repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lxml.etree import _Element

__all__ = ["PositionMap"]

# How libxml2 2.14 (an HTML5 tokenizer) reads raw text: RCDATA (title, textarea) and RAWTEXT
# (style, xmp, iframe, noembed, noframes) end at the first "</name" followed by white space, "/"
# or ">"; script data has the escape states of the HTML tokenizer; plaintext never ends. libxml2
# honours "/>" on any element, so "<title/>" starts no raw text. noscript is parsed as markup.
_RAW_TEXT = frozenset("style textarea title xmp iframe noembed noframes".split())
_WS = "\t\n\f\r "  # HTML white space (Python's \s would also take NBSP and friends)
# Attributes as the HTML tokenizer reads them (before/after attribute name, value states): a name
# (its first character may be "="), an optional "=" and a value that is double-quoted, single-
# quoted (both may run unterminated to EOF) or unquoted (up to white space or ">"; quotes, "="
# and "<" are ordinary characters there). "/" is a separator; "/>" is left for the caller.
# Every character but ">" is consumed by exactly one path and the match cannot fail, so it never
# backtracks: linear time on any input. (``(?:value|)`` rather than ``(?:value)?``: the same
# match, but the regex engine runs a two-way branch faster than an optional group.)
_ATTRS = (rf"(?:[{_WS}/]*[^{_WS}/>][^{_WS}/>=]*"
          rf"(?:[{_WS}]*=[{_WS}]*(?:\"[^\"]*\"?|'[^']*'?|[^{_WS}>]*)|))*")
# One match per start tag. Everything before it that yields no start tag (text, comments,
# "<!...>", "<?...>", end tags, a "<" that opens nothing) is consumed inside the match by one
# greedy loop, so those tokens cost no Python-level iteration. The loop stops only at "<" + ASCII
# letter or at the end of the text, where the start tag or ``\Z`` always matches: the match never
# fails, so nothing backtracks and the time stays linear (no possessive quantifier needed, which
# Python 3.10 lacks). The loop takes at most 1000 tokens per match because the regex engine keeps
# a backtrack entry per iteration until the match ends (unbounded, 10 MB of end tags would hold
# ~0.5 GB); the empty last branch then ends the match early (no ``name``) and the next goes on.
# The branches are those of the tokenizer's tag open state, the plain "</name>" first as the
# most common token.
_SKIP = (r"[^<]*(?:(?:"
         rf"</[a-zA-Z][^{_WS}/>]*>"  # end tag without attributes (the general form follows)
         rf"|</(?:[a-zA-Z][^{_WS}/>]*{_ATTRS}[{_WS}/]*>?|>|[^>]*>?)"  # end tag (with attributes), </>, bogus
         r"|<!--(?:-?>|.*?(?:--!?>|\Z))"  # comment; "<!-->" and "<!--->" end at once; unclosed: to EOF
         r"|<[!?][^>]*>?"  # doctype, bogus comment (also <![CDATA[ in HTML content), <?...>
         r"|<(?![a-zA-Z])"  # a "<" that starts no tag is text
         r")[^<]*){0,1000}")
_START_TAG = re.compile(
    _SKIP + rf"(?:(?P<tag><(?P<name>[a-zA-Z][^{_WS}/>]*){_ATTRS}(?P<sep>[{_WS}/]*)(?P<close>>)?)|\Z|)",
    re.S,
)
_ATTR_NAME = re.compile(rf"[{_WS}/]*([^{_WS}/>][^{_WS}/>=]*)(?:[{_WS}]*=[{_WS}]*(?:\"[^\"]*\"?|'[^']*'?|[^{_WS}>]*))?")
_RAW_END: dict[str, Any] = {}
_SCRIPT_DATA = re.compile(rf"<!--|</script[{_WS}/>]", re.I)
_SCRIPT_ESCAPED = re.compile(rf"-->|<(/?)script[{_WS}/>]", re.I)
_SCRIPT_DOUBLE = re.compile(rf"-->|</script[{_WS}/>]", re.I)


def _raw_end(name: str, text: str, pos: int) -> int:
    """Offset of the end tag closing RCDATA/RAWTEXT content that starts at ``pos``, or -1."""
    pat = _RAW_END.get(name)
    if pat is None:
        pat = _RAW_END[name] = re.compile(rf"</{re.escape(name)}[{_WS}/>]", re.I)
    m = pat.search(text, pos)
    return -1 if m is None else m.start()


def _script_end(text: str, pos: int) -> int:
    """Offset of the ``</script`` that ends script data starting at ``pos``, or -1 (HTML tokenizer
    script data, escaped and double-escaped states: ``<!--<script>...</script>-->`` stays script)."""
    state = 0  # 0 data, 1 escaped (after "<!--"), 2 double escaped (after "<!--<script")
    while True:
        if state == 0:
            m = _SCRIPT_DATA.search(text, pos)
            if m is None:
                return -1
            if m.group(0) != "<!--":
                return m.start()
            state, pos = 1, m.start() + 2  # the "--" of "<!--" may already end it: "<!-->"
        elif state == 1:
            m = _SCRIPT_ESCAPED.search(text, pos)
            if m is None:
                return -1
            if m.group(0) == "-->":
                state, pos = 0, m.end()
            elif m.group(1):
                return m.start()
            else:
                state, pos = 2, m.end() - 1
        else:
            m = _SCRIPT_DOUBLE.search(text, pos)
            if m is None:
                return -1
            state, pos = (0, m.end()) if m.group(0) == "-->" else (1, m.end() - 1)


_LINE_BREAK = re.compile(r"\r\n?|\n")
_LF = re.compile("\n")
_MATCH_END = re.Match.end
_UPPER = {c: c + 32 for c in range(65, 91)}
# Every spelling of the names whose start tag opens raw text (ASCII case-insensitive, as the
# tokenizer lower-cases names): one set lookup per start tag instead of lower-casing each name.
_RAW_SPELLINGS = frozenset(
    "".join(chars)
    for name in (*_RAW_TEXT, "script", "plaintext")
    for chars in product(*((c, c.upper()) for c in name))
)


def _ascii_lower(name: str) -> str:
    return name.translate(_UPPER)


class PositionMap:
    """Lazy start-tag positions for one document."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._tags: dict[str, list[tuple[int, int]]] | None = None  # name -> [(start, end)]
        self._line_starts: list[int] | None = None
        self._lf_starts: list[int] | None = None
        self._ordinal: dict[str, dict[Any, int]] = {}
        self._cache: dict[Any, tuple[int, int, int]] = {}
        self._span: dict[Any, tuple[int, int]] = {}

    # -- scanning -------------------------------------------------------------------------
    def _scan(self) -> dict[str, list[tuple[int, int]]]:
        """Every start tag as the HTML tokenizer sees it: name -> [(offset of "<", offset after ">")].

        The loop body runs once per start tag and does as little as it can: tags are grouped
        under the name as written, and names are lower-cased per distinct spelling afterwards."""
        text = self.text
        found: defaultdict[str, list[tuple[int, int]]] = defaultdict(list)
        last = None  # the last start tag seen: one cut off by the end of the text is no tag
        pos = 0
        while pos >= 0:
            restart = -1
            for m in _START_TAG.finditer(text, pos):
                name = m["name"]
                if name is None:
                    continue  # the end of the text, or a match that only skipped tokens
                last = m
                found[name].append(m.span("tag"))
                if name in _RAW_SPELLINGS and not m["sep"].endswith("/"):  # <script/>: closed at once
                    # Raw text: go on after it (from its end tag), or stop (plaintext, no end tag).
                    lower = _ascii_lower(name)
                    if lower != "plaintext":
                        restart = _script_end(text, m.end()) if lower == "script" else _raw_end(lower, text, m.end())
                    break
            pos = restart
        if last is not None and last["close"] is None:
            found[last["name"]].pop()  # EOF inside the tag: the tokenizer drops it
        tags: dict[str, list[tuple[int, int]]] = {}
        for name, spans in found.items():
            if not spans:
                continue
            key = name.lower() if name.isascii() else _ascii_lower(name)
            key = key.replace("\x00", "\ufffd")
            if key in tags:  # one name spelt several ways ("DIV", "div"): back to source order
                tags[key] = sorted(tags[key] + spans)
            else:
                tags[key] = spans
        return tags

    def _lf_starts_list(self) -> list[int]:
        if self._lf_starts is None:
            # Offsets where each LF-separated line starts, without a Python-level loop per line.
            starts = [0]
            starts += map(_MATCH_END, _LF.finditer(self.text))
            self._lf_starts = starts
        return self._lf_starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset; CR LF, LF and CR each end a line."""
        if self._line_starts is None:
            text = self.text
            if "\r" not in text or text.count("\r") == text.count("\r\n"):  # no bare CR: as LF lines
                self._line_starts = self._lf_starts_list()
            else:
                starts = [0]
                starts += map(_MATCH_END, _LINE_BREAK.finditer(text))
                self._line_starts = starts
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def line_for_lf_line(self, lf_line: int) -> int:
        """Convert a libxml2 line number (LF only) to an editor line number."""
        if "\r" not in self.text:
            return lf_line
        starts = self._lf_starts_list()
        idx = min(max(lf_line, 1), len(starts)) - 1
        return self.line_col(starts[idx])[0]

    # -- matching -------------------------------------------------------------------------
    def _attr_names(self, span: tuple[int, int], name_len: int) -> set[str]:
        body = self.text[span[0] + 1 + name_len : span[1]]
        # Lower-casing the whole body first changes no attribute boundary (the grammar has no letters).
        return set(_ATTR_NAME.findall(body.lower() if body.isascii() else _ascii_lower(body)))

    def _align(self, el: _Element, name: str) -> dict[Any, int]:
        """Match every element named ``name`` to a start tag, in one monotone pass.

        Elements (document order) and tags (source order) are walked together. A tag that ends
        on a line before the element's ``sourceline`` produced no element (the parser dropped it)
        and is skipped; an element with no tag ending on its line was implied by the parser (-1).
        Among several tags on that line the first whose attribute names all appear on the
        element is taken (a dropped tag on a minified line then does not shift the rest).
        Past line 65535, where libxml2's line numbers saturate, order alone decides.
        """
        table = self._ordinal.get(name)
        if table is not None:
            return table
        assert self._tags is not None
        cands = self._tags.get(name, [])
        # LF line of each tag's ">" (the last character before its end), one C-level bisect each.
        ends = list(map(bisect.bisect_left, repeat(self._lf_starts_list()), map(itemgetter(1), cands)))
        root = el.getroottree().getroot()
        tops = [root, *[s for s in root.itersiblings() if isinstance(s.tag, str)]]
        table = {}
        j, n = 0, len(cands)
        for top in tops:
            for e in top.iter(name):
                line = e.sourceline or 0
                pick = -1
                if 0 < line < 65535:
                    while j < n and ends[j] < line:
                        j += 1
                    if j < n and ends[j] == line:
                        pick = j
                        if j + 1 < n and ends[j + 1] == line:
                            keys = set(e.keys())  # the HTML parser lower-cases attribute names
                            i = j
                            while i < n and ends[i] == line:
                                if self._attr_names(cands[i], len(name)) <= keys:
                                    pick = i
                                    break
                                i += 1
                elif j < n:
                    pick = j
                table[e] = pick
                if pick >= 0:
                    j = pick + 1
        self._ordinal[name] = table
        return table

    def locate(self, el: _Element) -> tuple[int, int, int]:
        """(line, column, offset) of the element's start tag; offset is -1 when implied."""
        hit = self._cache.get(el)
        if hit is not None:
            return hit
        if self._tags is None:
            self._tags = self._scan()
        name = el.tag if isinstance(el.tag, str) else ""
        pick = self._align(el, name).get(el, -1) if name in self._tags else -1
        if pick >= 0:
            span = self._tags[name][pick]
            self._span[el] = span
            line, col = self.line_col(span[0])
            result = (line, col, span[0])
        else:
            src_line = el.sourceline or 0
            result = (self.line_for_lf_line(src_line) if src_line else 1, 1, -1)
        self._cache[el] = result
        return result

    def start_tag_text(self, el: _Element) -> str | None:
        """The start tag exactly as written in the source, when it was found."""
        self.locate(el)
        span = self._span.get(el)
        return None if span is None else self.text[span[0] : span[1]]
