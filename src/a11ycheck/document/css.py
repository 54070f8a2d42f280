"""Which elements a browser would not render, from author CSS, without a browser.

:func:`compute_styles` reads a document's embedded ``<style>`` elements, its local linked
stylesheets (``<link rel=stylesheet>``, plus local ``@import``) and inline ``style``
attributes, runs a reduced CSS cascade for exactly two properties, ``display`` and
``visibility``, and reports

* ``display_none``: elements whose own computed ``display`` is ``none``;
* ``visibility``: elements for which the cascade gives a specified ``visibility``
  (``hidden``/``collapse``/``visible``); ``inherit``/``unset``/``revert`` winners are left
  out so the caller inherits from the parent;
* ``notes``: one human-readable note per stylesheet that was skipped and why.

Viewport policy (:class:`ViewportPolicy`)
-----------------------------------------
The checker judges the page as a **desktop screen browser with scripting off**:

* media type ``screen`` (``@media print`` and ``<style media=print>`` do not apply);
* viewport 1280x800 CSS px (landscape), 1 device pixel per CSS px, ``1em``/``1rem`` = 16px
  in media queries, colour screen with 8 bits per channel;
* ``hover: hover`` and ``pointer: fine`` (also ``any-hover``/``any-pointer``);
* user preferences: ``prefers-reduced-motion: no-preference``, ``prefers-color-scheme:
  light``, ``prefers-contrast: no-preference``, ``forced-colors: none``,
  ``inverted-colors: none``; ``scripting: none``; ``display-mode: browser``;
* a media feature this module does not know (``-ms-high-contrast``, ``-webkit-transform-3d``
  ...) makes its media query false, so the block does **not** apply; a malformed media
  query is false too (as in browsers: it becomes ``not all``);
* ``@supports`` is assumed true (a modern Chromium), except that ``not`` is evaluated and
  a declaration test of a ``-ms-``/``-moz-``/``-o-`` prefixed property is false;
* ``<style>`` inside ``<noscript>`` applies (scripting off, like a browser with JS
  disabled and like the corpus captures); ``(scripting: none)`` matches;
* ``@container``, ``@scope``, ``@starting-style`` and ``@document`` blocks do not apply
  (container sizes and scoping roots are not modelled); ``@font-face``, ``@keyframes``,
  ``@page``, ``@counter-style``, ``@property`` and other at-rules are ignored.

Cascade model
-------------
Only the author origin is modelled: user-agent styles are not, so ``[hidden]`` (UA
``display:none``), ``<template>``, ``<head>`` etc. are the document model's business; an
author ``display:block`` on a ``[hidden]`` element is *not* seen as re-showing it here.
Winner order: ``!important`` beats normal; then the inline ``style`` attribute beats
stylesheet rules (at equal importance, so a stylesheet ``!important`` beats a normal
inline declaration and an inline ``!important`` beats everything); then cascade layers
(``@layer`` blocks and statements, ``@import ... layer(x)``; unlayered rules beat layered
ones for normal declarations and lose to them for ``!important``; layer order is the
order of first appearance, sub-layers before their parent's own rules); then specificity
(from cssselect: ``:not()``/``:is()``/``:has()`` take their most specific argument,
``:where()`` counts 0); then source order (style sheets in document order, ``<style>`` and
``<link>`` interleaved as they appear, ``@import``-ed rules before the importing sheet's
own rules).  Values: ``display: none`` hides; any other valid ``display`` (including
``contents``, ``initial``, ``unset``, ``revert``) does not; ``display: inherit`` takes the
parent's value (looked at only for elements some ``display: none`` rule also matches:
any other such element has a hidden parent, so the caller hides it anyway).
``revert-layer`` declarations and values using ``var()`` are ignored (custom properties
are not resolved).  Invalid values (``display: nonee``, the IE hack ``display: none\\9``)
are dropped like a browser drops them.  Inline ``style`` attributes are read in any
letter case.  CSS Nesting (style rules inside style rules, ``&``) is supported by textual
expansion of ``&``.  The ``hidden`` and ``aria-hidden`` attributes are not looked at here.

Selectors
---------
Selectors are translated to XPath by ``cssselect.HTMLTranslator`` and compiled once per
selector text per :class:`StylesheetCache` (``lxml.etree.XPath``, evaluated in C).
``HTMLTranslator`` lower-cases element and attribute *names* only; class, id and
attribute *values* are compared case-sensitively, which is what browsers do in
no-quirks mode (quirks-mode pages, whose class/id matching is ASCII case-insensitive, are
treated as no-quirks).  A selector with a pseudo-element (``::before``, legacy
``:after``) never applies to the element itself and is skipped.  Dynamic pseudo-classes
describe the page in a static state: ``:hover``/``:focus``/``:active``/``:visited``/
``:target``/``:focus-within``/``:focus-visible`` never match (the rule is skipped), while
``:not(:hover)`` does match.  ``:checked`` is cssselect's static reading (the ``checked``
/``selected`` attribute), which is what a freshly loaded page shows.  Selectors cssselect
cannot translate (unknown pseudo-classes, ``:not()`` with a selector list ...) are
skipped.  A selector list that is a syntax error, or names a ``-moz-``/``-ms-`` pseudo
that Chromium rejects, drops its whole rule, as browsers do.  Elements inside
``<template>`` are inert: never matched, and ``<style>``/``<link>`` there do not apply.

Stylesheets
-----------
``<style>`` applies when it has no ``type`` or ``type="text/css"`` and its ``media``
matches.  ``<link rel~=stylesheet href>`` (rel tokens compared case-insensitively;
``alternate stylesheet`` and ``disabled`` links skipped; ``media`` honoured) is read only
when a :class:`StylesheetCache` is given: a relative ``href`` resolves against the
directory of ``page_path``, a root-relative one (``/css/site.css``) against
``cache.site_root``; ``?query`` and ``#fragment`` are stripped and ``%xx`` decoded.
``http:``, ``https:``, ``//host``, ``data:`` and other non-file URLs (and every relative
URL under an absolute ``<base href>``) are never fetched: they get a "remote stylesheet
not fetched" note.  Nothing here opens a socket or writes a file.  ``@import`` of local
files (relative to the importing sheet) is followed with its media/``supports()``/
``layer()`` conditions, loop-safe and at most 32 deep.  Files larger than ``max_bytes``
(and ``<style>`` text larger than that) are skipped with a note, as are files that are
not CSS (HTML error pages, binary data).  Any error while parsing or evaluating one
stylesheet or selector skips only that stylesheet or selector; nothing propagates.

Speed
-----
A stylesheet is cut into rules by C-speed regular expressions that honour strings,
comments, escapes, ``url()`` and nested blocks (runs of plain rules are matched whole);
only rules whose block mentions ``display`` or ``visibility`` are kept, their
declarations read by tinycss2 (a value made only of identifiers, like ``none
!important``, by a regular expression).  A sheet where a ``(`` or ``[`` stays open across
a brace (where CSS error recovery differs from brace matching) is parsed by tinycss2 in
full instead, and a sheet wrapped in ``<![CDATA[ ... ]]>`` (one invalid rule to a
browser) applies nothing.  Selectors are analysed lazily: a selector is parsed and
compiled by cssselect only when every class and id it requires occurs in the document.
Matching uses reverse-axis XPath predicates (stopping at the nearest matching ancestor or
sibling), evaluated either over the whole tree or, when a page needs several selectors
keyed the same way, only on the candidate elements carrying the selector's rightmost
class, id or tag (found in one pass over the class/id attributes or one ``iter(*tags)``).
Rules that set ``display`` to something other than ``none`` can only re-show elements
that some ``display: none`` declaration matched, so they are tested only on those
elements.  Parsed ``<style>`` contents are cached by content hash, parsed files by path,
and compiled selectors by text in the :class:`StylesheetCache`.
"""

from __future__ import annotations

import codecs
import hashlib
import itertools
import os
import posixpath
import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union
from urllib.parse import unquote

import tinycss2
from cssselect import HTMLTranslator, SelectorError
from cssselect import parse as _css_parse
from lxml import etree

__all__ = ["CssResult", "StylesheetCache", "ViewportPolicy", "compute_styles"]


# --------------------------------------------------------------------------- public API


@dataclass(frozen=True)
class ViewportPolicy:
    """The rendering context media queries are evaluated against (see the module docstring).

    The default is a desktop screen: at least 1200 CSS px wide (1280x800), landscape,
    hover-capable fine pointer, no user preferences, scripting off.
    """

    width: int = 1280
    height: int = 800
    media_type: str = "screen"


@dataclass
class CssResult:
    """What the author CSS of one document says about rendering."""

    display_none: set = field(default_factory=set)
    """lxml elements whose own computed ``display`` is ``none``."""
    visibility: dict = field(default_factory=dict)
    """lxml element -> ``'hidden'`` | ``'collapse'`` | ``'visible'`` where the cascade gives a
    specified value (``inherit``/``unset``/``revert`` winners omitted: inherit from parent)."""
    notes: list[str] = field(default_factory=list)
    """Stylesheets skipped and why, at most one note per stylesheet."""


# --------------------------------------------------------------------------- constants

_MAX_DEPTH = 32  # nested @media/@supports/@layer/nesting and @import chains
_DISPLAY = 0
_VISIBILITY = 1
# display kinds
_D_NONE = "none"
_D_SHOW = "show"
_D_INHERIT = "inherit"

_DISPLAY_SINGLE = frozenset(
    """contents block inline inline-block flex inline-flex grid inline-grid table
    inline-table table-row-group table-header-group table-footer-group table-row
    table-cell table-column-group table-column table-caption list-item flow-root run-in
    ruby ruby-base ruby-text ruby-base-container ruby-text-container math flow
    -webkit-box -webkit-inline-box -webkit-flex -webkit-inline-flex
    initial unset revert""".split()
)
_DISPLAY_MULTI = frozenset("block inline run-in flow flow-root table flex grid ruby list-item math".split())
_VISIBILITY_VALUES = {
    "hidden": "hidden",
    "collapse": "collapse",
    "visible": "visible",
    "initial": "visible",
    "inherit": _D_INHERIT,
    "unset": _D_INHERIT,
    "revert": _D_INHERIT,  # UA sets no visibility: reverting means inheriting
}

# Tokens of the rule-list scanner: braces, ';', whole comments, whole strings (a bad string
# ends at a newline), escapes, and whole unquoted url() tokens (which may contain braces).
_STR_COMMENT = (
    r"/\*[\s\S]*?(?:\*/|\Z)"
    r"|\"(?:[^\"\\\n]|\\[\s\S])*(?:\"|(?=\n)|\Z)"
    r"|'(?:[^'\\\n]|\\[\s\S])*(?:'|(?=\n)|\Z)"
    r"|\\[\s\S]?"
    r"|[uU][rR][lL]\(\s*(?:[^\s\"'()\\]|\\[\s\S])*\s*\)"
)
_STRINGS_COMMENTS = re.compile(
    r"/\*[\s\S]*?(?:\*/|\Z)|\"(?:[^\"\\\n]|\\[\s\S])*(?:\"|(?=\n)|\Z)|'(?:[^'\\\n]|\\[\s\S])*(?:'|(?=\n)|\Z)"
)
_LIST_TOKEN = re.compile(r"(?=[{};/\"'\\uU])(?:[{};]|" + _STR_COMMENT + ")")
_BLOCK_TOKEN = re.compile(r"(?=[{}/\"'\\uU])(?:[{}]|" + _STR_COMMENT + ")")
# A run of consecutive plain style rules (no at-rule, comment, string, escape or url(): the
# only braces are the rules' own), matched in one go; _PLAIN_BLOCK is one such block's body.
_PLAIN_BLOCK = r"[^{}\"'\\/uU]*(?:(?:/(?!\*)|[uU](?![rR][lL]\())[^{}\"'\\/uU]*)*"
_RUN = re.compile(r"(?:[^{};/\"'\\@]*\{" + _PLAIN_BLOCK + r"\})+")
_LEADING_WS = re.compile(r"(?:\s+|/\*[\s\S]*?(?:\*/|\Z))*")
_BLOCK_SPECIAL = re.compile(r"[{\"'\\]|/\*|[uU][rR][lL]\(")
_RELEVANT = re.compile(r"(?i:display|visibility)")
# The same test by plain substring search (much faster than a case-insensitive regex):
# 'display'/'Display'/'DISPLAY' and the same for 'visibility'.
_RELEVANT_NEEDLES = ("isplay", "isibility", "ISPLAY", "ISIBILITY")
_LEADING_JUNK = re.compile(r"(?:\s+|/\*[\s\S]*?(?:\*/|\Z)|<!--|-->)*")
_AT_NAME = re.compile(r"@(-?(?:[\w-]|\\.)+)")
_COMMENT = re.compile(r"/\*[\s\S]*?(?:\*/|\Z)")

# Conditional group rules whose contents may apply; every other at-rule block (@container,
# @scope, @starting-style, @document, @font-face, @keyframes, @page ...) is skipped.
_GROUP_AT_RULES = frozenset(("media", "supports", "layer"))

# Selector analysis (on the text, before any cssselect work).
_PARENS = re.compile(r"\([^()]*\)")
_BRACKETS = re.compile(r"\[[^\[\]]*\]")
_STRINGS = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")
_IDENT_CHARS = r"(?:[\w-]|\\[0-9a-fA-F]{1,6}[ \t\n\r\f]?|\\[^\n\r\f0-9a-fA-F]|[^\x00-\x7f])+"
_CLASS_OR_ID = re.compile(r"(?<!\\)([.#])(" + _IDENT_CHARS + ")")
_PSEUDO_ELEMENT = re.compile(
    r"(?<!\\)::|(?<!\\):(?:before|after|first-line|first-letter)\b", re.IGNORECASE
)
_DYNAMIC_PSEUDO = re.compile(
    r"(?<!\\):(?:hover|active|focus|focus-within|focus-visible|visited|target|target-within)(?![\w-])",
    re.IGNORECASE,
)
_CHROMIUM_INVALID_PSEUDO = re.compile(r"(?<!\\)::?-(?:moz|ms|o)-", re.IGNORECASE)
_LAST_COMPOUND = re.compile(r"[^\s>+~]*\Z")
_TAG = re.compile(r"[A-Za-z][\w-]*")
_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|([\s\S]))")

_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")

_TRANSLATOR = HTMLTranslator()
_ANON = itertools.count()  # names of anonymous cascade layers

_parse_blocks = getattr(tinycss2, "parse_blocks_contents", None)


def _parse_declarations(text: str) -> list:
    if _parse_blocks is not None:
        return _parse_blocks(text, skip_comments=True, skip_whitespace=True)
    return tinycss2.parse_declaration_list(text, skip_comments=True, skip_whitespace=True)


_FAST_DECL = re.compile(r"(?:^|;)\s*((?i:display|visibility))\s*:([^;]*)")


def _blank_string_or_comment(m: re.Match) -> str:
    return " " if m.group().startswith("/*") else " \x01 "


def _simple_declarations(block: str) -> list | None:
    """The display/visibility declarations of a block without nested blocks or escapes
    (strings and comments blanked out first), found by a regular expression and each
    parsed by tinycss2 on its own; None when the block needs the full tinycss2 parse."""
    if "{" in block:
        return None
    if '"' in block or "'" in block or "/*" in block:
        # No ';' inside them can split a declaration now. A string left in a display or
        # visibility value makes it invalid, and so does the \x01 put in its place.
        block = _STRINGS_COMMENTS.sub(_blank_string_or_comment, block)
    if "\\" in block:
        return None
    out: list = []
    for m in _FAST_DECL.finditer(block):
        value = m.group(2)
        if "(" in value:
            return None
        plain = _PLAIN_VALUE.fullmatch(value)
        if plain is not None:  # 'ident [ident...] [!important]': no need for the tokenizer
            out.append(_PlainDeclaration(m.group(1).lower(), plain.group(1).split(), plain.group(2) is not None))
            continue
        d = tinycss2.parse_one_declaration(f"{m.group(1)}:{value}", skip_comments=True)
        if d.type == "declaration":
            out.append(d)
    return out


_PLAIN_VALUE = re.compile(r"\s*(-?[A-Za-z_][\w-]*(?:\s+-?[A-Za-z_][\w-]*)*)\s*(!\s*(?i:important)\s*)?", re.ASCII)


class _PlainDeclaration:
    """A declaration whose value is only ASCII identifiers (read without tinycss2)."""

    __slots__ = ("lower_name", "idents", "important")
    type = "declaration"

    def __init__(self, lower_name: str, idents: list[str], important: bool) -> None:
        self.lower_name = lower_name
        self.idents = idents
        self.important = important




_BRACKET = re.compile(r"\\[\s\S]|[()\[\]{}]")


def _unbalanced(text: str) -> bool:
    """Is a '(' or '[' (outside strings and comments) still open where a '{' or '}' comes?
    Then CSS nests that brace inside the bracket, unlike the fast scanner."""
    if text.count("(") == text.count(")") and text.count("[") == text.count("]"):
        # Cheap, and right unless a pair spans braces, as in '( .a{...} )': only seen in
        # sheets wrapped in <![CDATA[ ]]>, which are handled on their own.
        return False
    stack: list[str] = []
    pairs = {")": "(", "]": "[", "}": "{"}
    for m in _BRACKET.finditer(_STRINGS_COMMENTS.sub(" ", text)):
        c = m.group()
        if c in "([{":
            if c == "{" and stack and stack[-1] != "{":
                return True
            stack.append(c)
        elif c in pairs:
            if c == "}" and stack and stack[-1] != "{":
                return True
            if stack and stack[-1] == pairs[c]:
                stack.pop()
    return False


def _skip(pattern: re.Pattern, text: str, pos: int = 0, end: int | None = None) -> int:
    """End of a (possibly empty) match of an always-matching pattern at pos."""
    m = pattern.match(text, pos) if end is None else pattern.match(text, pos, end)
    return m.end() if m is not None else pos


def _unescape(ident: str) -> str:
    if "\\" not in ident:
        return ident

    def repl(m: re.Match) -> str:
        if m.group(1):
            cp = int(m.group(1), 16)
            if cp == 0 or cp > 0x10FFFF or 0xD800 <= cp <= 0xDFFF:
                return "\ufffd"
            return chr(cp)
        return m.group(2)

    return _ESCAPE.sub(repl, ident)


# --------------------------------------------------------------------------- selectors


class _Selector:
    """One complex selector (text), analysed cheaply; parsed and compiled on first need."""

    __slots__ = ("text", "skip", "classes", "ids", "key", "state", "xpath", "batch", "spec")

    def __init__(self, text: str) -> None:
        self.text = text
        self.skip = False
        self.classes: tuple[str, ...] = ()
        self.ids: tuple[str, ...] = ()
        # rightmost compound's key: ('i', id) | ('c', class) | ('t', tag) | None (any element)
        self.key: tuple[str, str] | None = None
        self.state = 0  # 0 not compiled, 1 usable, -1 unusable
        self.xpath: etree.XPath | None = None  # forward: all matches under a root
        self.batch: etree.XPath | None = None  # $n[...]: the matching ones among candidates $n
        self.spec: tuple[int, int, int] = (0, 0, 0)
        self._analyse()

    def _analyse(self) -> None:
        t = self.text
        if '"' in t or "'" in t:
            t = _STRINGS.sub("", t)
        for _ in range(_MAX_DEPTH):  # blank out (...) and [...] contents, innermost first
            if "(" not in t and "[" not in t:
                break
            t2 = _BRACKETS.sub("\x02", _PARENS.sub("\x01", t))
            if t2 == t:
                break
            t = t2
        if ":" in t and (_PSEUDO_ELEMENT.search(t) or _DYNAMIC_PSEUDO.search(t)):
            self.skip = True
            return
        t = t.strip()
        # escaped characters ('\\+', '\\31 ') are never combinators: mask them, same length
        masked = _ESCAPE.sub(lambda m: "_" * len(m.group()), t) if "\\" in t else t
        last = _LAST_COMPOUND.search(masked)
        last_start = last.start() if last is not None else len(t)
        classes: list[str] = []
        ids: list[str] = []
        key: tuple[str, str] | None = None
        if "." in t or "#" in t:
            for m in _CLASS_OR_ID.finditer(t):
                name = m.group(2)
                if "\\" in name:
                    name = _unescape(name)
                if m.group(1) == ".":
                    classes.append(name)
                    if key is None and m.start() >= last_start:
                        key = ("c", name)
                else:
                    ids.append(name)
                    if m.start() >= last_start and (key is None or key[0] != "i"):
                        key = ("i", name)
        self.classes = tuple(classes)
        self.ids = tuple(ids)
        if key is None:
            m2 = _TAG.match(t, last_start)
            if m2 is not None and "|" not in t[last_start:]:
                key = ("t", m2.group(0).lower())
        self.key = key

    def compile(self) -> bool:
        """Parse and compile on first need; False if the selector can never apply."""
        if self.state:
            return self.state > 0
        self.state = -1
        if self.skip:
            return False
        try:
            parsed = _css_parse(self.text)
            if len(parsed) != 1 or parsed[0].pseudo_element is not None:
                return False
            sel = parsed[0]
            self.spec = sel.specificity()
            cond = _match_condition(sel.parsed_tree)
            if cond is None:
                # cssselect's own (forward) translation; no per-candidate test possible
                self.xpath = etree.XPath(_TRANSLATOR.selector_to_xpath(sel, prefix="descendant-or-self::"))
            else:
                self.xpath = etree.XPath(f"descendant-or-self::*[{cond}]" if cond else "descendant-or-self::*")
                self.batch = etree.XPath(f"$n[{cond}]" if cond else "$n")
        except Exception:  # SelectorError, XPath syntax, anything odd: this selector is unknown
            self.xpath = self.batch = None
            return False
        self.state = 1
        return True


# Reverse axes for combinators. "[1]" after the test (nearest such ancestor/sibling) lets
# libxml2 stop at the first hit: without it '.a .b .c' is quadratic in the tree depth.
_REVERSE_AXIS = {" ": ("ancestor::*", "[1]"), ">": ("parent::*", ""), "+": ("preceding-sibling::*[1]", ""),
                 "~": ("preceding-sibling::*", "[1]")}


def _compound_condition(tree: Any) -> str:
    x = _TRANSLATOR.xpath(tree)
    if x.path:
        raise ValueError("not a compound selector")
    x.add_name_test()
    return x.condition


def _match_condition(tree: Any) -> str | None:
    """An XPath predicate that holds for the context element iff it matches the selector
    (reverse axes for combinators), so it can test given candidates; None if not built."""
    if not hasattr(tree, "subselector") or type(tree).__name__ != "CombinedSelector":
        return _compound_condition(tree)
    chain: list[tuple[str, Any]] = []
    node = tree
    while type(node).__name__ == "CombinedSelector":
        chain.append((node.combinator, node.subselector))
        node = node.selector
        if len(chain) > 64:
            return None
    expr = _compound_condition(node)
    for combinator, sub in reversed(chain):
        axis = _REVERSE_AXIS.get(combinator)
        if axis is None:
            return None
        step = f"{axis[0]}[{expr}]{axis[1]}" if expr else f"{axis[0]}{axis[1]}"
        cond = _compound_condition(sub)
        expr = f"({cond}) and {step}" if cond else step
    return expr


def _split_selector_list(prelude: str) -> list[str] | None:
    """Split a selector list at top-level commas; None if a member is empty (invalid list)."""
    if "/*" in prelude:
        prelude = _COMMENT.sub("", prelude)  # a comment is not whitespace: div/**/.a is div.a
    if not any(c in prelude for c in "([\"'\\"):
        parts = prelude.split(",")
    else:
        parts = []
        depth = 0
        start = 0
        i = 0
        n = len(prelude)
        quote = ""
        while i < n:
            c = prelude[i]
            if quote:
                if c == "\\":
                    i += 1
                elif c == quote:
                    quote = ""
            elif c == "\\":
                i += 1
            elif c in "\"'":
                quote = c
            elif c in "([":
                depth += 1
            elif c in ")]":
                depth = max(0, depth - 1)
            elif c == "," and depth == 0:
                parts.append(prelude[start:i])
                start = i + 1
            i += 1
        parts.append(prelude[start:])
    out = [p.strip() for p in parts]
    if not out or any(not p for p in out):
        return None
    return out


# --------------------------------------------------------------------------- parsed sheets


class _Rule:
    """A style rule reduced to its display/visibility declarations."""

    __slots__ = ("prelude", "selectors", "media", "layer", "valid", "decls")

    def __init__(self, prelude: str, selectors: tuple[_Selector, ...], media: tuple[str, ...],
                 layer: tuple[str, ...], decls: tuple[tuple[int, str, bool], ...]) -> None:
        self.prelude = prelude
        self.selectors = selectors
        self.media = media  # media query lists that must all match
        self.layer = layer  # () = unlayered
        self.valid: bool | None = None  # selector list validity, decided on first need
        self.decls = decls  # (property, kind, important)

    def is_valid(self) -> bool:
        v = self.valid
        if v is None:
            v = True
            if _CHROMIUM_INVALID_PSEUDO.search(self.prelude):
                v = False
            elif len(self.selectors) > 1:
                try:
                    _css_parse(self.prelude)
                except SelectorError:
                    v = False
                except Exception:  # cssselect failing otherwise: judge per selector
                    v = True
            self.valid = v
        return v


class _Import:
    __slots__ = ("href", "media", "layer", "supported")

    def __init__(self, href: str, media: str | None, layer: tuple[str, ...] | None, supported: bool) -> None:
        self.href = href
        self.media = media
        self.layer = layer
        self.supported = supported


class _Sheet:
    """A parsed stylesheet, shared by every page that uses it (policy-independent)."""

    __slots__ = ("label", "base", "header", "rules", "layers", "note", "errors",
                 "_index", "_show_index")

    def __init__(self, label: str, base: Path | None) -> None:
        self.label = label
        self.base = base  # directory for relative @import, None for inline <style>
        self.header: list[Union[_Import, tuple[str, ...]]] = []  # imports and layer statements
        self.rules: list[_Rule] = []
        self.layers: list[tuple[str, ...]] = []  # layer paths in order of first appearance
        self.note: str | None = None  # why (part of) the sheet was not usable
        self.errors = 0
        self._index: tuple[dict, dict, list, int] | None = None
        self._show_index: tuple[dict, list] | None = None

    def hide_index(self) -> tuple[dict, dict, list, int]:
        """Entries that can hide (display none, any visibility), bucketed by one required
        class (first dict) or id (second dict), so a page only looks at buckets whose token
        it contains; then the entries that require none, and the number of entries."""
        if self._index is None:
            cbuckets: dict[str, list] = {}
            ibuckets: dict[str, list] = {}
            always: list = []
            n = 0
            for idx, rule in enumerate(self.rules):
                for prop, kind, important in rule.decls:
                    if prop == _DISPLAY and kind != _D_NONE:
                        continue
                    for sel in rule.selectors:
                        if sel.skip:
                            continue
                        entry = (sel, idx, rule, prop, kind, important)
                        n += 1
                        if sel.ids:
                            ibuckets.setdefault(sel.ids[-1], []).append(entry)
                        elif sel.classes:
                            cbuckets.setdefault(sel.classes[-1], []).append(entry)
                        else:
                            always.append(entry)
            self._index = (cbuckets, ibuckets, always, n)
        return self._index

    def show_index(self) -> tuple[dict, list]:
        """Entries with display other than none, bucketed by the rightmost compound's key."""
        if self._show_index is None:
            buckets: dict[tuple[str, str], list] = {}
            always: list = []
            for idx, rule in enumerate(self.rules):
                for prop, kind, important in rule.decls:
                    if prop != _DISPLAY or kind == _D_NONE:
                        continue
                    for sel in rule.selectors:
                        if sel.skip:
                            continue
                        entry = (sel, idx, rule, prop, kind, important)
                        if sel.key is None:
                            always.append(entry)
                        else:
                            buckets.setdefault(sel.key, []).append(entry)
            self._show_index = (buckets, always)
        return self._show_index


def _classify(prop: int, value: list) -> str | None:
    """Classify a declaration value; None when invalid or not understood (dropped)."""
    idents: list[str] = []
    for tok in value:
        t = tok.type
        if t in ("whitespace", "comment"):
            continue
        if t != "ident":
            return None
        idents.append(tok.lower_value)
    return _classify_idents(prop, idents)


def _classify_idents(prop: int, idents: list[str]) -> str | None:
    if not idents:
        return None
    if prop == _VISIBILITY:
        if len(idents) != 1:
            return None
        return _VISIBILITY_VALUES.get(idents[0])
    if len(idents) == 1:
        v = idents[0]
        if v == "none":
            return _D_NONE
        if v == "inherit":
            return _D_INHERIT
        if v in _DISPLAY_SINGLE:
            return _D_SHOW
        return None
    if len(idents) <= 3 and all(v in _DISPLAY_MULTI for v in idents) and len(set(idents)) == len(idents):
        return _D_SHOW
    return None


def _reduce_declarations(decls: Iterable[Any]) -> tuple[tuple[int, str, bool], ...]:
    """display/visibility declarations of one block, last valid one per (property, importance)."""
    found: dict[tuple[int, bool], str] = {}
    for d in decls:
        if d.type != "declaration":
            continue
        name = d.lower_name
        if name == "display":
            prop = _DISPLAY
        elif name == "visibility":
            prop = _VISIBILITY
        else:
            continue
        if isinstance(d, _PlainDeclaration):
            kind = _classify_idents(prop, [v.lower() for v in d.idents])
        else:
            kind = _classify(prop, d.value)
        if kind is not None:
            found[(prop, bool(d.important))] = kind
    return tuple((p, k, imp) for (p, imp), k in found.items())


class _Finder:
    """Next position of any of _RELEVANT_NEEDLES at or after a position, remembering each
    needle's last hit so that a forward scan costs one pass per needle overall."""

    __slots__ = ("text", "hits")

    def __init__(self, text: str) -> None:
        self.text = text
        self.hits = [(-1, -1)] * len(_RELEVANT_NEEDLES)  # (searched from, found at or -1)

    def relevant(self, start: int, end: int) -> int:
        """Index of the first relevant word in text[start:end] (roughly), or -1."""
        best = -1
        hits = self.hits
        for k, needle in enumerate(_RELEVANT_NEEDLES):
            frm, at = hits[k]
            if not (frm <= start and (at >= start or at < 0) and frm >= 0):
                at = self.text.find(needle, start)
                hits[k] = (start, at)
            if 0 <= at < end and (best < 0 or at < best):
                best = at
        return best


class _SheetParser:
    """Cuts a stylesheet into rules (regex scanner) and keeps only display/visibility rules."""

    def __init__(self, sheet: _Sheet, text: str, cache: StylesheetCache) -> None:
        self.sheet = sheet
        self.text = text
        self.cache = cache
        self.seen_rule = False  # an @import after any other rule is invalid
        self.finder = _Finder(text)

    def parse(self) -> None:
        self._scan_list(0, 0, (), (), top=True)

    def parse_slow(self) -> None:
        """Full tinycss2 parse (exact CSS Syntax error recovery), for odd sheets."""
        nodes = tinycss2.parse_stylesheet(self.text, skip_comments=True, skip_whitespace=True)
        self._walk(nodes, (), (), 0, True)

    def _walk(self, nodes: Iterable[Any], media: tuple[str, ...], layer: tuple[str, ...], depth: int,
              top: bool) -> None:
        for node in nodes:
            t = node.type
            if t == "error":
                self.sheet.errors += 1
            elif t == "qualified-rule":
                self.seen_rule = True
                if _RELEVANT.search(tinycss2.serialize(node.content)) is not None:
                    prelude = tinycss2.serialize(node.prelude)
                    items = _parse_blocks(node.content, skip_comments=True, skip_whitespace=True) \
                        if _parse_blocks is not None else \
                        tinycss2.parse_declaration_list(node.content, skip_comments=True, skip_whitespace=True)
                    self._add_rule(prelude, items, media, layer, depth)
            elif t == "at-rule":
                text = "@" + node.at_keyword + tinycss2.serialize(node.prelude)
                if node.content is None:
                    self._at_statement(text, media, layer, top)
                    continue
                self.seen_rule = True
                if depth >= _MAX_DEPTH:
                    continue
                group = self._group(node.lower_at_keyword, tinycss2.serialize(node.prelude), media, layer)
                if group is not None:
                    children = tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True)
                    self._walk(children, group[0], group[1], depth + 1, False)

    def _group(self, name: str, rest: str, media: tuple[str, ...], layer: tuple[str, ...]
               ) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """(media, layer) inside a conditional group rule, or None when its rules do not apply."""
        if name == "media":
            cond = rest.strip()
            if "/*" in cond:
                cond = _COMMENT.sub(" ", cond).strip()
            return (media + (cond,) if cond else media), layer
        if name == "supports":
            toks = tinycss2.parse_component_value_list(rest, skip_comments=True)
            return (media, layer) if _supports_matches(toks) else None
        if name == "layer":
            names = self._layer_names(tinycss2.parse_component_value_list(rest, skip_comments=True))
            if names is None or len(names) > 1:
                return None
            if names:
                sub = layer + names[0]
            else:
                sub = layer + (f"\x00anon-{next(_ANON)}",)
            for i in range(len(layer) + 1, len(sub) + 1):
                self._register_layer(sub[:i])
            return media, sub
        return None

    # -- helpers
    def _skip_block(self, pos: int) -> tuple[int, int]:
        """From just after '{', return (index of the matching '}', index after it)."""
        text = self.text
        j = text.find("}", pos)
        if j < 0:
            j = len(text)
            if _BLOCK_SPECIAL.search(text, pos, j) is None:
                return j, j
        elif _BLOCK_SPECIAL.search(text, pos, j) is None:
            return j, j + 1
        depth = 1
        search = _BLOCK_TOKEN.search
        while True:
            m = search(text, pos)
            if m is None:
                n = len(text)
                return n, n
            c = text[m.start()]
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    return m.start(), m.end()
            pos = m.end()

    def _register_layer(self, path: tuple[str, ...]) -> None:
        if path and path not in self.sheet.layers:
            self.sheet.layers.append(path)

    def _layer_names(self, prelude_tokens: list) -> list[tuple[str, ...]] | None:
        """Names in '@layer a.b, c' (None if malformed)."""
        names: list[tuple[str, ...]] = []
        cur: list[str] = []
        expect_ident = True
        for tok in prelude_tokens:
            if tok.type in ("whitespace", "comment"):
                continue
            if tok.type == "ident" and expect_ident:
                cur.append(tok.value)
                expect_ident = False
            elif tok.type == "literal" and tok.value == "." and not expect_ident and cur:
                expect_ident = True
            elif tok.type == "literal" and tok.value == "," and not expect_ident and cur:
                names.append(tuple(cur))
                cur = []
                expect_ident = True
            else:
                return None
        if cur and not expect_ident:
            names.append(tuple(cur))
        elif cur or names:
            return None
        return names

    # -- the scanner
    def _scan_list(self, pos: int, depth: int, media: tuple[str, ...], layer: tuple[str, ...],
                   top: bool = False) -> int:
        """Scan a rule list from pos until its closing '}' (or the end); return the index after."""
        text = self.text
        n = len(text)
        search = _LIST_TOKEN.search
        prelude_start = pos
        lead_re = _LEADING_JUNK if top else _LEADING_WS
        run_re = _RUN.match
        while True:
            if pos == prelude_start:
                j = _skip(lead_re, text, pos)
                r = run_re(text, j)
                if r is not None:
                    self.seen_rule = True
                    self._run(j, r.end(), media, layer, depth, top)
                    pos = prelude_start = r.end()
                    continue
            m = search(text, pos)
            if m is None:
                return n
            start = m.start()
            c = text[start]
            if c == "{":
                prelude = text[prelude_start:start]
                lead = _skip(lead_re, prelude)
                if lead:
                    prelude = prelude[lead:]
                if prelude.startswith("@"):
                    pos = self._at_block(prelude, m.end(), depth, media, layer)
                else:
                    bstart = m.end()
                    bend, pos = self._skip_block(bstart)
                    self.seen_rule = True
                    if self.finder.relevant(bstart, bend) >= 0:
                        self._style_rule(prelude, text[bstart:bend], media, layer, depth)
                prelude_start = pos
            elif c == ";":
                prelude = text[prelude_start:start]
                lead = _skip(lead_re, prelude)
                if prelude.startswith("@", lead):
                    self._at_statement(prelude[lead:], media, layer, top)
                    prelude_start = m.end()
                pos = m.end()
            elif c == "}":
                if not top:
                    return m.end()
                # A stray '}' at the top level: part of the next rule's prelude, which is
                # then an invalid selector (the browser drops that rule too).
                self.sheet.errors += 1
                pos = m.end()
            else:
                pos = m.end()
                if c == "/" and not text.startswith("*/", pos - 2) and pos >= n:
                    self.sheet.errors += 1  # unterminated comment

    def _run(self, start: int, end: int, media: tuple[str, ...], layer: tuple[str, ...], depth: int,
             top: bool) -> None:
        """Plain rules in text[start:end]: only those whose block mentions display/visibility."""
        text = self.text
        relevant = self.finder.relevant
        pos = start
        while True:
            hs = relevant(pos, end)
            if hs < 0:
                return
            rs = max(text.rfind("}", start, hs) + 1, start)
            bo = text.find("{", rs, end)
            be = text.find("}", bo, end)
            if bo < 0 or be < 0:  # cannot happen in a run
                return
            if hs > bo or relevant(bo + 1, be) >= 0:
                # leading CDO/CDC (top level only), whitespace and comments are not prelude
                lead = _skip(_LEADING_JUNK if top else _LEADING_WS, text, rs, bo)
                self._style_rule(text[lead:bo], text[bo + 1:be], media, layer, depth)
            pos = be + 1

    def _at_statement(self, prelude: str, media: tuple[str, ...], layer: tuple[str, ...], top: bool) -> None:
        m = _AT_NAME.match(prelude)
        if m is None:
            return
        name = _unescape(m.group(1)).lower()
        rest = prelude[m.end():]
        if name == "layer":
            names = self._layer_names(tinycss2.parse_component_value_list(rest, skip_comments=True))
            if names:
                for nm in names:
                    path = layer + nm
                    for i in range(len(layer) + 1, len(path) + 1):
                        self._register_layer(path[:i])
                    if top and not self.seen_rule:
                        self.sheet.header.append(path)
            return
        if name == "import":
            if not top or self.seen_rule:
                return  # invalid position: ignored by browsers
            imp = self._parse_import(rest)
            if imp is not None:
                self.sheet.header.append(imp)
            return
        if name in ("charset", "namespace"):
            return
        self.seen_rule = True

    def _parse_import(self, rest: str) -> _Import | None:
        toks = [t for t in tinycss2.parse_component_value_list(rest, skip_comments=True)]
        i = 0
        n = len(toks)
        while i < n and toks[i].type == "whitespace":
            i += 1
        if i >= n:
            return None
        tok = toks[i]
        href: str | None = None
        if tok.type in ("url", "string"):
            href = tok.value
        elif tok.type == "function" and tok.lower_name == "url":
            args = [a for a in tok.arguments if a.type not in ("whitespace", "comment")]
            if len(args) == 1 and args[0].type == "string":
                href = args[0].value
        if href is None:
            return None
        i += 1
        layer: tuple[str, ...] | None = None
        supported = True
        while i < n and toks[i].type == "whitespace":
            i += 1
        if i < n and toks[i].type == "ident" and toks[i].lower_value == "layer":
            layer = (f"\x00anon-import-{next(_ANON)}",)
            i += 1
        elif i < n and toks[i].type == "function" and toks[i].lower_name == "layer":
            names = self._layer_names(toks[i].arguments)
            if not names or len(names) != 1:
                return None
            layer = names[0]
            i += 1
        while i < n and toks[i].type == "whitespace":
            i += 1
        if i < n and toks[i].type == "function" and toks[i].lower_name == "supports":
            supported = _supports_matches(toks[i].arguments)
            i += 1
        media = tinycss2.serialize(toks[i:]).strip() or None
        return _Import(href, media, layer, supported)

    def _at_block(self, prelude: str, bstart: int, depth: int, media: tuple[str, ...],
                  layer: tuple[str, ...]) -> int:
        """An at-rule with a block starting at bstart; return the index after its block."""
        m = _AT_NAME.match(prelude)
        name = _unescape(m.group(1)).lower() if m else ""
        rest = prelude[m.end():] if m else ""
        self.seen_rule = True
        if name in _GROUP_AT_RULES and depth < _MAX_DEPTH:
            group = self._group(name, rest, media, layer)
            if group is not None:
                return self._scan_list(bstart, depth + 1, group[0], group[1])
        _bend, after = self._skip_block(bstart)
        return after

    def _style_rule(self, prelude: str, block: str, media: tuple[str, ...], layer: tuple[str, ...],
                    depth: int) -> None:
        items = _simple_declarations(block)
        if items is None:
            items = _parse_declarations(block)
        self._add_rule(prelude, items, media, layer, depth)

    def _add_rule(self, prelude: str, items: list, media: tuple[str, ...], layer: tuple[str, ...],
                  depth: int) -> None:
        texts = _split_selector_list(prelude)
        if texts is None:
            return
        decls = _reduce_declarations(items)
        if decls:
            sels = tuple(self.cache._selector(t) for t in texts)
            self.sheet.rules.append(_Rule(prelude, sels, media, layer, decls))
        if depth >= _MAX_DEPTH:
            return
        # CSS Nesting: nested style rules and conditional group rules inside this block.
        for item in items:
            if item.type == "qualified-rule":
                self._nested_rule(texts, item, media, layer, depth + 1)
            elif item.type == "at-rule" and item.content is not None:
                self._nested_at_rule(texts, item, media, layer, depth + 1)

    def _nested_rule(self, parents: list[str], item: Any, media: tuple[str, ...], layer: tuple[str, ...],
                     depth: int) -> None:
        inner = _split_selector_list(tinycss2.serialize(item.prelude))
        if inner is None:
            return
        combined: list[str] = []
        for s in inner:
            for p in parents:
                combined.append(s.replace("&", p) if "&" in s else f"{p} {s}")
        content = tinycss2.serialize(item.content)
        if _RELEVANT.search(content) is None:
            return
        self._add_rule(", ".join(combined), _parse_declarations(content), media, layer, depth)

    def _nested_at_rule(self, parents: list[str], item: Any, media: tuple[str, ...], layer: tuple[str, ...],
                        depth: int) -> None:
        name = item.lower_at_keyword
        content = tinycss2.serialize(item.content)
        if _RELEVANT.search(content) is None:
            return
        if name == "media":
            cond = tinycss2.serialize(item.prelude).strip()
            media = media + (cond,) if cond else media
        elif name == "supports":
            if not _supports_matches(item.prelude):
                return
        elif name == "layer":
            names = self._layer_names(item.prelude)
            if names is None or len(names) > 1:
                return
            layer = layer + (names[0] if names else (f"\x00anon-{next(_ANON)}",))
            for i in range(1, len(layer) + 1):
                self._register_layer(layer[:i])
        else:
            return
        # Declarations directly in a nested group rule apply to the parent selector (&).
        self._add_rule(", ".join(parents), _parse_declarations(content), media, layer, depth)


# --------------------------------------------------------------------------- media & supports


def _tokens(value: Sequence[Any]) -> list:
    return [t for t in value if t.type not in ("whitespace", "comment")]


def _supports_matches(tokens: Sequence[Any], depth: int = 0) -> bool:
    """@supports: assume supported, except evaluated 'not' and non-webkit vendor properties."""
    toks = _tokens(tokens)
    if not toks or depth > _MAX_DEPTH:
        return True
    if toks[0].type == "ident" and toks[0].lower_value == "not":
        return not _supports_in_parens(toks[1:], depth)
    result: bool | None = None
    op = None
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.type == "ident" and t.lower_value in ("and", "or"):
            op = t.lower_value
            i += 1
            continue
        val = _supports_in_parens([t], depth)
        if result is None:
            result = val
        elif op == "or":
            result = result or val
        else:
            result = result and val
        i += 1
    return True if result is None else result


def _supports_in_parens(toks: list, depth: int) -> bool:
    if len(toks) != 1:
        return True
    t = toks[0]
    if t.type == "() block":
        inner = _tokens(t.content)
        if inner and inner[0].type == "ident" and len(inner) >= 2 and inner[1].type == "literal" and inner[1].value == ":":
            prop = inner[0].lower_value
            return not prop.startswith(("-ms-", "-moz-", "-o-"))
        return _supports_matches(t.content, depth=depth + 1)
    return True  # selector(), font-tech(), ...: assume supported


_LENGTH_UNITS = {
    "px": 1.0, "em": 16.0, "rem": 16.0, "pt": 96 / 72, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54,
    "mm": 96 / 25.4, "q": 96 / 101.6, "ex": 8.0, "ch": 8.0,
}


def _length(tok: Any, policy: ViewportPolicy) -> float | None:
    if tok.type == "number" and tok.value == 0:
        return 0.0
    if tok.type != "dimension":
        return None
    unit = tok.lower_unit
    f = _LENGTH_UNITS.get(unit)
    if f is not None:
        return tok.value * f
    if unit == "vw":
        return tok.value * policy.width / 100
    if unit == "vh":
        return tok.value * policy.height / 100
    if unit == "vmin":
        return tok.value * min(policy.width, policy.height) / 100
    if unit == "vmax":
        return tok.value * max(policy.width, policy.height) / 100
    return None


def _resolution(tok: Any) -> float | None:
    if tok.type == "number":
        return float(tok.value)  # -webkit-device-pixel-ratio takes a number
    if tok.type != "dimension":
        return None
    return {"dppx": 1.0, "x": 1.0, "dpi": 1 / 96, "dpcm": 2.54 / 96}.get(tok.lower_unit, 0) * tok.value or None


_DISCRETE = {
    "orientation": None,  # computed
    "hover": "hover", "any-hover": "hover",
    "pointer": "fine", "any-pointer": "fine",
    "prefers-reduced-motion": "no-preference",
    "prefers-color-scheme": "light",
    "prefers-contrast": "no-preference",
    "prefers-reduced-transparency": "no-preference",
    "prefers-reduced-data": "no-preference",
    "forced-colors": "none",
    "inverted-colors": "none",
    "scripting": "none",
    "update": "fast",
    "overflow-block": "scroll",
    "overflow-inline": "scroll",
    "display-mode": "browser",
    "color-gamut": "srgb",
    "dynamic-range": "standard",
    "video-dynamic-range": "standard",
}
_FALSE_IN_BOOLEAN = frozenset(("none", "no-preference"))


def _feature_value(name: str, policy: ViewportPolicy) -> tuple[str, Any] | None:
    """(kind, actual value) of a media feature, or None if unknown."""
    if name in ("width", "device-width"):
        return ("length", float(policy.width))
    if name in ("height", "device-height"):
        return ("length", float(policy.height))
    if name in ("aspect-ratio", "device-aspect-ratio"):
        return ("ratio", policy.width / max(policy.height, 1))
    if name in ("resolution", "-webkit-device-pixel-ratio"):
        return ("resolution", 1.0)
    if name in ("color",):
        return ("int", 8)
    if name in ("color-index", "monochrome", "grid"):
        return ("int", 0)
    if name == "orientation":
        return ("ident", "portrait" if policy.height >= policy.width else "landscape")
    if name in _DISCRETE:
        return ("ident", _DISCRETE[name])
    return None


def _compare(kind: str, actual: Any, value_toks: list, policy: ViewportPolicy) -> float | str | None:
    """Parse the expected value of a feature (None if invalid)."""
    if kind == "length":
        return _length(value_toks[0], policy) if len(value_toks) == 1 else None
    if kind == "ratio":
        nums = [t for t in value_toks if t.type == "number"]
        if len(value_toks) == 1 and len(nums) == 1:
            return float(nums[0].value)
        if (len(value_toks) == 3 and len(nums) == 2 and value_toks[1].type == "literal"
                and value_toks[1].value == "/" and nums[1].value):
            return nums[0].value / nums[1].value
        return None
    if kind == "resolution":
        return _resolution(value_toks[0]) if len(value_toks) == 1 else None
    if kind == "int":
        if len(value_toks) == 1 and value_toks[0].type == "number" and value_toks[0].is_integer:
            return float(value_toks[0].value)
        return None
    if len(value_toks) == 1 and value_toks[0].type == "ident":
        return value_toks[0].lower_value
    return None


def _eval_feature(block_tokens: list, policy: ViewportPolicy) -> bool | None:
    toks = _tokens(block_tokens)
    if not toks:
        return None
    colon = next((i for i, t in enumerate(toks) if t.type == "literal" and t.value == ":"), None)
    if colon is not None:
        if colon != 1 or toks[0].type != "ident":
            return None
        name = toks[0].lower_value
        prefix = ""
        for p in ("min-", "max-", "-webkit-min-", "-webkit-max-"):
            if name.startswith(p):
                prefix = "min" if "min" in p else "max"
                name = name[len(p):]
                if p.startswith("-webkit-"):
                    if name != "device-pixel-ratio":
                        return None
                    name = "-webkit-device-pixel-ratio"
                break
        fv = _feature_value(name, policy)
        if fv is None:
            return None
        kind, actual = fv
        if prefix and kind == "ident":
            return None
        expected = _compare(kind, actual, toks[2:], policy)
        if expected is None:
            return None
        if isinstance(expected, str):
            return None if prefix else actual == expected
        if prefix == "min":
            return actual >= expected - 1e-9
        if prefix == "max":
            return actual <= expected + 1e-9
        if kind == "ident" or isinstance(expected, str):
            return actual == expected
        return abs(actual - expected) < 1e-9
    if len(toks) == 1 and toks[0].type == "ident":  # boolean context
        fv = _feature_value(toks[0].lower_value, policy)
        if fv is None:
            return None
        kind, actual = fv
        if kind == "ident":
            return actual not in _FALSE_IN_BOOLEAN
        return bool(actual)
    return _eval_range(toks, policy)


def _eval_range(toks: list, policy: ViewportPolicy) -> bool | None:
    """Media Queries 4 range syntax: (width >= 600px), (400px < width <= 700px)."""
    parts: list[Any] = []  # alternating value-groups and operators
    cur: list = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.type == "literal" and t.value in ("<", ">", "="):
            op = t.value
            if op in "<>" and i + 1 < len(toks) and toks[i + 1].type == "literal" and toks[i + 1].value == "=":
                op += "="
                i += 1
            if not cur:
                return None
            parts.append(cur)
            parts.append(op)
            cur = []
        else:
            cur.append(t)
        i += 1
    if not cur:
        return None
    parts.append(cur)
    if len(parts) not in (3, 5):
        return None
    name_idx = [k for k in range(0, len(parts), 2)
                if len(parts[k]) == 1 and parts[k][0].type == "ident"
                and _feature_value(parts[k][0].lower_value, policy) is not None]
    if len(name_idx) != 1 or (len(parts) == 5 and name_idx[0] != 2):
        return None
    fv = _feature_value(parts[name_idx[0]][0].lower_value, policy)
    assert fv is not None
    kind, actual = fv
    if kind == "ident":
        return None
    values: list[Any] = []
    for k in range(0, len(parts), 2):
        if k == name_idx[0]:
            values.append(actual)
        else:
            v = _compare(kind, actual, parts[k], policy)
            if v is None:
                return None
            values.append(v)
    for k in range(1, len(parts), 2):
        a = values[(k - 1) // 2]
        b = values[(k + 1) // 2]
        op = parts[k]
        ok = {"<": a < b - 1e-9, "<=": a <= b + 1e-9, ">": a > b + 1e-9, ">=": a >= b - 1e-9,
              "=": abs(a - b) < 1e-9}.get(op)
        if not ok:
            return False
    return True


def _eval_condition(toks: list, policy: ViewportPolicy, allow_or: bool = True, depth: int = 0
                    ) -> bool | None:
    if not toks or depth > _MAX_DEPTH:
        return None
    if toks[0].type == "ident" and toks[0].lower_value == "not":
        if len(toks) != 2:
            return None
        v = _eval_in_parens(toks[1], policy, depth)
        return None if v is None else not v
    result = _eval_in_parens(toks[0], policy, depth)
    if result is None:
        return None
    op: str | None = None
    i = 1
    while i < len(toks):
        t = toks[i]
        if t.type != "ident" or t.lower_value not in ("and", "or") or i + 1 >= len(toks):
            return None
        this = t.lower_value
        if (op is not None and this != op) or (this == "or" and not allow_or):
            return None
        op = this
        v = _eval_in_parens(toks[i + 1], policy, depth)
        if v is None:
            return None
        result = (result and v) if op == "and" else (result or v)
        i += 2
    return result


def _eval_in_parens(tok: Any, policy: ViewportPolicy, depth: int) -> bool | None:
    if tok.type != "() block":
        return None
    inner = _tokens(tok.content)
    if not inner:
        return None
    if inner[0].type == "() block" or (inner[0].type == "ident" and inner[0].lower_value == "not"
                                       and len(inner) == 2 and inner[1].type == "() block"):
        return _eval_condition(inner, policy, depth=depth + 1)
    return _eval_feature(tok.content, policy)


def _eval_query(toks: list, policy: ViewportPolicy) -> bool:
    if not toks:
        return False
    negate = False
    i = 0
    first = toks[0]
    if first.type == "ident" and first.lower_value in ("not", "only") and len(toks) > 1 and toks[1].type == "ident":
        negate = first.lower_value == "not"
        i = 1
    if toks[i].type == "ident" and toks[i].lower_value != "not":
        mtype = toks[i].lower_value
        if mtype in ("and", "or", "only", "layer"):
            return False
        type_ok = mtype == "all" or mtype == policy.media_type.lower()
        rest = toks[i + 1:]
        cond: bool | None = True
        if rest:
            if rest[0].type != "ident" or rest[0].lower_value != "and" or len(rest) < 2:
                return False
            cond = _eval_condition(rest[1:], policy, allow_or=False)
            if cond is None:
                return False
        result = type_ok and bool(cond)
        return not result if negate else result
    if negate:
        return False
    v = _eval_condition(toks, policy)
    return bool(v)


_MEDIA_MEMO: dict[tuple[str, ViewportPolicy], bool] = {}


def _media_matches(text: str | None, policy: ViewportPolicy) -> bool:
    """Does a media query list (as in @media, media=, @import) match the policy?"""
    if not text:
        return True
    key = (text, policy)
    hit = _MEDIA_MEMO.get(key)
    if hit is not None:
        return hit
    try:
        toks = tinycss2.parse_component_value_list(text, skip_comments=True)
        queries: list[list] = [[]]
        for t in toks:
            if t.type == "literal" and t.value == ",":
                queries.append([])
            elif t.type not in ("whitespace", "comment"):
                queries[-1].append(t)
        if len(queries) == 1 and not queries[0]:
            result = True
        else:
            result = any(_eval_query(q, policy) for q in queries)
    except Exception:
        result = False
    if len(_MEDIA_MEMO) > 4096:
        _MEDIA_MEMO.clear()
    _MEDIA_MEMO[key] = result
    return result


# --------------------------------------------------------------------------- the cache


class StylesheetCache:
    """One per run. Parses each local stylesheet file once and shares it across pages.

    Also caches parsed ``<style>`` contents by content hash, parsed inline ``style``
    attributes, and compiled selectors (by selector text). Not locked: use it from one
    thread at a time (processes each get their own). Never writes files or opens sockets.
    """

    _MAX_TEXT_ENTRIES = 1024
    _MAX_INLINE_ENTRIES = 8192
    _MAX_SELECTORS = 200_000

    def __init__(self, site_root: Path | None = None, policy: ViewportPolicy = ViewportPolicy(),
                 max_bytes: int = 5_000_000) -> None:
        self.site_root = Path(site_root) if site_root is not None else None
        self.policy = policy
        self.max_bytes = max_bytes
        self.read_files = True
        self.parse_count = 0  # stylesheets (texts or files) parsed, for tests and benchmarks
        self._files: dict[str, tuple[_Sheet | None, str | None]] = {}
        self._texts: OrderedDict[bytes, _Sheet] = OrderedDict()
        self._inline: dict[str, tuple[tuple[int, str, bool], ...]] = {}
        self._selectors: dict[str, _Selector] = {}

    def __reduce__(self) -> tuple:
        """Pickling (e.g. to a worker process) passes the settings, not the parsed sheets."""
        return (StylesheetCache, (self.site_root, self.policy, self.max_bytes))

    # -- internals
    def _selector(self, text: str) -> _Selector:
        sel = self._selectors.get(text)
        if sel is None:
            sel = _Selector(text)
            if len(self._selectors) < self._MAX_SELECTORS:
                self._selectors[text] = sel
        return sel

    def _parse(self, text: str, label: str, base: Path | None, is_file: bool = False) -> _Sheet:
        self.parse_count += 1
        sheet = _Sheet(label, base)
        if is_file:
            head = text[:512].lstrip("\ufeff \t\r\n\f")[:9].lower()
            if "\x00" in text[:4096] or head.startswith(("<!doctype", "<html", "<head", "<body", "<?xml")):
                sheet.note = "unparseable stylesheet (not CSS: looks like HTML or binary data), skipped"
                return sheet
        try:
            parser = _SheetParser(sheet, text, self)
            if "<![CDATA[" in text and "<![CDATA[" in _STRINGS_COMMENTS.sub(" ", text):
                # Not special in CSS (unless inside a comment, as in /*<![CDATA[*/): its '['
                # opens a block that swallows the following rules up to ']]>', so a browser
                # applies none of a wrapped sheet.
                wrapped = text.lstrip("\ufeff \t\r\n\f").startswith("<![CDATA[")
                if wrapped and text.count("[") == text.count("]"):
                    sheet.note = ("stylesheet wrapped in <![CDATA[ ... ]]>, which CSS parses as one "
                                  "invalid rule: browsers apply none of it")
                    return sheet
                parser.parse_slow()
                return self._noted(sheet)
            if _unbalanced(text):
                # An unclosed '(' or '[' swallows following blocks: let tinycss2 do it exactly.
                sheet.errors += 1
                parser.parse_slow()
            else:
                parser.parse()
        except Exception as exc:  # degrade: the sheet is unknown
            sheet.rules.clear()
            sheet.header.clear()
            sheet.note = f"unparseable stylesheet ({type(exc).__name__}), skipped"
            return sheet
        return self._noted(sheet)

    @staticmethod
    def _noted(sheet: _Sheet) -> _Sheet:
        if sheet.errors:
            sheet.note = (f"stylesheet partly unparseable ({sheet.errors} syntax error(s): "
                          "the rules around them were dropped)")
        return sheet

    def sheet_for_text(self, text: str, label: str = "<style>") -> _Sheet:
        """The parsed form of an embedded style sheet (cached by content hash)."""
        key = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        sheet = self._texts.get(key)
        if sheet is not None:
            self._texts.move_to_end(key)
            return sheet
        if len(text) > self.max_bytes:
            sheet = _Sheet(label, None)
            sheet.note = f"stylesheet too large ({len(text)} characters > {self.max_bytes}), skipped"
        else:
            sheet = self._parse(text, label, None)
        self._texts[key] = sheet
        if len(self._texts) > self._MAX_TEXT_ENTRIES:
            self._texts.popitem(last=False)
        return sheet

    def sheet_for_file(self, path: Path) -> tuple[_Sheet | None, str | None]:
        """(parsed sheet, note) for a local file; parsed once per cache, failures remembered."""
        try:
            key = os.path.normcase(os.path.abspath(path))
        except (OSError, ValueError):
            return None, "stylesheet path not usable"
        hit = self._files.get(key)
        if hit is not None:
            return hit
        result = self._load(Path(key))
        self._files[key] = result
        return result

    def _load(self, path: Path) -> tuple[_Sheet | None, str | None]:
        if not self.read_files:
            return None, "linked stylesheet not read (no StylesheetCache given)"
        try:
            st = path.stat()
        except (OSError, ValueError):
            return None, f"stylesheet file not found ({path})"
        if not path.is_file():
            return None, f"stylesheet is not a file ({path})"
        if st.st_size > self.max_bytes:
            return None, f"stylesheet too large ({st.st_size} bytes > {self.max_bytes}), skipped"
        try:
            with open(path, "rb") as fh:
                data = fh.read(self.max_bytes + 1)
        except OSError as exc:
            return None, f"stylesheet not readable ({exc.strerror or type(exc).__name__})"
        if len(data) > self.max_bytes:
            return None, f"stylesheet too large (> {self.max_bytes} bytes), skipped"
        text = _decode_css(data)
        sheet = self._parse(text, str(path), path.parent, is_file=True)
        if sheet.note and not sheet.rules and not sheet.header:
            return None, sheet.note
        return sheet, sheet.note

    def inline_declarations(self, style: str) -> tuple[tuple[int, str, bool], ...]:
        hit = self._inline.get(style)
        if hit is None:
            try:
                hit = _reduce_declarations(_parse_declarations(style))
            except Exception:
                hit = ()
            if len(self._inline) > self._MAX_INLINE_ENTRIES:
                self._inline.clear()
            self._inline[style] = hit
        return hit


def _decode_css(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace")
    m = re.match(rb'@charset "([A-Za-z0-9_\-:.]{1,40})";', data)
    if m:
        enc = m.group(1).decode("ascii").lower()
        if enc not in ("utf-16", "utf-16le", "utf-16be"):  # CSS Syntax: those mean utf-8 here
            try:
                return data.decode(enc, "replace")
            except LookupError:
                pass
    return data.decode("utf-8", "replace")


# --------------------------------------------------------------------------- per document


_XP_CLASS_ATTRS = etree.XPath("descendant-or-self::*/@class")
_XP_ID_ATTRS = etree.XPath("descendant-or-self::*/@id")
_XP_STYLE_ATTRS = etree.XPath("descendant-or-self::*/@style")
_INDEX_THRESHOLD = 3  # class/id-keyed selectors on a page from which candidates are indexed
_FEW_ENTRIES = 2  # hiding entries on a page up to which no class/id presence scan is made


def _rel_tokens(value: str | None) -> set[str]:
    return set((value or "").lower().split())


class _Source:
    """One applicable stylesheet of the document, with the context it applies in."""

    __slots__ = ("sheet", "media", "layer", "chain", "depth")

    def __init__(self, sheet: _Sheet, media: tuple[str, ...], layer: tuple[str, ...],
                 chain: tuple[str, ...], depth: int) -> None:
        self.sheet = sheet
        self.media = media
        self.layer = layer
        self.chain = chain
        self.depth = depth


class _Doc:
    """State of one compute_styles call."""

    def __init__(self, roots: list, page_path: Path | None, cache: StylesheetCache,
                 policy: ViewportPolicy, result: CssResult) -> None:
        self.roots = roots
        self.page_path = page_path
        self.cache = cache
        self.policy = policy
        self.result = result
        self.noted: set[str] = set()
        self.inert: set | None = None  # elements inside <template>
        self.classes: set[str] | None = None
        self.class_attrs: list = []
        self.id_attrs: list = []
        self.ids: set[str] | None = None
        self.matches: dict[_Selector, list] = {}
        # element -> (key, kind)
        self.display: dict[Any, tuple[tuple, str]] = {}
        self.visibility: dict[Any, tuple[tuple, str]] = {}
        self.layer_rank: dict[tuple[str, ...], int] = {}
        self.remote_base = False
        # Candidate lists are passed to XPath as node-sets, which lxml only keeps as the
        # same element objects when they all belong to one document.
        top = roots[0].getroottree().getroot()
        self.single_doc = all(r.getroottree().getroot() is top for r in roots[1:])

    def note(self, text: str) -> None:
        if text not in self.noted:
            self.noted.add(text)
            self.result.notes.append(text)

    # -- sources
    def collect_sources(self) -> list[tuple[_Sheet, tuple[str, ...], str]]:
        """Applicable sheets in document order: (sheet, media context, label). Also finds
        the inert <template> content."""
        out: list[tuple[_Sheet, tuple[str, ...], str]] = []
        inert: set = set()
        base_seen = False
        self.inert = inert
        for root in self.roots:
            for el in root.iter("style", "link", "base", "template"):
                tag = el.tag
                if el in inert:
                    continue
                if tag == "template":
                    it = el.iter()
                    next(it)
                    inert.update(it)
                    continue
                if tag == "base":  # the first <base href> sets the document's base URL
                    href = (el.get("href") or "").strip()
                    if href and not base_seen:
                        base_seen = True
                        if href.startswith("//") or (_URL_SCHEME.match(href) and not href.lower().startswith("file:")):
                            self.remote_base = True
                    continue
                media = el.get("media")
                if media is not None:
                    media = media.strip()
                try:
                    if tag == "style":
                        self._style(el, media, out)
                    else:
                        self._link(el, media, out)
                except Exception as exc:  # this stylesheet is unknown; the others still count
                    self.note(f"<{tag}> element (line {el.sourceline}): stylesheet skipped "
                              f"({type(exc).__name__})")
        return out

    def _style(self, el: Any, media: str | None, out: list) -> None:
        typ = el.get("type")
        if typ is not None and typ.strip().lower() not in ("", "text/css"):
            return
        if media and not _media_matches(media, self.policy):
            return
        text = el.text or ""
        if not text.strip():
            return
        sheet = self.cache.sheet_for_text(text)
        if sheet.note:
            self.note(f"<style> element (line {el.sourceline}): {sheet.note}")
        out.append((sheet, (media,) if media else (), "<style>"))

    def _link(self, el: Any, media: str | None, out: list) -> None:
        rel = _rel_tokens(el.get("rel"))
        if "stylesheet" not in rel or "alternate" in rel:
            return
        if el.get("disabled") is not None:
            return
        typ = el.get("type")
        if typ is not None and typ.strip().lower() not in ("", "text/css"):
            return
        href = (el.get("href") or "").strip()
        if not href:
            return
        if media and not _media_matches(media, self.policy):
            return
        label = f"stylesheet {href[:200]}"
        path, why = self._resolve(href, self.page_path.parent if self.page_path is not None else None,
                                  page_level=True)
        if path is None:
            if why:
                self.note(f"{label}: {why}")
            return
        sheet, note = self.cache.sheet_for_file(path)
        if note:
            self.note(f"{label}: {note}")
        if sheet is not None:
            out.append((sheet, (media,) if media else (), label))

    def _resolve(self, href: str, base_dir: Path | None, page_level: bool) -> tuple[Path | None, str | None]:
        if href.startswith("//") or href.startswith("\\\\"):
            return None, "remote stylesheet not fetched"
        if _URL_SCHEME.match(href):
            scheme = href.split(":", 1)[0].lower()
            if scheme == "data":
                return None, "data: URL stylesheet not decoded (remote stylesheet not fetched)"
            return None, "remote stylesheet not fetched"
        if page_level and self.remote_base:
            return None, "remote stylesheet not fetched (document <base> is remote)"
        if not self.cache.read_files:
            return None, "linked stylesheet not read (no StylesheetCache given)"
        url_path = href.split("#", 1)[0].split("?", 1)[0]
        if not url_path:
            return None, "stylesheet URL has no path"
        try:
            url_path = unquote(url_path)
        except Exception:
            return None, "stylesheet URL not decodable"
        if "\x00" in url_path:
            return None, "stylesheet URL not usable"
        if url_path.startswith("/"):
            root = self.cache.site_root
            if root is None:
                return None, "root-relative stylesheet not resolved (no site_root)"
            rel = posixpath.normpath(url_path).lstrip("/")
            return root / rel, None
        if base_dir is None:
            return None, "relative stylesheet not resolved (no page path)"
        return base_dir / url_path, None

    def expand(self, sources: list[tuple[_Sheet, tuple[str, ...], str]]) -> list[_Source]:
        """Follow @import (depth first, imported sheets before the importer), register layers."""
        ordered: list[_Source] = []
        layer_events: list[tuple[str, ...]] = []
        policy = self.policy
        for sheet, media, _label in sources:
            # explicit stack of (source, header position)
            stack: list[tuple[_Source, int]] = [(_Source(sheet, media, (), (), 0), 0)]
            while stack:
                src, hpos = stack.pop()
                header = src.sheet.header
                pushed = False
                while hpos < len(header):
                    item = header[hpos]
                    hpos += 1
                    if isinstance(item, tuple):
                        layer_events.append(src.layer + item)
                        continue
                    try:
                        child = self._import(src, item, layer_events)
                    except Exception as exc:  # that import is unknown
                        self.note(f"@import {item.href[:200]}: skipped ({type(exc).__name__})")
                        child = None
                    if child is not None:
                        stack.append((src, hpos))
                        stack.append((child, 0))
                        pushed = True
                        break
                if pushed:
                    continue
                for path in src.sheet.layers:
                    layer_events.append(src.layer + path)
                if src.sheet.rules and all(_media_matches(m, policy) for m in src.media):
                    ordered.append(src)
        if any(layer_events) or any(s.layer for s in ordered):
            self._rank_layers(layer_events, ordered)
        return ordered

    def _import(self, src: _Source, imp: _Import, layer_events: list) -> _Source | None:
        label = f"@import {imp.href[:200]}"
        if not imp.supported:
            return None
        if imp.media and not _media_matches(imp.media, self.policy):
            return None
        if src.depth + 1 > _MAX_DEPTH:
            self.note(f"{label}: @import nesting deeper than {_MAX_DEPTH}, skipped")
            return None
        base = src.sheet.base
        if base is None:  # @import in a <style>: relative to the page
            base = self.page_path.parent if self.page_path is not None else None
        path, why = self._resolve(imp.href, base, page_level=src.sheet.base is None)
        if path is None:
            if why:
                self.note(f"{label}: {why}")
            return None
        try:
            key = os.path.normcase(os.path.abspath(path))
        except (OSError, ValueError):
            return None
        own = os.path.normcase(os.path.abspath(src.sheet.label)) if src.sheet.base is not None else None
        if key in src.chain or key == own:
            self.note(f"{label}: @import loop ({path}), skipped")
            return None
        sheet, note = self.cache.sheet_for_file(path)
        if note:
            self.note(f"{label}: {note}")
        if sheet is None:
            return None
        layer = src.layer
        if imp.layer is not None:
            layer = layer + imp.layer
            for i in range(len(src.layer) + 1, len(layer) + 1):
                layer_events.append(layer[:i])
        media = src.media + ((imp.media,) if imp.media else ())
        chain = src.chain + ((own,) if own else ()) + (key,)
        return _Source(sheet, media, layer, chain, src.depth + 1)

    def _rank_layers(self, events: list[tuple[str, ...]], ordered: list[_Source]) -> None:
        """Post-order rank of the layer tree: sub-layers before their parent's own rules,
        siblings in order of first appearance, unlayered (the root) last."""
        children: dict[tuple[str, ...], list[tuple[str, ...]]] = {(): []}
        all_paths = list(events)
        for src in ordered:
            for rule in src.sheet.rules:
                if rule.layer:
                    all_paths.append(src.layer + rule.layer)
                elif src.layer:
                    all_paths.append(src.layer)
        for path in all_paths:
            for i in range(1, len(path) + 1):
                p = path[:i]
                if p not in children:
                    children[p] = []
                    children[p[:-1]].append(p)
        rank: dict[tuple[str, ...], int] = {}
        counter = 0
        stack: list[tuple[tuple[str, ...], bool]] = [((), False)]
        while stack:
            node, done = stack.pop()
            if done:
                rank[node] = counter
                counter += 1
                continue
            stack.append((node, True))
            for ch in reversed(children[node]):
                stack.append((ch, False))
        self.layer_rank = rank

    # -- matching
    def _class_set(self) -> set[str]:
        if self.classes is None:
            attrs: list = []
            for root in self.roots:
                attrs.extend(_XP_CLASS_ATTRS(root))
            self.class_attrs = attrs
            self.classes = set(" ".join(attrs).split())
        return self.classes

    def _id_set(self) -> set[str]:
        if self.ids is None:
            attrs: list = []
            for root in self.roots:
                attrs.extend(_XP_ID_ATTRS(root))
            self.id_attrs = attrs
            self.ids = set(attrs)
        return self.ids

    def _wanted(self, entry: tuple, presence: bool = True) -> bool:
        """Cheap tests before any matching: media, required classes/ids present, valid list."""
        sel, _idx, rule, _prop, _kind, _imp = entry
        if rule.media and not all(_media_matches(m, self.policy) for m in rule.media):
            return False
        if presence:
            if sel.ids:
                ids = self._id_set()
                for i in sel.ids:
                    if i not in ids:
                        return False
            if sel.classes:
                classes = self._class_set()
                for c in sel.classes:
                    if c not in classes:
                        return False
        return rule.is_valid() and sel.compile()

    def _forward(self, sel: _Selector) -> list:
        out: list = []
        assert sel.xpath is not None
        for root in self.roots:
            out.extend(sel.xpath(root))
        return out

    def _evaluate(self, selectors: Iterable[_Selector]) -> None:
        """Fill self.matches for every (compiled) selector. Selectors keyed by a class or id
        (when there are several) or by a tag (when several) are tested, in one call each, on
        candidates gathered in one pass: over the class/id attributes, or one C-level
        ``iter(*tags)`` walk. The rest take one XPath pass over the tree each."""
        todo = [s for s in dict.fromkeys(selectors) if s not in self.matches]
        cands: dict[tuple[str, str], list] = {}
        indexed: set[str] = set()  # key kinds with candidate lists
        if self.single_doc:
            keyed = [s for s in todo if s.batch is not None and s.key is not None]
            attr_keyed = [s for s in keyed if s.key[0] != "t"]  # type: ignore[index]
            if len(attr_keyed) >= _INDEX_THRESHOLD:
                indexed.update("ci")
                want_c = {s.key[1] for s in attr_keyed if s.key[0] == "c"}  # type: ignore[index]
                want_i = {s.key[1] for s in attr_keyed if s.key[0] == "i"}  # type: ignore[index]
                if want_c:
                    self._class_set()
                    for a in self.class_attrs:
                        for name in want_c.intersection(a.split()):
                            cands.setdefault(("c", name), []).append(a.getparent())
                if want_i:
                    self._id_set()
                    for a in self.id_attrs:
                        if a in want_i:
                            cands.setdefault(("i", str(a)), []).append(a.getparent())
            want_t = {s.key[1] for s in keyed if s.key[0] == "t"}  # type: ignore[index]
            if len(want_t) >= 2:
                indexed.add("t")
                for root in self.roots:
                    for el in root.iter(*want_t):
                        cands.setdefault(("t", el.tag), []).append(el)
        inert = self.inert
        root0 = self.roots[0]
        for sel in todo:
            try:
                key = sel.key
                if key is not None and key[0] in indexed and sel.batch is not None:
                    c = cands.get(key)
                    hit = sel.batch(root0, n=c) if c else []
                else:
                    hit = self._forward(sel)
            except Exception:  # this selector is unknown on this page
                hit = []
            if hit and inert:
                hit = [e for e in hit if e not in inert]
            self.matches[sel] = hit

    def _apply(self, src: _Source, seq: int, entry: tuple, elements: list) -> None:
        sel, idx, rule, prop, kind, important = entry
        layer = src.layer + rule.layer if (src.layer or rule.layer) else ()
        rank = self.layer_rank.get(layer, 0) if self.layer_rank else 0
        key = (important, 0, -rank if important else rank, sel.spec, seq, idx)
        target = self.display if prop == _DISPLAY else self.visibility
        for el in elements:
            cur = target.get(el)
            if cur is None or key > cur[0]:
                target[el] = (key, kind)

    def run(self) -> None:
        sources = self.collect_sources()
        ordered = self.expand(sources) if sources else []
        if ordered:
            # 1. everything that can hide (and every visibility declaration)
            pending: list[tuple[_Source, int, tuple]] = []
            wanted = self._wanted
            indexes = [src.sheet.hide_index() for src in ordered]
            if sum(ix[3] for ix in indexes) <= _FEW_ENTRIES:
                # too few rules to be worth a presence scan: try them all
                for seq, src in enumerate(ordered):
                    cb, ib, always, _n = indexes[seq]
                    for entries in (always, *cb.values(), *ib.values()):
                        for entry in entries:
                            if wanted(entry, False):
                                pending.append((src, seq, entry))
            else:
                for seq, src in enumerate(ordered):
                    cb, ib, always, _n = indexes[seq]
                    groups: list = [always]
                    if cb:
                        classes = self._class_set()
                        if len(cb) < len(classes):
                            groups.extend(entries for name, entries in cb.items() if name in classes)
                        else:
                            groups.extend(cb[name] for name in classes if name in cb)
                    if ib:
                        ids = self._id_set()
                        if len(ib) < len(ids):
                            groups.extend(entries for name, entries in ib.items() if name in ids)
                        else:
                            groups.extend(ib[name] for name in ids if name in ib)
                    for entries in groups:
                        for entry in entries:
                            if wanted(entry):
                                pending.append((src, seq, entry))
            self._evaluate(e[2][0] for e in pending)
            matches = self.matches
            for src, seq, entry in pending:
                hit = matches[entry[0]]
                if hit:
                    self._apply(src, seq, entry, hit)
        # 2. inline style attributes
        self._inline()
        # 3. rules that re-show: tested only on elements some display declaration hides
        if ordered:
            cand = [el for el, (_k, kind) in self.display.items() if kind == _D_NONE]
            if cand:
                self._reshow(ordered, cand)
        self._finish()

    def _reshow(self, ordered: list[_Source], cand: list) -> None:
        by_key: dict[tuple[str, str], list] = {}
        for el in cand:
            by_key.setdefault(("t", el.tag), []).append(el)
            i = el.get("id")
            if i is not None:
                by_key.setdefault(("i", i), []).append(el)
            c = el.get("class")
            if c:
                for x in set(c.split()):
                    by_key.setdefault(("c", x), []).append(el)
        cand_set = set(cand)
        memo: dict[_Selector, list] = {}
        root = self.roots[0]
        wanted = self._wanted
        for seq, src in enumerate(ordered):
            buckets, always = src.sheet.show_index()
            groups: list = [(always, cand)]
            if len(buckets) < len(by_key):
                groups.extend((entries, by_key[k]) for k, entries in buckets.items() if k in by_key)
            else:
                groups.extend((buckets[k], els) for k, els in by_key.items() if k in buckets)
            for entries, els in groups:
                for entry in entries:
                    if not wanted(entry):
                        continue
                    sel = entry[0]
                    hit = memo.get(sel)
                    if hit is None:
                        try:
                            if sel.batch is not None and self.single_doc:
                                hit = sel.batch(root, n=els if sel.key is not None else cand)
                            else:
                                hit = [e for e in self._forward(sel) if e in cand_set]
                        except Exception:  # this selector is unknown on this page
                            hit = []
                        memo[sel] = hit
                    if hit:
                        self._apply(src, seq, entry, hit)

    def _inline(self) -> None:
        cache = self.cache
        inert = self.inert
        for root in self.roots:
            for style in _XP_STYLE_ATTRS(root):
                if "isplay" not in style and "isibility" not in style:
                    low = style.lower()
                    if "display" not in low and "visibility" not in low:
                        continue
                decls = cache.inline_declarations(str(style))
                if not decls:
                    continue
                el = style.getparent()
                if inert and el in inert:
                    continue
                for prop, kind, important in decls:
                    key = (important, 1, 0, (0, 0, 0), 0, 0)
                    target = self.display if prop == _DISPLAY else self.visibility
                    cur = target.get(el)
                    if cur is None or key > cur[0]:
                        target[el] = (key, kind)

    def _finish(self) -> None:
        result = self.result
        display = self.display
        none = result.display_none
        for el, (_key, kind) in display.items():
            if kind == _D_NONE:
                none.add(el)
            elif kind == _D_INHERIT:
                p = el.getparent()
                while p is not None:
                    hit = display.get(p)
                    if hit is None or hit[1] == _D_SHOW:
                        break
                    if hit[1] == _D_NONE:
                        none.add(el)
                        break
                    p = p.getparent()
        vis = result.visibility
        for el, (_key, kind) in self.visibility.items():
            if kind != _D_INHERIT:
                vis[el] = kind


def compute_styles(roots: list, *, page_path: Path | None = None,
                   cache: StylesheetCache | None = None,
                   policy: ViewportPolicy | None = None) -> CssResult:
    """Run the display/visibility cascade over one document (see the module docstring).

    ``roots`` are the document's top-level lxml elements. Linked stylesheets are read only
    when ``cache`` is given; ``policy`` defaults to the cache's, else :class:`ViewportPolicy`.
    Never raises for bad CSS; problems become ``notes``.
    """
    result = CssResult()
    if policy is None:
        policy = cache.policy if cache is not None else ViewportPolicy()
    if cache is None:
        cache = StylesheetCache(policy=policy)
        cache.read_files = False
    elements = [r for r in roots if r is not None and isinstance(getattr(r, "tag", None), str)]
    if not elements:
        return result
    doc = _Doc(elements, Path(page_path) if page_path is not None else None, cache, policy, result)
    try:
        doc.run()
    except Exception as exc:  # never propagate: what was found so far stands
        result.notes.append(f"CSS evaluation stopped early ({type(exc).__name__}: {exc})"[:300])
        try:
            doc._finish()
        except Exception:
            pass
    return result
