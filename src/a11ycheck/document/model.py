"""The shared document model: one parse, semantics computed once, never by the checks.

Everything a rule needs to know about an element is answered here and cached per document:
hidden-ness (:meth:`Document.is_hidden`), role (:meth:`Document.role`, WAI-ARIA 1.2 +
HTML-AAM), accessible name (:meth:`Document.name`, accname 1.2), focusability, the id index,
headings, landmarks, positions, selectors and snippets. The model knows no rule.

All walks are iterative (``iter``/``iterwalk``, explicit stacks): trees may be 2048 levels deep.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from lxml import etree

from . import aria
from .decode import Decoded, decode_html
from .parse import MAX_ELEMENTS, parse_text
from .positions import PositionMap

if TYPE_CHECKING:
    from lxml.etree import _Element

    from .css import StylesheetCache

__all__ = ["Document", "Heading", "parse_document"]

_HIDDEN_TAGS = ("head", "script", "style", "noscript", "template")
# More of the UA stylesheet's hidden elements (HTML §15.3.1): display: none wherever they are.
_UA_HIDDEN_TAGS = ("base", "basefont", "datalist", "link", "meta", "noembed", "noframes", "param", "rp")
_WS = re.compile(r"\s+")
_NTH_ID = re.compile(r"-?[A-Za-z_][A-Za-z0-9_-]*\Z")
_TAG_IDENT = re.compile(r"[a-z][a-z0-9-]*\Z")
_SECTIONING_TAGS = frozenset({"article", "aside", "nav", "section"})
_SECTIONING_ROLES = frozenset({"article", "complementary", "navigation", "region"})
_LABELABLE = frozenset({"button", "input", "meter", "output", "progress", "select", "textarea"})
_TEXT_INPUT_TYPES = frozenset({"", "text", "search", "tel", "url", "email", "password", "number", "date",
                               "datetime-local", "month", "time", "week", "color", "file", "range"})


def sanitize(text: str) -> str:
    """accname whitespace normalisation: collapse runs of white space (NBSP included), trim."""
    return " ".join(text.split())


def parse_tabindex(value: str | None) -> int | None:
    """HTML rules for parsing integers: optional sign then digits; anything else is no tabindex."""
    if value is None:
        return None
    m = re.match(r"\s*([+-]?[0-9]+)", value)  # ASCII digits only (HTML and JS parseInt)
    return int(m.group(1)) if m else None


@dataclass(frozen=True)
class Heading:
    element: _Element
    level: int


class Document:
    """A parsed page. Create with :func:`parse_document`."""

    def __init__(self, path: str, decoded: Decoded, *, css_cache: StylesheetCache | None = None,
                 page_path: Path | None = None, max_elements: int = MAX_ELEMENTS) -> None:
        self.path = path
        self.text = decoded.text
        self.encoding = decoded.encoding
        self.decoded = decoded
        parsed = parse_text(decoded.text, max_elements)
        self.roots: list[_Element] = parsed.roots
        self.root: _Element = parsed.roots[0]
        self.notes: list[str] = []
        self.depth_limit_line: int | None = None
        self.positions = PositionMap(decoded.text)
        if parsed.depth_limit_line is not None:
            self.depth_limit_line = self.positions.line_for_lf_line(parsed.depth_limit_line)
        if decoded.replacements:
            self.notes.append(
                f"{decoded.replacements} invalid byte sequence(s) for {decoded.encoding} were replaced by U+FFFD"
            )
        # One pass over the tree: document order, and every element filed by tag and by each
        # attribute it carries (Python-level, yet about 3x cheaper than one XPath per attribute,
        # and cheaper than one C ``iter`` walk per tag list).
        self.elements: list[_Element] = [e for top in self.roots for e in top.iter(etree.Element)]
        self.order: dict[_Element, int] = dict(zip(self.elements, range(len(self.elements))))
        by_tag: dict[str, list[_Element]] = {}
        by_attr: dict[str, list[_Element]] = {}
        for e in self.elements:
            tag_list = by_tag.get(e.tag)
            if tag_list is None:
                by_tag[e.tag] = [e]
            else:
                tag_list.append(e)
            for k in e.keys():
                attr_list = by_attr.get(k)
                if attr_list is None:
                    by_attr[k] = [e]
                else:
                    attr_list.append(e)
        self._by_tag = by_tag
        self._by_attr = by_attr
        self._page_path = page_path
        self._css_cache = css_cache
        self._role: dict[_Element, str | None] = {}
        self._explicit: dict[_Element, str | None] = {}
        self._name: dict[_Element, str] = {}
        self._selector: dict[_Element, str] = {}
        self._child_index: dict[_Element, dict[_Element, int]] = {}
        self._labels: dict[str, list[_Element]] | None = None
        self._headings: list[Heading] | None = None
        self._landmarks: list[tuple[_Element, str]] | None = None
        self._focus_order: list[_Element] | None = None
        self._build_inert_and_ids()
        self._build_hidden()

    # ------------------------------------------------------------------ structure helpers
    def xpath(self, expr: str) -> list[_Element]:
        """Evaluate ``expr`` (relative, e.g. ``descendant-or-self::img``) from every top-level element.
        The tree never changes, so each expression is evaluated once per document (a fresh list
        is returned every time).

        Cost note: libxml2 evaluates a predicate like ``[self::h1 or self::h2]`` by building a
        node set per test and element: use :meth:`tagged` and :meth:`with_attr` (lookups in the
        tag and attribute index built with the document) for tag and attribute lists."""
        cache = self.__dict__.setdefault("_xpath_cache", {})
        hit = cache.get(expr)
        if hit is None:
            compiled = _XPATHS.get(expr)
            if compiled is None:
                compiled = _XPATHS[expr] = etree.XPath(expr)
            hit = []
            for top in self.roots:
                hit.extend(compiled(top))
            cache[expr] = hit
        return list(hit)

    def with_attr(self, name: str) -> list[_Element]:
        """Elements carrying attribute ``name`` (lower case, as the parser stores it; template
        content included), in document order. Shared list: do not mutate it."""
        return self._by_attr.get(name, _EMPTY)

    def with_role(self, *values: str) -> list[_Element]:
        """Elements whose ``role`` attribute is exactly one of ``values`` (as written, like CSS
        ``[role=x]``; template content included), in document order."""
        return [e for e in self.with_attr("role") if e.get("role") in values]

    def tagged(self, *tags: str) -> list[_Element]:
        """Elements with one of ``tags`` (template content included), in document order."""
        if len(tags) == 1:
            return list(self._by_tag.get(tags[0], _EMPTY))
        return self.in_order(*(self._by_tag.get(t, _EMPTY) for t in tags))

    def in_order(self, *groups: Iterable[_Element]) -> list[_Element]:
        """The union of element groups, each element once, in document order."""
        order = self.order
        merged = set().union(*groups)
        return sorted(merged, key=order.__getitem__)

    def memo(self, key: Any, factory: Callable[[], Any]) -> Any:
        """A per-document value shared by checks (an index several rules use), built by
        ``factory`` the first time ``key`` is asked for. Keys must be hashable and name both
        the index and its parameters, e.g. ``("captions", selectors)``."""
        memo = self.__dict__.setdefault("_memo", {})
        try:
            return memo[key]
        except KeyError:
            value = memo[key] = factory()
            return value

    def subtree_end(self, el: _Element) -> int:
        """Document position (:attr:`order`) of the last element of ``el``'s subtree, ``el``'s own
        when it has no element child: ``el``'s descendants are exactly the positions in
        ``(order[el], subtree_end(el)]``. Lazy, and every element on the last-child path down
        shares the answer, so asking for all elements costs one visit each."""
        ends: dict[_Element, int] = self.__dict__.setdefault("_subtree_ends", {})
        end = ends.get(el)
        if end is not None:
            return end
        path = [el]
        node = el
        while True:
            last = next(node.iterchildren(etree.Element, reversed=True), None)
            if last is None:
                break
            end = ends.get(last)
            if end is not None:
                break
            path.append(last)
            node = last
        if end is None:
            end = self.order[node]
        for n in path:
            ends[n] = end
        return end

    def iter_tag(self, *tags: str) -> Iterator[_Element]:
        """Live (non-template) elements with one of ``tags``, in document order."""
        inert = self.inert
        return (e for e in self.tagged(*tags) if e not in inert)

    def live_elements(self) -> Iterator[_Element]:
        inert = self.inert
        return (e for e in self.elements if e not in inert)

    @staticmethod
    def ancestors(el: _Element) -> Iterator[_Element]:
        p = el.getparent()
        while p is not None:
            yield p
            p = p.getparent()

    def precedes(self, a: _Element, b: _Element) -> bool:
        return self.order[a] < self.order[b]

    @property
    def body(self) -> _Element | None:
        for top in self.roots:
            b = top.find("body")
            if b is not None:
                return b
        found = self.tagged("body")
        return found[0] if found else None

    # ------------------------------------------------------------------ ids and inertness
    def _build_inert_and_ids(self) -> None:
        inert: set[_Element] = set()
        for top in self.roots:
            for t in top.iter("template"):
                if t in inert:
                    continue
                for d in t.iter():
                    if d is not t:
                        inert.add(d)
        self.inert = inert
        ids: dict[str, list[_Element]] = {}
        names: dict[str, _Element] = {}
        all_ids: dict[str, int] = {}
        for e in self.with_attr("id"):
            i = e.get("id")
            all_ids[i] = all_ids.get(i, 0) + 1
            if e not in inert:
                ids.setdefault(i, []).append(e)
        for e in self.tagged("a"):
            n = e.get("name")
            if n is not None and n not in names and e not in inert:
                names[n] = e
        self.ids = ids
        self._anchor_names = names
        self._all_id_counts = all_ids

    def by_id(self, ident: str) -> _Element | None:
        """``getElementById``: the first live element with this id (template content excluded)."""
        found = self.ids.get(ident)
        return found[0] if found else None

    def duplicate_ids(self) -> dict[str, list[_Element]]:
        return {k: v for k, v in self.ids.items() if len(v) > 1}

    def fragment_target(self, fragment: str) -> _Element | None:
        """Element a ``#fragment`` scrolls to (HTML "select the indicated part"): the element with
        that id, else the first ``a[name]``; then the same with the percent-decoded fragment, when it
        decodes to valid UTF-8 (a fragment like ``%FF`` has no decoded form)."""
        from urllib.parse import unquote_to_bytes

        if fragment == "":
            return None
        hit = self.by_id(fragment)
        if hit is None:
            hit = self._anchor_names.get(fragment)
        if hit is None and "%" in fragment:
            try:
                decoded = unquote_to_bytes(fragment).decode("utf-8")
            except UnicodeDecodeError:
                return None
            hit = self.by_id(decoded)
            if hit is None:
                hit = self._anchor_names.get(decoded)
        return hit

    # ------------------------------------------------------------------ hidden-ness
    def _build_hidden(self) -> None:
        order = self.order
        everyone: set[_Element] = set(self.inert)
        starts: list[_Element] = list(self.with_attr("hidden"))
        # The tags the UA stylesheet can hide, in document order.
        for e in self.tagged(*_HIDDEN_TAGS, *_UA_HIDDEN_TAGS, "details", "dialog", "title", "input"):
            tag = e.tag
            if tag == "details":
                if e.get("open") is None:
                    first_summary = e.find("summary")
                    starts.extend(c for c in e if isinstance(c.tag, str) and c is not first_summary)
            elif tag == "dialog":
                # UA stylesheet (HTML §15.3.3): dialog:not([open]) { display: none; }
                if e.get("open") is None:
                    starts.append(e)
            elif tag == "title":
                # the HTML <title> is display: none (HTML §15.3.1); SVG's <title> is not
                if not any(a.tag == "svg" for a in e.iterancestors()):
                    starts.append(e)
            elif tag == "input":
                # input[type=hidden i] { display: none !important }
                if (e.get("type") or "").lower() == "hidden":
                    starts.append(e)
            else:  # head, script, style, noscript, template; meta, link, datalist... (HTML §15.3.1)
                starts.append(e)
        styles = self._styles()
        starts.extend(styles.display_none)
        self._mark_subtrees(everyone, starts, order)
        # visibility: hidden|collapse is inherited but a descendant may set visible again.
        self.visibility_hidden: set[_Element] = set()
        if any(v != "visible" for v in styles.visibility.values()):
            # Walk only the subtrees of elements that declare hidden/collapse; a descendant that
            # declares visible is skipped (a hidden declaration inside it is its own start).
            declared = styles.visibility
            vis = self.visibility_hidden
            for start in sorted((e for e, v in declared.items() if v != "visible" and e in order), key=order.__getitem__):
                if start in vis:
                    continue
                walker = etree.iterwalk(start, events=("start",))
                for _, d in walker:
                    if not isinstance(d.tag, str):
                        continue
                    if d is not start and declared.get(d) == "visible":
                        walker.skip_subtree()
                        continue
                    vis.add(d)
            everyone |= self.visibility_hidden
        self.hidden_for_everyone = everyone
        at: set[_Element] = set(everyone)
        at_starts: list[_Element] = []
        for e in self.in_order(self.with_attr("aria-hidden"), self.with_attr("inert")):
            if e.get("inert") is not None or e.get("aria-hidden", "").strip().lower() == "true":
                at_starts.append(e)
        self._mark_subtrees(at, at_starts, order)
        self.hidden_at = at
        self.inert_subtrees: set[_Element] = set()
        self._mark_subtrees(self.inert_subtrees, [e for e in at_starts if e.get("inert") is not None], order)
        disabled: set[_Element] = set()
        for fs in self.tagged("fieldset"):
            if fs.get("disabled") is not None:
                legend = fs.find("legend")
                for c in fs:
                    if isinstance(c.tag, str) and c is not legend:
                        disabled.update(c.iter())
        self._fieldset_disabled = disabled
        self.notes.extend(styles.notes)

    @staticmethod
    def _mark_subtrees(target: set, starts: list, order: dict) -> None:
        done: set = set()
        for el in sorted(set(starts), key=lambda e: order.get(e, -1)):
            if el in done:
                continue
            subtree = list(el.iter())
            target.update(subtree)
            done.update(subtree)

    def _styles(self):
        from .css import compute_styles

        return compute_styles(self.roots, page_path=self._page_path, cache=self._css_cache)

    def is_hidden(self, el: _Element) -> bool:
        """Not exposed to assistive technology: hidden for everyone, ``aria-hidden=true`` or
        ``inert`` on it or an ancestor, or inert ``<template>`` content."""
        return el in self.hidden_at

    def is_hidden_for_everyone(self, el: _Element) -> bool:
        """Not rendered: display:none (inline or stylesheet), ``hidden``, visibility:hidden,
        ``head``/``script``/``style``/``noscript``/``template`` and their content, the UA stylesheet's
        other hidden elements (``meta``, ``link``, ``datalist``, ``input type=hidden``...), closed ``details``."""
        return el in self.hidden_for_everyone

    def is_inert(self, el: _Element) -> bool:
        """Inside ``<template>``: never rendered and never the target of an id reference."""
        return el in self.inert

    # ------------------------------------------------------------------ focus
    def tabindex(self, el: _Element) -> int | None:
        return parse_tabindex(el.get("tabindex"))

    def is_disabled(self, el: _Element) -> bool:
        """Disabled form control, inside an ``inert`` subtree, or inside a disabled ``fieldset``
        (except within its first ``legend``)."""
        tag = el.tag
        if tag in ("button", "fieldset", "input", "optgroup", "option", "select", "textarea") and el.get("disabled") is not None:
            return True
        return el in self.inert_subtrees or el in self._fieldset_disabled

    def is_focusable(self, el: _Element) -> bool:
        """Focusable by script or keyboard (tabindex of any value, or natively focusable)."""
        if el in self.hidden_for_everyone and el.tag != "area":
            return False
        if self.is_disabled(el):
            return False
        if self.tabindex(el) is not None:
            return True
        return self.is_natively_focusable(el)

    def is_natively_focusable(self, el: _Element) -> bool:
        tag = el.tag
        if tag in ("a", "area"):
            return el.get("href") is not None
        if tag == "input":
            return (el.get("type") or "").strip().lower() != "hidden"
        if tag in ("textarea", "select", "button", "iframe"):
            return True
        if tag == "summary":
            parent = el.getparent()
            return parent is not None and parent.tag == "details" and parent.find("summary") is el
        if tag == "details":
            return el.find(".//summary") is None
        if tag in ("audio", "video"):
            return el.get("controls") is not None
        if el.get("contenteditable") not in (None, "false"):
            return True
        return False

    def is_tabbable(self, el: _Element) -> bool:
        """In the sequential focus order: focusable with tabindex absent or >= 0, not hidden."""
        if not self.is_focusable(el):
            return False
        ti = self.tabindex(el)
        return ti is None or ti >= 0

    def focus_candidates(self) -> list[_Element]:
        """Every element that may be focusable (a superset: ``is_focusable`` decides), in
        document order, template content included. Computed once per document; shared list."""
        hit = self.__dict__.get("_focus_candidates")
        if hit is None:
            hit = self._focus_candidates = self.in_order(
                self.with_attr("tabindex"), self.with_attr("contenteditable"),
                self.tagged("a", "area", "input", "textarea", "select", "button", "iframe", "summary", "details",
                            "audio", "video"))
        return hit

    def tab_order(self) -> Iterator[_Element]:
        """Sequential focus navigation order (positive tabindex ascending first, then document
        order) of every element a keyboard user can Tab to: rendered, not disabled, tabindex
        absent or >= 0. ``aria-hidden`` does not remove an element from the Tab order, so it is
        not a filter here. Lazy: a caller that needs only the first Tab stops tests no more."""
        inert = self.inert
        is_tabbable, tabindex, order = self.is_tabbable, self.tabindex, self.order
        # Only an element with a tabindex attribute can have a positive one.
        positive = [e for e in self.with_attr("tabindex")
                    if (tabindex(e) or 0) > 0 and e not in inert and is_tabbable(e)]
        positive.sort(key=lambda e: (tabindex(e), order[e]))
        yield from positive
        for e in self.focus_candidates():  # document order, a superset of the focusable elements
            if (tabindex(e) or 0) <= 0 and e not in inert and is_tabbable(e):
                yield e

    def focus_order(self) -> list[_Element]:
        """The Tab order of the elements exposed to assistive technology (:meth:`tab_order`
        without the hidden ones)."""
        if self._focus_order is None:
            self._focus_order = [e for e in self.tab_order() if not self.is_hidden(e)]
        return self._focus_order

    # ------------------------------------------------------------------ roles
    def explicit_role(self, el: _Element) -> str | None:
        """The first recognised, non-abstract token of ``role`` (WAI-ARIA 1.2 §7.1 fallback roles)."""
        try:
            return self._explicit[el]
        except KeyError:
            pass
        value = el.get("role")
        result = None
        if value:
            for token in value.lower().split():
                if aria.is_valid_role_token(token):
                    result = token
                    break
        self._explicit[el] = result
        return result

    def has_global_aria(self, el: _Element) -> bool:
        return any(k in aria.GLOBAL_ARIA_ATTRS for k in el.attrib)

    def role(self, el: _Element) -> str | None:
        """The resolved role: explicit role, with presentational-role conflict resolution, else
        the implicit role per HTML-AAM. ``None`` means generic / no role."""
        try:
            return self._role[el]
        except KeyError:
            pass
        explicit = self.explicit_role(el)
        if explicit == "image":
            explicit = "img"
        if explicit is not None and explicit not in aria.PRESENTATIONAL_ROLES:
            result: str | None = explicit
        elif explicit is not None:
            # Presentational role conflict resolution (WAI-ARIA 1.2 §9.2)
            if self.has_global_aria(el) or self.is_focusable(el):
                result = self.implicit_role(el)
            else:
                result = "presentation" if explicit == "presentation" else "none"
        else:
            result = self.implicit_role(el)
            if result in ("cell", "row", "rowgroup", "listitem", "term", "definition", "columnheader", "rowheader"):
                if self._inherits_presentation(el):
                    result = "none"
        self._role[el] = result
        return result

    def _inherits_presentation(self, el: _Element) -> bool:
        """Required owned elements (li, td, tr, dt...) of a presentational parent are presentational."""
        tag = el.tag
        chain = {"li": ("ul", "ol", "menu"), "dt": ("dl",), "dd": ("dl",)}
        parent = el.getparent()
        if tag in chain:
            while parent is not None and parent.tag == "div" and tag in ("dt", "dd"):
                parent = parent.getparent()
            if parent is None or parent.tag not in chain[tag]:
                return False
            return self.role(parent) in aria.PRESENTATIONAL_ROLES
        # table parts
        p = parent
        while p is not None and p.tag in ("tr", "thead", "tbody", "tfoot"):
            if p.get("role") is not None:
                return self.role(p) in aria.PRESENTATIONAL_ROLES
            p = p.getparent()
        if p is not None and p.tag == "table":
            return self.role(p) in aria.PRESENTATIONAL_ROLES
        return False

    def scoping_ancestor(self, el: _Element, *, include_main: bool) -> _Element | None:
        """The nearest ancestor that scopes a header/footer/aside (HTML-AAM): sectioning content
        (article, aside, nav, section) or an element with role article/complementary/navigation/
        region (and main / role=main for header and footer)."""
        for a in self.ancestors(el):
            tag = a.tag
            explicit = self.explicit_role(a)
            if explicit is not None:
                if explicit in _SECTIONING_ROLES or (include_main and explicit == "main"):
                    return a
                if a.get("role") is not None and tag in _SECTIONING_TAGS | {"main"}:
                    continue
            elif tag in _SECTIONING_TAGS or (include_main and tag == "main"):
                if a.get("role") is None:
                    return a
        return None

    def implicit_role(self, el: _Element) -> str | None:
        tag = el.tag
        if not isinstance(tag, str):
            return None
        simple = _IMPLICIT.get(tag)
        if simple is not None:
            return simple
        if tag in ("a", "area"):
            return "link" if el.get("href") is not None else None
        if tag in ("header", "footer"):
            if self.scoping_ancestor(el, include_main=True) is not None:
                return None
            return "banner" if tag == "header" else "contentinfo"
        if tag == "aside":
            if self.scoping_ancestor(el, include_main=False) is not None and not self._has_name_attr(el):
                return None
            return "complementary"
        if tag in ("section", "form"):
            if self._has_name_attr(el):
                return "region" if tag == "section" else "form"
            return None
        if tag == "img":
            alt = el.get("alt")
            if alt is not None and alt == "" and not self.has_global_aria(el) and not self.is_focusable(el):
                return "presentation"
            return "img"
        if tag == "input":
            t = (el.get("type") or "text").strip().lower()
            if t in ("button", "image", "reset", "submit"):
                return "button"
            if t in ("checkbox", "radio"):
                return t
            if t == "number":
                return "spinbutton"
            if t == "range":
                return "slider"
            if t == "hidden":
                return None
            if t == "search":
                return "combobox" if el.get("list") else "searchbox"
            if t in ("text", "tel", "url", "email", ""):
                return "combobox" if el.get("list") else "textbox"
            return "textbox" if t not in ("color", "date", "datetime-local", "file", "month", "time", "week", "password") else None
        if tag == "select":
            size = parse_tabindex(el.get("size"))
            return "listbox" if el.get("multiple") is not None or (size is not None and size > 1) else "combobox"
        if tag == "td":
            return "cell"
        if tag == "th":
            scope = (el.get("scope") or "").lower()
            return "rowheader" if scope in ("row", "rowgroup") else "columnheader"
        if tag == "li":
            parent = el.getparent()
            return "listitem" if parent is not None and parent.tag in ("ul", "ol", "menu") else "listitem"
        return None

    def _has_name_attr(self, el: _Element) -> bool:
        """Whether a section/form/aside has an accessible name. Their names can only come from
        aria-labelledby (resolved to existing elements with text), aria-label or title, so this
        does not need the element's role (which depends on it)."""
        if el.get("aria-labelledby") and sanitize(self._labelledby(el, {el})):
            return True
        return bool((el.get("aria-label") or "").strip() or (el.get("title") or "").strip())

    def is_landmark(self, el: _Element) -> bool:
        return self.role(el) in aria.LANDMARK_ROLES

    # ------------------------------------------------------------------ accessible names
    def label_elements(self, el: _Element) -> list[_Element]:
        """``<label>`` elements associated with a labelable control, in document order."""
        if el.tag not in _LABELABLE:
            return []
        if self._labels is None:
            self._labels = {}
            for lab in self.iter_tag("label"):
                f = lab.get("for")
                if f is not None:
                    self._labels.setdefault(f, []).append(lab)
        found: list[_Element] = []
        i = el.get("id")
        if i is not None and self.by_id(i) is el:
            found.extend(self._labels.get(i, []))
        for a in self.ancestors(el):
            if a.tag == "label":
                if a.get("for") is None and a not in found:
                    found.append(a)
                break
        found.sort(key=lambda e: self.order[e])
        return found

    def name(self, el: _Element) -> str:
        """The accessible name (accname 1.2 with HTML-AAM), sanitised. Cached per element."""
        try:
            return self._name[el]
        except KeyError:
            pass
        result = sanitize(self._compute_name(el, in_labelledby=False, visited={el}))
        self._name[el] = result
        return result

    def name_source(self, el: _Element) -> str:
        """Where the name comes from: aria-labelledby, aria-label, native attribute, contents, title or none."""
        if el.get("aria-labelledby") and sanitize(self._labelledby(el, {el})):
            return "aria-labelledby"
        if (el.get("aria-label") or "").strip():
            return "aria-label"
        name = self.name(el)
        if not name:
            return "none"
        if self.role(el) not in aria.PRESENTATIONAL_ROLES and sanitize(self._native_name(el, {el}) or ""):
            return "native"
        if (el.get("title") or "").strip() and sanitize(el.get("title") or "") == name:
            return "title"
        return "contents"

    def _labelledby(self, el: _Element, visited: set) -> str:
        parts = []
        for ident in (el.get("aria-labelledby") or "").split():
            target = self.by_id(ident)
            if target is None or target in visited:
                continue
            visited.add(target)
            parts.append(self._compute_name(target, in_labelledby=True, visited=visited))
        return " ".join(parts)

    def _compute_name(self, el: _Element, *, in_labelledby: bool, visited: set) -> str:
        if not in_labelledby and el.get("aria-labelledby"):
            s = self._labelledby(el, visited)
            if s.strip():
                return s
        label = el.get("aria-label")
        if label and label.strip():
            return label
        role = self.role(el)
        if role not in aria.PRESENTATIONAL_ROLES:
            native = self._native_name(el, visited)
            if native and native.strip():
                return native
        if in_labelledby or role in aria.NAME_FROM_CONTENT_ROLES or el.tag == "label":
            s = self.content_text(el, include_hidden=in_labelledby, visited=visited)
            if s.strip():
                return s
        title = el.get("title")
        if title and title.strip() and (role not in aria.PRESENTATIONAL_ROLES or el.tag == "iframe"):
            return title
        if el.tag in ("input", "textarea"):
            ph = el.get("placeholder")
            if ph and ph.strip():
                return ph
        return ""

    def _native_name(self, el: _Element, visited: set) -> str | None:
        tag = el.tag
        if tag in ("img", "area"):
            return el.get("alt")
        if tag in _LABELABLE:
            labels = self.label_elements(el)
            if labels:
                s = " ".join(self.content_text(lab, include_hidden=False, visited=visited, control=el) for lab in labels)
                if s.strip():
                    return s
        if tag == "input":
            t = (el.get("type") or "text").strip().lower()
            if t == "image":
                for attr in ("alt", "value"):
                    v = el.get(attr)
                    if v and v.strip():
                        return v
                return (el.get("title") or "").strip() or "Submit"
            if t in ("button", "submit", "reset"):
                v = el.get("value")
                if v is not None and v.strip():
                    return v
                return {"submit": "Submit", "reset": "Reset"}.get(t, "")
            return None
        if tag == "fieldset":
            legend = el.find("legend")
            return self.content_text(legend, include_hidden=False, visited=visited) if legend is not None else None
        if tag == "figure":
            cap = next((c for c in el if c.tag == "figcaption"), None)
            return self.content_text(cap, include_hidden=False, visited=visited) if cap is not None else None
        if tag == "table":
            cap = el.find("caption")
            if cap is not None:
                return self.content_text(cap, include_hidden=False, visited=visited)
            return el.get("summary")
        if tag == "svg":
            t = next((c for c in el if c.tag == "title"), None)
            return "".join(t.itertext()) if t is not None else None
        if tag == "optgroup":
            return el.get("label")
        return None

    def _descendant_name(self, d: _Element, *, include_hidden: bool, visited: set, control: _Element | None) -> str | None:
        """Name contributed by a descendant during name-from-content, or None to descend into it."""
        if d.get("aria-labelledby") and d not in visited:
            visited.add(d)
            s = self._labelledby(d, visited)
            if s.strip():
                return s
        label = d.get("aria-label")
        if label and label.strip():
            return label
        tag = d.tag
        role = self.role(d)
        if role in aria.PRESENTATIONAL_ROLES:
            return None if len(d) or d.text else ""
        if tag in ("img", "area"):
            alt = d.get("alt")
            if alt is not None:
                return alt
            return d.get("title") or ""
        if tag == "input":
            t = (d.get("type") or "text").strip().lower()
            if t == "hidden":
                return ""
            if t in ("button", "submit", "reset", "image"):
                return self._native_name(d, visited) or ""
            if t in ("checkbox", "radio"):
                return ""
            return d.get("value") or ""
        if tag == "textarea":
            return d.text or ""
        if tag == "select":
            opts = [o for o in d.iter("option") if o.get("selected") is not None] or list(d.iter("option"))[:1]
            return sanitize("".join(opts[0].itertext())) if opts else ""
        if tag == "svg":
            t = next((c for c in d if c.tag == "title"), None)
            return "".join(t.itertext()) if t is not None else ""
        if tag in aria.EMBEDDED_TAGS and tag != "picture":
            return d.get("title") or ""
        if tag == "br":
            return " "
        return None

    def content_text(self, el: _Element, *, include_hidden: bool = False, visited: set | None = None,
                     control: _Element | None = None) -> str:
        """Text computed from an element's content (accname 1.2 step 2F), not sanitised.

        Hidden descendants are skipped unless ``include_hidden`` (aria-labelledby of a hidden
        element); script/style/template content never counts. Block-level children are
        separated by spaces; inline children are glued. Iterative, so any depth is fine.
        """
        visited = set() if visited is None else visited
        parts: list[str] = []
        if el.text:
            parts.append(el.text)
        # lxml reports comments/PIs only as "comment"/"pi" events: without them their tails are lost
        walker = etree.iterwalk(el, events=("start", "end", "comment", "pi"))
        starts: list[int] = []
        skipped: set = set()
        hidden = self.hidden_at
        for event, d in walker:
            if d is el:
                continue
            tag = d.tag
            if not isinstance(tag, str):
                if d.tail:
                    parts.append(d.tail)
                continue
            if event == "start":
                if tag in ("script", "style", "template", "noscript") or (not include_hidden and d in hidden) or d is control:
                    skipped.add(d)
                    walker.skip_subtree()
                    continue
                atomic = self._descendant_name(d, include_hidden=include_hidden, visited=visited, control=control)
                block = tag not in aria.PHRASING_TAGS
                if atomic is not None:
                    parts.append(f" {atomic} " if block else atomic)
                    skipped.add(d)
                    walker.skip_subtree()
                    continue
                starts.append(len(parts))
                if block:
                    parts.append(" ")
                if d.text:
                    parts.append(d.text)
            else:
                if d in skipped:
                    skipped.discard(d)
                else:
                    begin = starts.pop() if starts else len(parts)
                    if not "".join(parts[begin:]).strip():
                        title = d.get("title")
                        if title and title.strip():
                            parts.append(title)
                    if tag not in aria.PHRASING_TAGS:
                        parts.append(" ")
                if d.tail:
                    parts.append(d.tail)
        return "".join(parts)

    def visible_text(self, el: _Element) -> str:
        """Concatenated text of the element's descendants that are exposed to assistive technology
        (axe-core's ``visibleVirtual``): text nodes only, ``<br>`` as a space, sanitised. Cached
        per element (many images may share one container)."""
        cache = self.__dict__.setdefault("_visible_text", {})
        hit = cache.get(el)
        if hit is not None:
            return hit
        hidden = self.hidden_at
        parts: list[str] = []
        if el not in hidden and el.text:
            parts.append(el.text)
        walker = etree.iterwalk(el, events=("start", "end", "comment", "pi"))  # comment tails are text too
        for event, d in walker:
            if d is el:
                continue
            if event in ("comment", "pi"):
                parent = d.getparent()
                if d.tail and parent is not None and parent not in hidden:
                    parts.append(d.tail)
                continue
            if event == "start":
                if not isinstance(d.tag, str) or d in hidden or d.tag in ("script", "style", "template", "noscript"):
                    walker.skip_subtree()
                    if not isinstance(d.tag, str) and d.tail:
                        parts.append(d.tail)
                    continue
                if d.tag == "br":
                    parts.append(" ")
                if d.text:
                    parts.append(d.text)
            if event == "end" and isinstance(d.tag, str) and d.tail:
                parent = d.getparent()
                if parent is not None and parent not in hidden:
                    parts.append(d.tail)
        result = cache[el] = sanitize("".join(parts))
        return result

    # ------------------------------------------------------------------ headings and landmarks
    def heading_level(self, el: _Element) -> int:
        """aria-level when a positive integer; else hN's N (plus ``headingoffset``, capped at 9);
        else 2 for ``role=heading``."""
        lvl = el.get("aria-level")
        if lvl is not None:
            v = parse_tabindex(lvl)
            if v is not None and v > 0 and lvl.strip().lstrip("+").isdigit():
                return v
        tag = el.tag
        if isinstance(tag, str) and len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            return min(int(tag[1]) + self._heading_offset(el), 9)
        return 2

    def _heading_offset(self, el: _Element) -> int:
        if not self._has_headingoffset:
            return 0
        # WHATWG: offset(x) = own headingoffset + (0 if x has headingreset else offset(parent)).
        # Memoised per element, so many headings under a deep ancestor chain stay linear.
        cache: dict = self.__dict__.setdefault("_hoff_cache", {})
        chain: list[_Element] = []
        base = 0
        node: _Element | None = el
        while node is not None:
            hit = cache.get(node)
            if hit is not None:
                base = hit
                break
            chain.append(node)
            if node.get("headingreset") is not None:  # inclusive: the heading's own headingreset stops too
                break
            node = node.getparent()
        for n in reversed(chain):
            v = n.get("headingoffset")
            own = parse_tabindex(v) if v is not None else None
            own = own if own is not None and own >= 0 else 0
            base = own if n.get("headingreset") is not None else own + base
            cache[n] = base
        return cache[el]

    @property
    def _has_headingoffset(self) -> bool:
        val = getattr(self, "_hoff", None)
        if val is None:
            val = bool(self.with_attr("headingoffset"))
            self._hoff = val
        return val

    @property
    def headings(self) -> list[Heading]:
        """Every heading exposed to assistive technology, in document order, with its level."""
        if self._headings is None:
            out = []
            hidden = self.hidden_at
            for e in self.in_order(self.tagged("h1", "h2", "h3", "h4", "h5", "h6"), self.with_attr("role")):
                if e in hidden or self.role(e) != "heading":
                    continue
                out.append(Heading(e, self.heading_level(e)))
            self._headings = out
        return self._headings

    @property
    def landmarks(self) -> list[tuple[_Element, str]]:
        """(element, role) for every landmark exposed to assistive technology, in document order."""
        if self._landmarks is None:
            out = []
            hidden = self.hidden_at
            for e in self.in_order(self.tagged("header", "footer", "main", "nav", "aside", "section", "form", "search"),
                                   self.with_attr("role")):
                if e in hidden:
                    continue
                r = self.role(e)
                if r in aria.LANDMARK_ROLES:
                    out.append((e, r))
            self._landmarks = out
        return self._landmarks

    def holds_landmark(self, el: _Element) -> bool:
        """Whether ``el`` is, or contains, a landmark of :attr:`landmarks`."""
        holders = self.__dict__.get("_landmark_holders")
        if holders is None:
            holders = self._landmark_holders = set()
            for lm, _ in self.landmarks:  # each climb stops where an earlier one passed: linear
                node: _Element | None = lm
                while node is not None and node not in holders:
                    holders.add(node)
                    node = node.getparent()
        return el in holders

    # ------------------------------------------------------------------ reporting helpers
    def location(self, el: _Element) -> tuple[int, int]:
        line, col, _ = self.positions.locate(el)
        return line, col

    def selector(self, el: _Element) -> str:
        """A CSS selector matching exactly this element: ``#id`` when the id is unique, else a
        ``tag:nth-child(n)`` path from the nearest ancestor with a unique id (or ``html``)."""
        hit = self._selector.get(el)
        if hit is not None:
            return hit
        parts: list[str] = []
        node: _Element | None = el
        while node is not None:
            ident = node.get("id")
            # An id with a backslash gets the path instead: cssselect unescapes "\\" twice.
            if ident is not None and self._all_id_counts.get(ident) == 1 and "\\" not in ident:
                parts.append(_id_selector(ident))
                break
            parent = node.getparent()
            if parent is None:
                idx = self.roots.index(node) if node in self.roots else 0
                tag = node.tag if isinstance(node.tag, str) and _TAG_IDENT.match(node.tag) else "*"
                if tag == "*":
                    parts.append("*:root" if len(self.roots) == 1 else f"*:root:nth-child({idx + 1})")
                elif len(self.roots) == 1:
                    parts.append(tag)
                else:  # sibling roots after </html> are often <html> too: count roots of the same type
                    nth = sum(1 for r in self.roots[:idx] if r.tag == node.tag) + 1
                    parts.append(f"{tag}:nth-of-type({nth})")
                break
            tag = node.tag if _TAG_IDENT.match(node.tag) else "*"
            parts.append(f"{tag}:nth-child({self._nth_child(parent, node)})")
            node = parent
        result = " > ".join(reversed(parts))
        self._selector[el] = result
        return result

    def _nth_child(self, parent: _Element, child: _Element) -> int:
        table = self._child_index.get(parent)
        if table is None:
            table = {}
            i = 0
            for c in parent:
                if isinstance(c.tag, str):
                    i += 1
                    table[c] = i
            self._child_index[parent] = table
        return table[child]

    def snippet(self, el: _Element, limit: int = 200) -> str:
        """The element's start tag as written in the source (or rebuilt), plus short text content."""
        start = self.positions.start_tag_text(el)
        if start is None:
            attrs = "".join(f' {k}="{_short(v)}"' for k, v in el.attrib.items())
            start = f"<{el.tag}{attrs}>"
        start = _WS.sub(" ", start)
        if len(start) > limit:
            return start[: limit - 1] + "…"
        if len(el) == 0 and el.tag not in _VOID:
            text = sanitize(el.text or "")
            if len(start) + len(text) + len(el.tag) + 3 <= limit:
                return f"{start}{text}</{el.tag}>"
        return start

    def title(self) -> str | None:
        """``document.title``: the first ``<title>``'s text, whitespace collapsed (None if absent)."""
        for top in self.roots:
            for t in top.iter("title"):
                if t in self.inert:
                    continue
                parent = t.getparent()
                if parent is not None and any(a.tag == "svg" for a in [parent, *self.ancestors(parent)]):
                    continue
                return sanitize("".join(t.itertext()))
        return None


_XPATHS: dict[str, etree.XPath] = {}  # compiled once per process
_EMPTY: list = []  # shared empty answer of with_attr/tagged lookups; never mutated

_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())

_IMPLICIT: dict[str, str] = {
    "article": "article", "blockquote": "blockquote", "body": "generic", "button": "button",
    "caption": "caption", "code": "code", "datalist": "listbox", "dd": "definition", "del": "deletion",
    "details": "group", "dfn": "term", "dialog": "dialog", "dt": "term", "em": "emphasis",
    "fieldset": "group", "figure": "figure", "h1": "heading", "h2": "heading", "h3": "heading",
    "h4": "heading", "h5": "heading", "h6": "heading", "hr": "separator", "html": "document",
    "ins": "insertion", "main": "main", "math": "math", "menu": "list", "meter": "meter",
    "nav": "navigation", "ol": "list", "optgroup": "group", "option": "option", "output": "status",
    "p": "paragraph", "progress": "progressbar", "search": "search", "strong": "strong", "sub": "subscript",
    "summary": "button", "sup": "superscript", "table": "table", "tbody": "rowgroup", "textarea": "textbox",
    "tfoot": "rowgroup", "thead": "rowgroup", "time": "time", "tr": "row", "ul": "list", "address": "group",
    "hgroup": "group", "svg": "graphics-document", "mark": "mark",
}


def _short(value: str, limit: int = 60) -> str:
    value = value.replace('"', "&quot;")
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _id_selector(ident: str) -> str:
    if _NTH_ID.match(ident) and not ident.startswith("--"):
        return "#" + ident
    escaped = ident.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ").replace("\r", "\\d ").replace("\f", "\\c ")
    return f'[id="{escaped}"]'


def parse_document(data: bytes, path: str = "-", *, css_cache: StylesheetCache | None = None,
                   page_path: Path | None = None, max_elements: int = MAX_ELEMENTS) -> Document:
    """bytes -> Document. Raises :class:`~a11ycheck.document.decode.InputError` for input that
    cannot be checked (binary, empty, no elements, over ``max_elements`` start tags)."""
    return Document(path, decode_html(data), css_cache=css_cache, page_path=page_path, max_elements=max_elements)
