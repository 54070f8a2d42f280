"""Landmark rules: landmark-one-main, landmark-no-duplicate-{main,banner,contentinfo},
landmark-{main,banner,contentinfo,complementary}-is-top-level, landmark-unique, region, aria-roles.

Roles come from the document model (WAI-ARIA 1.2 + HTML-AAM, computed once per document); this
module only adds axe-core's candidate selection (which elements a rule looks at and which one it
reports) and the explanations. Every finding says which role the element has and why: a
``<header>`` is a banner only outside article/aside/main/nav/section, an ``<aside>`` inside a
sectioning element is generic unless named, a ``<section>`` or ``<form>`` is a landmark only with
an accessible name, and an explicit ``role`` wins.

Every walk is iterative and linear: ``region`` visits each element at most twice (one top-down
walk, one pass marking ancestors that stops at the first ancestor already marked).

Cost: ``region`` classifies every rendered element, so :class:`_Classifier` first tries a cheap
test that settles most of them: a common tag (div, p, li, span, td...) without ``role``,
``aria-live`` or a label attribute can only be hidden, content (own text) or a wrapper to descend
into, so the role, live-region, visual and label questions are skipped. The rule's second walk,
inside the landmarks, only yields ``passed`` results and is skipped when they are not wanted.
"""

from __future__ import annotations

import difflib
from itertools import repeat
from typing import TYPE_CHECKING, Callable, Iterator
from urllib.parse import unquote

from lxml import etree

from ..document import aria
from . import Context, Result, check, failed, is_consent_notice, passed

if TYPE_CHECKING:
    from lxml.etree import _Element

    from ..document import Document

# JavaScript's String.prototype.trim() white space (axe tests text nodes with it).
_JS_WS = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"

#: Tags whose direct text never counts as content (axe ``hasChildTextNodes``).
_NO_TEXT_TAGS = frozenset("head title template script style iframe object video audio noscript".split())
#: Visual content without an explicit role (axe ``isVisualContent``).
_VISUAL_TAGS = frozenset("img iframe object video audio canvas svg math button select textarea keygen progress meter".split())
#: Explicit roles that are visual content (axe's list, plus ``image`` and ``doc-cover``, both img roles).
_VISUAL_ROLES = frozenset("checkbox img image doc-cover meter progressbar scrollbar radio slider spinbutton textbox".split())
_LIVE_ROLES = frozenset({"alert", "log", "status"})
_LINK_TEXT_TAGS = frozenset("a area span b strong em i img svg".split())
#: Plain block containers: a name alone does not make them content (see _holds_content).
_CONTAINER_TAGS = frozenset("div ul ol li dl dd dt menu section header footer aside form fieldset figure p".split())
_CONTAINER_ROLES = frozenset({None, "generic", "group", "list", "listitem", "none", "presentation", "definition", "term", "paragraph", "figure"})
_SCOPING_TAGS = ("article", "aside", "main", "nav", "section")
_NAMED_ONLY = {"section": "region", "form": "form"}
_LANDMARK_LIKE_TAGS = frozenset("header footer aside section form nav main search".split())

_ABSTRACT_ALTERNATIVES = {
    "command": "button, link or menuitem",
    "composite": "grid, listbox, menu, radiogroup, tablist, tree or treegrid",
    "input": "checkbox, combobox, radio, slider, spinbutton or textbox",
    "landmark": "banner, complementary, contentinfo, form, main, navigation, region or search",
    "range": "meter, progressbar, scrollbar, slider or spinbutton",
    "roletype": "a concrete role that says what the element is",
    "section": "region, article, group, note or another concrete role",
    "sectionhead": "heading",
    "select": "combobox, listbox, menu, radiogroup or tree",
    "structure": "a concrete document-structure role such as group, list or region",
    "widget": "button, link, checkbox or another concrete widget role",
    "window": "dialog or alertdialog",
}


# ---------------------------------------------------------------------------- descriptions
def _describe(el: _Element) -> str:
    """``<tag id="x">`` / ``<tag class="first">`` plus ``role`` when present: short, recognisable."""
    parts = [el.tag]
    ident = el.get("id")
    if ident:
        parts.append(f'id="{_short(ident)}"')
    else:
        classes = (el.get("class") or "").split()
        if classes:
            parts.append(f'class="{_short(classes[0])}"')
    role = el.get("role")
    if role is not None:
        parts.append(f'role="{_short(role.strip())}"')
    return "<" + " ".join(parts) + ">"


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _at(doc: Document, el: _Element) -> str:
    return f"{_describe(el)} at line {doc.location(el)[0]}"


def _role_name(role: str | None) -> str:
    if role is None:
        return "generic"
    if role in aria.PRESENTATIONAL_ROLES:
        return "none"
    return role


def _named_by(doc: Document, el: _Element) -> str | None:
    """Which attribute gives a section/form/aside its name (None when unnamed)."""
    if el.get("aria-labelledby") and doc.name_source(el) == "aria-labelledby":
        return "aria-labelledby"
    if (el.get("aria-label") or "").strip():
        return "aria-label"
    if (el.get("title") or "").strip():
        return "title"
    return None


def role_reason(doc: Document, el: _Element) -> tuple[str, _Element | None]:
    """Why ``el`` has the role the model computed: one clause ("it is inside <article> at line
    40", "it has no accessible name"...) and the element that scopes it, if any."""
    tag = el.tag
    explicit = doc.explicit_role(el)
    raw = (el.get("role") or "").strip()
    if explicit is not None:
        role = doc.role(el)
        if explicit in aria.PRESENTATIONAL_ROLES and role not in aria.PRESENTATIONAL_ROLES:
            return f'its role="{_short(raw)}" is ignored because it is focusable or has a global ARIA attribute', None
        return f'it has role="{_short(raw)}"', None
    prefix = f'role="{_short(raw)}" is not a valid role, and ' if raw else ""
    if tag in ("header", "footer"):
        scope = doc.scoping_ancestor(el, include_main=True)
        if scope is not None:
            return prefix + f"it is inside {_at(doc, scope)}", scope
        return prefix + "it is not inside article, aside, main, nav or section", None
    if tag == "aside":
        scope = doc.scoping_ancestor(el, include_main=False)
        named = _named_by(doc, el)
        if scope is None:
            return prefix + "it is not inside article, aside, nav or section", None
        if named:
            return prefix + f"it is named by {named}", None
        return prefix + f"it is inside {_at(doc, scope)} and has no accessible name", scope
    if tag in _NAMED_ONLY:
        named = _named_by(doc, el)
        if named:
            return prefix + f"it is named by {named}", None
        return prefix + "it has no accessible name (aria-label, aria-labelledby or title)", None
    if tag in ("main", "nav", "search"):
        return prefix + f"<{tag}> is a {_role_name(doc.role(el))} landmark", None
    return prefix + f"<{tag}> has no landmark role", None


def _visible(doc: Document, el: _Element) -> bool:
    return not doc.is_hidden(el)


def _lines(doc: Document, els: list[_Element], limit: int = 3) -> str:
    shown = [_at(doc, e) for e in els[:limit]]
    if len(els) > limit:
        shown.append(f"and {len(els) - limit} more")
    return ", ".join(shown)


# ---------------------------------------------------------------------------- candidates
def _with_role(doc: Document, values: tuple[str, ...]) -> list[_Element]:
    """Live elements whose ``role`` attribute is exactly one of ``values`` (CSS ``[role=x]``)."""
    return [e for e in doc.with_role(*values) if not doc.is_inert(e)]


def _candidates(doc: Document, tag: str, role: str) -> list[_Element]:
    """axe's ``tag:not([role]), [role=<role>]`` in document order (template content excluded).
    The attribute match is exact, as in CSS (``role="Banner"`` is not selected)."""
    found = [e for e in doc.iter_tag(tag) if e.get("role") is None] + _with_role(doc, (role,))
    return sorted(set(found), key=doc.order.__getitem__)


# ---------------------------------------------------------------------------- landmark-one-main
@check("landmark-one-main")
def landmark_one_main(doc: Document, ctx: Context) -> Iterator[Result]:
    if doc.is_hidden(doc.root):
        return  # nothing is rendered (e.g. anti-clickjacking `html {display: none}` until a script runs)
    mains = [e for e, r in doc.landmarks if r == "main"]
    if mains:
        yield passed(doc.root)
        return
    hidden = [e for e in _candidates(doc, "main", "main") if doc.is_hidden(e)]
    if hidden:
        yield failed(doc.root, "hidden", main=_at(doc, hidden[0]))
        return
    others = sorted({_role_name(r) for _, r in doc.landmarks})
    if others:
        yield failed(doc.root, "missing", landmarks=", ".join(others))
    else:
        yield failed(doc.root, "no-landmarks")


# ---------------------------------------------------------------------------- landmark-no-duplicate-*
def _no_duplicate(doc: Document, tag: str, role: str) -> Iterator[Result]:
    cands = [e for e in _candidates(doc, tag, role) if _visible(doc, e)]
    if not cands:
        return
    first = cands[0]
    real = [e for e in cands if doc.role(e) == role]
    if len(real) <= 1:
        yield passed(first)
        return
    if first is real[0]:
        yield failed(first, "duplicate", role=role, count=len(real), others=_lines(doc, real[1:]))
    else:
        # axe reports the first element its selector matches, even when that one is not itself
        # a landmark (a scoped <header> in an <article> before the page header).
        yield failed(first, "duplicate-first-match", role=role, count=len(real), tag=tag,
                     own_role=_role_name(doc.role(first)), reason=role_reason(doc, first)[0],
                     others=_lines(doc, real))


@check("landmark-no-duplicate-main")
def landmark_no_duplicate_main(doc: Document, ctx: Context) -> Iterator[Result]:
    yield from _no_duplicate(doc, "main", "main")


@check("landmark-no-duplicate-banner")
def landmark_no_duplicate_banner(doc: Document, ctx: Context) -> Iterator[Result]:
    yield from _no_duplicate(doc, "header", "banner")


@check("landmark-no-duplicate-contentinfo")
def landmark_no_duplicate_contentinfo(doc: Document, ctx: Context) -> Iterator[Result]:
    yield from _no_duplicate(doc, "footer", "contentinfo")


# ---------------------------------------------------------------------------- landmark-*-is-top-level
def _ancestor_landmark(doc: Document, el: _Element, own_role: str | None) -> _Element | None:
    """The nearest ancestor whose role is a landmark (axe ``landmark-is-top-level``): an
    ancestor's role is its explicit role, else its implicit role, except that ``<form>`` counts
    only with an explicit role; a ``main`` ancestor is allowed around a complementary."""
    for a in doc.ancestors(el):
        r = doc.explicit_role(a)
        if r is None and a.tag != "form":
            r = doc.implicit_role(a)
        if r in aria.LANDMARK_ROLES and not (r == "main" and own_role == "complementary"):
            return a
    return None


def _has_scoping_tag_ancestor(doc: Document, el: _Element) -> bool:
    return any(a.tag in _SCOPING_TAGS for a in doc.ancestors(el))


def _top_level(doc: Document, tag: str, role: str, *, body_context: bool) -> Iterator[Result]:
    for el in _candidates(doc, tag, role):
        if not _visible(doc, el):
            continue
        if body_context and el.get("role") is None and _has_scoping_tag_ancestor(doc, el):
            continue  # a <header>/<footer> inside article/aside/main/nav/section is scoped: not applicable
        own = doc.role(el)
        anc = _ancestor_landmark(doc, el, own)
        if anc is None:
            yield passed(el)
            continue
        fields = {"role": role, "tag": el.tag, "ancestor": _at(doc, anc),
                  "ancestor_role": _role_name(_ancestor_role(doc, anc))}
        if own == role:
            yield failed(el, "nested", **fields)
        else:
            reason, scope = role_reason(doc, el)
            if scope is anc:
                reason = "that landmark scopes it"
            yield failed(el, "nested-not-landmark", own_role=_role_name(own), reason=reason, **fields)


def _ancestor_role(doc: Document, a: _Element) -> str | None:
    r = doc.explicit_role(a)
    return r if r is not None else doc.implicit_role(a)


@check("landmark-main-is-top-level")
def landmark_main_is_top_level(doc: Document, ctx: Context) -> Iterator[Result]:
    yield from _top_level(doc, "main", "main", body_context=False)


@check("landmark-banner-is-top-level")
def landmark_banner_is_top_level(doc: Document, ctx: Context) -> Iterator[Result]:
    yield from _top_level(doc, "header", "banner", body_context=True)


@check("landmark-contentinfo-is-top-level")
def landmark_contentinfo_is_top_level(doc: Document, ctx: Context) -> Iterator[Result]:
    yield from _top_level(doc, "footer", "contentinfo", body_context=True)


@check("landmark-complementary-is-top-level")
def landmark_complementary_is_top_level(doc: Document, ctx: Context) -> Iterator[Result]:
    yield from _top_level(doc, "aside", "complementary", body_context=False)


# ---------------------------------------------------------------------------- landmark-unique
_UNIQUE_ROLE_ATTRS = ("banner", "complementary", "contentinfo", "main", "navigation", "region", "search", "form")
_UNIQUE_TAGS = ("form", "footer", "header", "aside", "main", "nav", "section")


@check("landmark-unique")
def landmark_unique(doc: Document, ctx: Context) -> Iterator[Result]:
    found = set(doc.iter_tag(*_UNIQUE_TAGS)) | set(_with_role(doc, _UNIQUE_ROLE_ATTRS))
    groups: dict[tuple[str, str], list[_Element]] = {}
    for el in sorted(found, key=doc.order.__getitem__):
        if doc.is_hidden(el):
            continue
        role = doc.role(el)
        if role not in aria.LANDMARK_ROLES:
            continue
        groups.setdefault((role, doc.name(el).lower()), []).append(el)
    for (role, name), els in groups.items():
        if len(els) == 1:
            yield passed(els[0])
        elif name:
            yield failed(els[0], "same-name", role=role, name=doc.name(els[0]), count=len(els), others=_lines(doc, els[1:]))
        else:
            yield failed(els[0], "unnamed", role=role, count=len(els), others=_lines(doc, els[1:]))


# ---------------------------------------------------------------------------- region
def _has_own_text(el: _Element) -> bool:
    """A direct child text node with non-white-space text (axe ``hasChildTextNodes``)."""
    if el.tag in _NO_TEXT_TAGS:
        return False
    text = el.text
    if text and text.strip(_JS_WS):
        return True
    for c in el:
        text = c.tail
        if text and text.strip(_JS_WS):
            return True
    return False


def _axe_explicit_role(el: _Element) -> str | None:
    """axe's default explicit role: the whole trimmed, lower-cased value, when it is a known role."""
    value = (el.get("role") or "").strip().lower()
    if value and aria.is_valid_role_token(value):
        return value
    return None


def _is_visual(el: _Element) -> bool:
    role = _axe_explicit_role(el)
    if role is not None:
        return role in _VISUAL_ROLES
    tag = el.tag
    if tag in _VISUAL_TAGS:
        return True
    return tag == "input" and (el.get("type") or "").lower() != "hidden"


def _label(doc: Document, el: _Element) -> str:
    """axe ``labelVirtual``: visible text of the aria-labelledby targets, else aria-label."""
    refs = el.get("aria-labelledby")
    if refs and refs.strip():
        texts = []
        for ident in refs.split():
            target = doc.by_id(ident)
            texts.append(doc.visible_text(target) if target is not None else "")
        text = " ".join(texts).strip()
        if text:
            return text
    return " ".join((el.get("aria-label") or "").split())


def _dimension(el: _Element, name: str) -> float | None:
    """Rendered width/height in CSS px when the markup says it: inline style, else the attribute."""
    style = (el.get("style") or "").lower()
    if name in style:
        for decl in style.split(";"):
            prop, _, value = decl.partition(":")
            if prop.strip() == name:
                value = value.replace("!important", "").strip()
                num = value[:-2] if value.endswith("px") else value
                try:
                    return float(num)
                except ValueError:
                    pass
    attr = el.get(name)
    if attr is None:
        return None
    digits = ""
    for ch in attr.strip():
        if ch.isdigit() or (ch == "." and "." not in digits):
            digits += ch
        else:
            break
    try:
        return float(digits) if digits else None
    except ValueError:
        return None


def is_pixel_image(doc: Document, el: _Element) -> bool:
    """An ``<img>`` drawn at most 1×1 CSS px (width and height both given, each ≤ 1) without alt
    text and not focusable: a tracking pixel or spacer, which browsers leave out of the
    accessibility tree. A 1×1 image with alt text is read by screen readers, so it is content."""
    if el.tag != "img" or (el.get("alt") or "").strip() or doc.is_focusable(el):
        return False
    w, h = _dimension(el, "width"), _dimension(el, "height")
    return w is not None and h is not None and w <= 1 and h <= 1


class _SkipLinks:
    """axe's skip links (§2.5): same-page links before the first ordinary link, with a target."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.first_page_link: _Element | None = None
        for a in doc.iter_tag("a"):
            href = a.get("href")
            if href is None or href.startswith("javascript:"):
                continue
            if not self.is_current_page_link(href):
                self.first_page_link = a
                break
        self._names: dict[str, _Element] | None = None

    @staticmethod
    def is_current_page_link(href: str) -> bool:
        if not href or href == "#":
            return False
        if href.startswith("/#"):
            return True
        if href.startswith(("#!", "#/")):
            return False
        # Links to another document (or to this one by its file name: not knowable statically).
        return href.startswith("#")

    def is_skip_link(self, el: _Element) -> bool:
        """A same-page link before the first ordinary link (its target may be missing)."""
        if el.tag not in ("a", "area") or el.get("href") is None:
            return False
        first = self.first_page_link
        if first is not None and not self.doc.order[el] < self.doc.order.get(first, -1):
            return False
        return self.is_current_page_link(el.get("href") or "")

    def is_broken(self, el: _Element) -> bool:
        return self.is_skip_link(el) and self.target(el) is None

    def target(self, el: _Element) -> _Element | None:
        """The existing target of a skip link ``el``, else None."""
        if not self.is_skip_link(el):
            return None
        href = el.get("href") or ""
        fragment = href[href.index("#") + 1:] if "#" in href else href
        try:
            fragment = unquote(fragment, errors="strict")
        except UnicodeDecodeError:
            return None
        hit = self.doc.by_id(fragment)
        if hit is not None:
            return hit
        if self._names is None:
            self._names = {}
            for e in self.doc.with_attr("name"):  # document order
                if not self.doc.is_inert(e):
                    self._names.setdefault(e.get("name"), e)
        return self._names.get(fragment)


# walk outcomes
_STOP_REGION, _STOP_OTHER, _EXEMPT, _REGIONLESS, _DESCEND, _LABEL_ONLY = range(6)

#: Tags that, without the attributes in _CLASSIFY_ATTRS, are never a landmark, live region,
#: button, dialog, frame, image or other visual content, and never have their own text
#: ignored: ``_Classifier`` settles them from hidden-ness, own text and (for links) whether
#: they are skip links with a target.
_PLAIN_TAGS = frozenset(
    "a area div span p li ul ol dl dt dd h1 h2 h3 h4 h5 h6 strong em b i u s small code pre blockquote "
    "abbr cite q mark del ins dfn time sup sub br hr wbr table thead tbody tfoot tr td th caption "
    "figure figcaption article label address font center picture source".split())
#: The attributes that can change how a _PLAIN_TAGS element is classified: an explicit role,
#: a live region, a label (content for axe).
_CLASSIFY_ATTRS = ("role", "aria-live", "aria-label", "aria-labelledby")


class _Classifier:
    """What the ``region`` walk does with each element (one of the walk outcomes above).
    Built once per document: it holds the facts every call needs."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.body = doc.body
        self.skips = _SkipLinks(doc)
        self.hidden = doc.hidden_at
        #: Elements the fast path must not settle (template content included: a superset).
        self.attributed = set().union(*(doc.with_attr(a) for a in _CLASSIFY_ATTRS))

    def kind(self, el: _Element) -> int:
        tag = el.tag
        if tag in _PLAIN_TAGS and el not in self.attributed:
            # The fast path: the full test below reaches the same outcome for these elements.
            if el in self.hidden:
                return _STOP_OTHER
            if (tag == "a" or tag == "area") and self.skips.target(el) is not None:
                return _STOP_OTHER
            return _REGIONLESS if _has_own_text(el) else _DESCEND
        return self._full(el)

    def _full(self, el: _Element) -> int:
        doc = self.doc
        if el in self.hidden:
            return _STOP_OTHER
        role = doc.role(el)
        if role == "button":
            return _STOP_OTHER
        live = (el.get("aria-live") or "").strip().lower()
        if live in ("assertive", "polite") or role in _LIVE_ROLES or role in aria.LANDMARK_ROLES:
            return _STOP_REGION
        tag = el.tag
        if tag in ("dialog", "svg") or el.get("role") in ("dialog", "alertdialog"):
            return _STOP_REGION if tag != "svg" else _STOP_OTHER
        if tag in ("iframe", "frame"):
            return _STOP_OTHER
        if tag in ("a", "area") and self.skips.target(el) is not None:
            return _STOP_OTHER
        if is_pixel_image(doc, el):
            return _EXEMPT
        if el is self.body:
            return _DESCEND
        own = _has_own_text(el)
        visual = own or _is_visual(el)
        if not visual and not _label(doc, el):
            return _DESCEND
        if role in aria.PRESENTATIONAL_ROLES and not own:
            return _DESCEND  # "shallowly hidden": presentational, no text of its own
        if visual or tag not in _CONTAINER_TAGS or role not in _CONTAINER_ROLES or doc.is_focusable(el):
            return _REGIONLESS  # a named link, span, custom element, image... is content (as in axe)
        # A container whose only content is its aria-label/aria-labelledby: see _holds_content.
        return _LABEL_ONLY

    def has_content(self, el: _Element) -> bool:
        """Content of its own (text or visual content), not shallowly hidden: what ``kind``
        calls regionless outside the landmarks (``el`` is not hidden)."""
        own = _has_own_text(el)
        if el.tag in _PLAIN_TAGS and el not in self.attributed:
            return own  # never visual content, and own text is content whatever the role
        if not (own or _is_visual(el)):
            return False
        return own or self.doc.role(el) not in aria.PRESENTATIONAL_ROLES


def _child_elements(el: _Element) -> Iterator[_Element]:
    """``el``'s element children, last first (comments and processing instructions left out)."""
    return el.iterchildren(etree.Element, reversed=True)


def _holds_content(classify: Callable[[_Element], int], el: _Element) -> _Element | None:
    """Whether the walk below a label-only element finds content (stops and exempt elements
    excluded). Only such an element's label is not content enough to report it: a list of skip
    links named "Accessibility links" is exempt, a labelled list of ordinary links is not.
    Returns the first content element found, or None."""
    stack = list(_child_elements(el))
    while stack:
        d = stack.pop()
        kind = classify(d)
        if kind == _REGIONLESS:
            return d
        if kind in (_DESCEND, _LABEL_ONLY):
            stack.extend(_child_elements(d))
    return None


def _content_summary(doc: Document, widened: _Element, first: _Element, limit: int = 80) -> str:
    """"text "Breaking News: …"" or the start tag of the first content element."""
    hidden = doc.hidden_at
    parts: list[str] = []
    size = 0
    walker = etree.iterwalk(widened, events=("start", "end"))
    for event, d in walker:
        if not isinstance(d.tag, str):
            if event == "start":
                walker.skip_subtree()
            if event == "start" and d.tail:
                parts.append(d.tail)
                size += len(d.tail)
            continue
        block = d.tag not in aria.PHRASING_TAGS
        if event == "start":
            if d in hidden or d.tag in _NO_TEXT_TAGS:
                walker.skip_subtree()
                continue
            if block:
                parts.append(" ")
            if d.text:
                parts.append(d.text)
                size += len(d.text)
        elif d is not widened:
            if block:
                parts.append(" ")
            if d.tail:
                parts.append(d.tail)
                size += len(d.tail)
        if size > limit * 4:
            break
    text = " ".join("".join(parts).split())
    if text:
        return f'text "{_short(text, limit)}"'
    if _is_visual(first):
        return f"{_short(doc.snippet(first), limit)}"
    label = _label(doc, first)
    return f'{_describe(first)} labelled "{_short(label, limit)}"'


def _enclosing_link(el: _Element, stop: _Element) -> _Element | None:
    """The link ``el`` is (or is in), looking no higher than ``stop``."""
    node: _Element | None = el
    while node is not None:
        if node.tag in ("a", "area"):
            return node
        if node is stop or node.tag not in _LINK_TEXT_TAGS:
            return None
        node = node.getparent()
    return None


def _near_text(doc: Document, near: _Element, widened: _Element) -> str:
    """How the element that looks like a landmark relates to the reported one."""
    if near is widened:
        return "it"
    if doc.order[near] < doc.order[widened]:
        return f"its ancestor {_at(doc, near)}"
    return f"{_at(doc, near)} inside it"


def _in_consent_notice(doc: Document, first: _Element) -> bool:
    """Whether the content is in a cookie or consent notice (:func:`is_consent_notice`). Only
    the advice in the message depends on it. The climb stops at the first element holding a
    landmark: every element above it holds one too, so none can be a notice."""
    node: _Element | None = first
    while node is not None and not doc.holds_landmark(node):
        if is_consent_notice(doc, node):
            return True
        node = node.getparent()
    return False


@check("region")
def region(doc: Document, ctx: Context) -> Iterator[Result]:
    body = doc.body
    classifier = _Classifier(doc)
    classify = classifier.kind
    attributed = classifier.attributed  # a superset of the elements with a role attribute
    marked: set[_Element] = set()  # axe's _hasRegionDescendant: the stop node and all its ancestors
    # (regionless element, the content that makes it so, nearest landmark-like element)
    regionless: list[tuple[_Element, _Element, _Element | None]] = []
    regions: list[_Element] = []
    # One top-down walk, carrying the nearest "landmark-like" ancestor (an element that looks
    # like a landmark but is not one), to explain findings without searching ancestors again.
    stack: list[tuple[_Element, _Element | None]] = [(r, None) for r in reversed(doc.roots)]
    while stack:
        el, near = stack.pop()
        kind = classify(el)
        if kind in (_STOP_REGION, _STOP_OTHER):
            node: _Element | None = el
            while node is not None and node not in marked:
                marked.add(node)
                node = node.getparent()
            if kind == _STOP_REGION:
                regions.append(el)
            continue
        if kind == _LABEL_ONLY:
            # axe reports it (its label is content); here only when it holds content of its own
            # kind, and otherwise it is exempt. Either way the walk does not go below it (axe's
            # walk stops there too), so nothing inside marks its ancestors.
            inner = _holds_content(classify, el)
            if inner is None:
                continue
            kind = _REGIONLESS
        else:
            inner = el
        if kind == _EXEMPT:
            continue
        if el.tag in _LANDMARK_LIKE_TAGS or (el in attributed and (el.get("role") or "").strip()):
            near = el
        if kind == _REGIONLESS:
            regionless.append((el, inner, near))
            continue
        stack.extend(zip(_child_elements(el), repeat(near)))

    # Widen each regionless element to its highest ancestor below <body> that holds no region
    # (memoised: each element is climbed through once).
    top: dict[_Element, _Element] = {}
    reported: dict[_Element, tuple[_Element, _Element | None]] = {}
    for el, inner, near in regionless:
        path = []
        node = el
        while True:
            if node in top:
                node = top[node]
                break
            path.append(node)
            parent = node.getparent()
            if parent is None or parent in marked or parent is body:
                break
            node = parent
        for p in path:
            top[p] = node
        reported.setdefault(node, (inner, near))
    for widened, (first, near) in reported.items():
        content = _content_summary(doc, widened, first)
        link = _enclosing_link(first, widened)
        if link is not None and classifier.skips.is_broken(link):
            yield failed(widened, "broken-skip-link", node=_describe(widened), content=content,
                         href=link.get("href", ""))
        elif near is not None:
            yield failed(widened, "not-landmark", node=_describe(widened), content=content,
                         near=_near_text(doc, near, widened), near_role=_role_name(doc.role(near)),
                         reason=role_reason(doc, near)[0])
        elif _in_consent_notice(doc, first):
            yield failed(widened, "consent-notice", node=_describe(widened), content=content)
        else:
            yield failed(widened, "outside", node=_describe(widened), content=content)

    # Passes: each element with content of its own inside a landmark or live region.
    if not ctx.want_passes:
        return
    hidden, has_content = doc.hidden_at, classifier.has_content
    for r in regions:
        walker = etree.iterwalk(r, events=("start",))
        for _, d in walker:
            if not isinstance(d.tag, str):
                continue
            if d in hidden:
                walker.skip_subtree()
                continue
            if d.tag == "img" and is_pixel_image(doc, d):
                continue
            if has_content(d):
                yield passed(d)


# ---------------------------------------------------------------------------- aria-roles
@check("aria-roles")
def aria_roles(doc: Document, ctx: Context) -> Iterator[Result]:
    for el in doc.with_attr("role"):
        value = el.get("role") or ""
        if not value.strip(_JS_WS) or doc.is_hidden(el):
            continue
        tokens = value.lower().split()
        abstract = [t for t in tokens if t in aria.ABSTRACT_ROLES]
        if abstract:
            yield failed(el, "abstract", value=value.strip(), token=abstract[0],
                         alternatives=_ABSTRACT_ALTERNATIVES.get(abstract[0], "a concrete role"))
            continue
        if any(aria.is_valid_role_token(t) for t in tokens):
            yield passed(el)
            continue
        hint = ""
        for t in tokens:
            close = difflib.get_close_matches(t, sorted(aria.CONCRETE_ROLES), n=1, cutoff=0.8)
            if close:
                hint = f' (did you mean "{close[0]}"?)'
                break
        yield failed(el, "invalid", value=value.strip(), tag=el.tag, hint=hint)
