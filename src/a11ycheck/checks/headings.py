"""Heading rules: heading-order, page-has-heading-one, empty-heading, p-as-heading.

The heading list comes from the document model (:attr:`Document.headings`: every element whose
resolved role is ``heading`` and that is exposed to assistive technology, in document order).
Levels and the level-one selection follow axe-core 4.14 where axe's reading of the markup
differs from the model's spec reading (see :func:`axe_level` and :func:`counts_as_level_one`);
WHATWG ``headingoffset``/``headingreset`` are honoured through :meth:`Document.heading_level`.
Every check is one pass over the heading list (or the ``<p>`` elements): linear time.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator

from lxml import etree

from ..document import Document, sanitize
from . import Context, Result, cant_tell, check, failed, passed

if TYPE_CHECKING:
    from lxml.etree import _Element

_HN = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_LEADING_INT = re.compile(r"[+-]?[0-9]+")
_SKIP_TEXT = frozenset(("script", "style", "template", "noscript"))


# ---------------------------------------------------------------------------- shared helpers
def _describe(el: _Element) -> str:
    """``h3`` or ``div role="heading"``: how a heading is named in messages (inside ``<...>``)."""
    tag = el.tag
    if tag in _HN:
        return tag
    return f'{tag} role="{el.get("role", "")}"'


def axe_level(doc: Document, el: _Element) -> int:
    """The heading level as axe-core's heading-order computes it, plus WHATWG ``headingoffset``.

    ``aria-level`` is trimmed and read with JavaScript ``parseInt`` (so ``"3abc"`` and
    ``"3.5"`` are 3); when it is missing, empty, not a number or below 1, an ``hN`` has level
    N (with its computed heading offset, capped at 9, via the model) and any other heading has
    level 2, the ARIA default.
    """
    raw = el.get("aria-level")
    raw = raw.strip() if raw is not None else ""
    is_hn = el.tag in _HN
    if is_hn and not raw:
        return doc.heading_level(el)
    m = _LEADING_INT.match(raw)
    value = int(m.group()) if m else 0
    if value < 1:
        return doc.heading_level(el) if is_hn else 2
    return value


def counts_as_level_one(doc: Document, el: _Element) -> bool:
    """axe-core's page-has-heading-one selector, attribute tests as written:
    ``h1:not([role], [aria-level])``, ``:is(h1,…,h6):not([role])[aria-level=1]``,
    ``[role=heading][aria-level=1]`` (exact, case-sensitive attribute values), plus WHATWG
    ``headingoffset``: an ``h1`` moved down by an offset is not level one."""
    role = el.get("role")
    level = el.get("aria-level")
    if el.tag in _HN and role is None:
        if level is None:
            return el.tag == "h1" and doc.heading_level(el) == 1
        return level == "1"
    return role == "heading" and level == "1"


def _text(doc: Document, el: _Element) -> str:
    """A heading's text in messages: its accessible name."""
    return doc.name(el)


# ---------------------------------------------------------------------------- heading-order
@check("heading-order")
def heading_order(doc: Document, ctx: Context) -> Iterator[Result]:
    headings = [(h.element, axe_level(doc, h.element)) for h in doc.headings]
    if not headings:
        return
    start = 0
    if ctx.options["start"] == "first-h1":
        start = next((i for i, (_, lvl) in enumerate(headings) if lvl == 1), 0)
    max_first = ctx.options["max_first_level"]
    prev: tuple[_Element, int] | None = None
    for el, level in headings[start:]:
        if prev is None:
            if max_first is not None and level > max_first:
                yield failed(el, "first-too-deep", tag=_describe(el), text=_text(doc, el), level=level,
                             max_level=max_first)
            else:
                yield passed(el)
        elif level - prev[1] > 1:
            pel, plevel = prev
            yield failed(el, "skipped-level", tag=_describe(el), text=_text(doc, el), level=level,
                         previous_tag=_describe(pel), previous_text=_text(doc, pel),
                         previous_line=doc.location(pel)[0], previous_level=plevel, expected=plevel + 1)
        else:
            yield passed(el)
        prev = (el, level)


# ---------------------------------------------------------------------------- page-has-heading-one
def _modal_open(doc: Document) -> bool:
    """axe's ``isModalOpen`` without layout: a rendered ``dialog[open]``, ``[role=dialog]`` or
    ``[aria-modal=true]`` (attribute values exact, as in axe's selector)."""
    hidden = doc.hidden_for_everyone
    return any(e not in hidden for e in doc.tagged("dialog")) or any(
        e not in hidden for e in doc.with_role("dialog")) or any(
        e not in hidden for e in doc.with_attr("aria-modal") if e.get("aria-modal") == "true")


@check("page-has-heading-one")
def page_has_heading_one(doc: Document, ctx: Context) -> Iterator[Result]:
    root = doc.root
    hidden = doc.hidden_at
    if root in hidden:  # axe: excludeHidden applies to <html> itself (e.g. anti-clickjacking html{display:none})
        return
    hidden_h1: _Element | None = None
    candidates = doc.in_order(doc.tagged(*_HN), doc.with_role("heading"))
    for e in candidates:
        if counts_as_level_one(doc, e):
            if e not in hidden:
                yield passed(root)
                return
            if hidden_h1 is None and e not in doc.inert:
                hidden_h1 = e
    if ctx.options["pass_for_modal"] and _modal_open(doc):
        yield passed(root)
        return
    if hidden_h1 is not None:
        yield failed(root, "hidden-h1", tag=_describe(hidden_h1), text=sanitize(doc.content_text(hidden_h1, include_hidden=True)),
                     line=doc.location(hidden_h1)[0])
        return
    visible = doc.headings
    # An element that is level one in the accessibility tree but not by axe's selector.
    for h in visible:
        el = h.element
        if el.tag == "h1" or h.level == 1:
            if el.get("role") is not None and el.get("aria-level") is None:
                reason = "has-role"
            elif el.get("aria-level") is not None:
                reason = "aria-level"
            else:
                reason = "headingoffset"
            yield failed(root, f"h1-{reason}", tag=_describe(el), text=_text(doc, el), line=doc.location(el)[0],
                         role=el.get("role", ""), aria_level=el.get("aria-level", ""), level=h.level)
            return
    if visible:
        first = visible[0].element
        yield failed(root, "no-level-one", count=len(visible), tag=_describe(first), text=_text(doc, first),
                     line=doc.location(first)[0], level=axe_level(doc, first))
    else:
        yield failed(root, "no-headings")


# ---------------------------------------------------------------------------- empty-heading
def _source_text(el: _Element) -> bool:
    """Whether the element holds any non-blank text in the source (hidden or not; scripts excluded)."""
    return any(t.strip() for t in _texts(el))


def _content_tags(el: _Element, limit: int = 3) -> str:
    tags: list[str] = []
    for d in el.iterdescendants():
        if isinstance(d.tag, str) and d.tag not in tags:
            tags.append(d.tag)
            if len(tags) == limit:
                break
    return ", ".join(f"<{t}>" for t in tags)


@check("empty-heading")
def empty_heading(doc: Document, ctx: Context) -> Iterator[Result]:
    for h in doc.headings:
        el = h.element
        if doc.name(el):
            yield passed(el)
            continue
        tag = _describe(el)
        labelledby = (el.get("aria-labelledby") or "").strip()
        if labelledby:
            yield failed(el, "labelledby-empty", tag=tag, ids=labelledby)
        elif _source_text(el):
            yield failed(el, "hidden-text", tag=tag, text=sanitize("".join(_texts(el))))
        elif any(isinstance(d.tag, str) for d in el.iterdescendants()):
            yield failed(el, "no-text", tag=tag, content=_content_tags(el))
        else:
            yield failed(el, "empty", tag=tag)


def _texts(el: _Element) -> Iterator[str]:
    """Every text node inside ``el`` in document order, hidden ones included, script/style excluded."""
    if el.text:
        yield el.text
    walker = etree.iterwalk(el, events=("start", "comment", "pi"))
    for event, d in walker:
        if d is el:
            continue
        if event == "start":
            if d.tag in _SKIP_TEXT:
                walker.skip_subtree()
            elif d.text:
                yield d.text
        if d.tail:
            yield d.tail


# ---------------------------------------------------------------------------- p-as-heading
_SENTENCE = re.compile(r"[.!?:;](?![.!?:;])")
_SIZE_KEYWORDS = {"xx-small": 9.0, "x-small": 10.0, "small": 13.0, "medium": 16.0, "large": 18.0,
                  "x-large": 24.0, "xx-large": 32.0, "xxx-large": 48.0}
_LENGTH = re.compile(r"([0-9]*\.?[0-9]+)(px|pt|pc|em|rem|%|q|mm|cm|in)?\Z")
_BOLD_TAGS = frozenset(("b", "strong"))
_ITALIC_TAGS = frozenset(("i", "em", "cite", "var", "dfn", "address"))


def _declarations(style: str | None) -> dict[str, str]:
    out: dict[str, str] = {}
    if not style:
        return out
    for decl in style.split(";"):
        name, sep, value = decl.partition(":")
        if sep:
            value = value.strip().lower()
            if value.endswith("!important"):
                value = value[: -len("!important")].strip()
            out[name.strip().lower()] = value
    return out


def _weight(value: str, inherited: int) -> int | None:
    if value in ("bold",):
        return 700
    if value == "bolder":
        return 700 if inherited < 600 else 900
    if value == "lighter":
        return 100 if inherited < 600 else 400
    if value == "normal":
        return 400
    if value.isdigit():
        return int(value)
    return None


def _size(value: str, parent: float) -> float | None:
    if value in _SIZE_KEYWORDS:
        return _SIZE_KEYWORDS[value]
    if value == "larger":
        return parent * 1.2
    if value == "smaller":
        return parent / 1.2
    m = _LENGTH.match(value)
    if not m:
        return None
    n, unit = float(m.group(1)), m.group(2)
    factor = {None: None, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "rem": 16.0, "q": 96 / 101.6, "mm": 96 / 25.4,
              "cm": 96 / 2.54, "in": 96.0}
    if unit == "em":
        return n * parent
    if unit == "%":
        return n * parent / 100
    f = factor.get(unit)
    if f is None:
        return 0.0 if n == 0 else None
    return n * f


def _apply(el: _Element, state: tuple[int, float, bool]) -> tuple[int, float, bool]:
    """(font-weight, font-size px, italic) of ``el`` from its tag and inline ``style``, given its parent's."""
    weight, size, italic = state
    tag = el.tag
    if tag in _BOLD_TAGS:
        weight = 700 if weight < 600 else 900
    elif tag in _ITALIC_TAGS:
        italic = True
    elif tag == "big":
        size *= 1.2
    elif tag == "small":
        size /= 1.2
    decls = _declarations(el.get("style"))
    if decls:
        font = decls.get("font")
        if font:  # the shorthand resets weight and style; the size is the first length-like token
            weight, italic = 400, False
            for token in font.split():
                if token in ("italic", "oblique"):
                    italic = True
                    continue
                w = _weight(token, weight) if token != "normal" else None
                if w is not None:
                    weight = w
                    continue
                s = _size(token.split("/")[0], size)
                if s is not None:
                    size = s
                    break
        w = _weight(decls.get("font-weight", ""), weight)
        if w is not None:
            weight = w
        s = _size(decls.get("font-size", ""), size)
        if s is not None:
            size = s
        fs = decls.get("font-style")
        if fs:
            italic = fs in ("italic", "oblique")
    return weight, size, italic


class _ParaStyle:
    __slots__ = ("bold", "size", "italic", "has_text")

    def __init__(self) -> None:
        self.bold = True
        self.size = float("inf")
        self.italic = True
        self.has_text = False


def _para_style(doc: Document, p: _Element) -> _ParaStyle:
    """Style of all of a paragraph's visible text: bold only if *every* non-blank text run is
    bold (b/strong or inline font-weight >= 600), size = the smallest run's size."""
    hidden = doc.hidden_at
    out = _ParaStyle()

    def account(text: str | None, state: tuple[int, float, bool]) -> None:
        if text and text.strip():
            out.has_text = True
            out.bold = out.bold and state[0] >= 600
            out.size = min(out.size, state[1])
            out.italic = out.italic and state[2]

    base = _apply(p, (400, 16.0, False))
    account(p.text, base)
    stack: list[tuple[int, float, bool]] = [base]
    walker = etree.iterwalk(p, events=("start", "end", "comment", "pi"))
    for event, d in walker:
        if d is p:
            continue
        if event in ("comment", "pi"):
            account(d.tail, stack[-1])
            continue
        if event == "start":
            if d in hidden or d.tag in _SKIP_TEXT:
                walker.skip_subtree()
                account(d.tail, stack[-1])
                continue
            state = _apply(d, stack[-1])
            stack.append(state)
            account(d.text, state)
        else:
            if len(stack) > 1:
                stack.pop()
            account(d.tail, stack[-1])
    if not out.has_text:
        out.bold = out.italic = False
        out.size = 16.0
    return out


def _heading_like(cur: _ParaStyle, other: _ParaStyle) -> str | None:
    if cur.bold and not other.bold:
        return "bold"
    if cur.size >= other.size * 1.15:
        return "larger"
    return None


@check("p-as-heading")
def p_as_heading(doc: Document, ctx: Context) -> Iterator[Result]:
    hidden = doc.hidden_at
    headings = doc.headings
    order = doc.order
    texts: dict[_Element, str] = {}

    def text_of(el: _Element) -> str:
        t = texts.get(el)
        if t is None:
            t = texts[el] = doc.visible_text(el)
        return t

    hi = 0
    prev_level: int | None = None
    for p in doc.iter_tag("p"):
        while hi < len(headings) and order[headings[hi].element] < order[p]:
            prev_level = axe_level(doc, headings[hi].element)
            hi += 1
        if p in hidden or doc.role(p) == "heading":
            continue
        text = text_of(p)
        if not text or len(_SENTENCE.findall(text)) >= 2:
            continue
        # The next sibling paragraph with text: each scan stops at the next <p> with text,
        # which is where the next candidate's scan starts, so all scans together are linear.
        nxt = next((s for s in p.itersiblings() if s.tag == "p" and s not in hidden and text_of(s)), None)
        if nxt is None:
            continue
        if len(text) > len(text_of(nxt)):
            yield passed(p)
            continue
        kind = _heading_like(_para_style(doc, p), _para_style(doc, nxt))
        if kind is None:
            yield passed(p)
            continue
        yield cant_tell(p, kind, text=text, suggested=min((prev_level or 1) + 1, 6))
