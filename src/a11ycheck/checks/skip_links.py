"""Skip-links family (WCAG 2.4.1 Bypass Blocks): skip-link, bypass, skip-link-first.

Vocabulary shared by the three rules (see each rule's JSON for the full documentation):

* A link's *href* is read like a URL parser reads it: leading/trailing C0 controls and spaces
  are dropped and tabs/newlines removed. ``javascript:`` hrefs (any case) are script links.
* A *same-page link* has an href ``#fragment`` whose fragment is not empty and does not start
  with ``!`` or ``/`` (router links). ``#``, ``#!...``, ``#/...`` and ``/#...`` (the site root)
  are *ordinary* links, like every other href: only ``#...`` hrefs are resolved, because the
  page's own URL is unknown.
* The *first ordinary link* is the first ``a[href]`` that is neither a script link nor a
  same-page link. A *skip link* is a same-page link before it (axe-core's definition).
* A fragment's *target* is found like a browser does (:meth:`Document.fragment_target`); a
  fragment ``top`` (any case) with no such element means the top of the document.

Cost: the three rules read the same link facts, so :class:`Links` is built once per document
(:func:`links_of`, shared through ``Document.memo``), and the Tab order is the model's lazy
:meth:`Document.tab_order`, of which skip-link-first reads only the first stops.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator
from urllib.parse import unquote_to_bytes, urldefrag, urljoin

from ..document import Document
from . import Context, Result, cant_tell, check, failed, is_consent_notice, passed

if TYPE_CHECKING:
    from lxml.etree import _Element

_C0_SPACE = "".join(chr(c) for c in range(0x21))
_INLINE_HIDING = re.compile(r"(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse))", re.I)

# Kinds of link.
SCRIPT, SAME_PAGE, ORDINARY = "script", "same-page", "ordinary"

# Where a same-page link leads.
OK, HIDDEN, TOP, MISSING, TEMPLATE, BASE = "ok", "hidden", "top", "missing", "template", "base"

# ---------------------------------------------------------------------------- links
def clean_href(value: str) -> str:
    """The href as the URL parser sees it: C0 controls and spaces trimmed, tabs/newlines removed."""
    value = value.strip(_C0_SPACE)
    # str.translate is slow per call and almost no href has an inner tab or newline.
    if "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\t", "").replace("\n", "").replace("\r", "")
    return value


def link_kind(href: str) -> str:
    """``script``, ``same-page`` (``#fragment``) or ``ordinary`` for a cleaned href."""
    if href[:11].lower() == "javascript:":
        return SCRIPT
    if href.startswith("#") and len(href) > 1 and href[1] not in "!/":
        return SAME_PAGE
    return ORDINARY


def fragment_of(href: str) -> str:
    return href.split("#", 1)[1] if "#" in href else ""


def _decoded(fragment: str) -> str | None:
    if "%" not in fragment:
        return fragment
    try:
        return unquote_to_bytes(fragment).decode("utf-8")
    except UnicodeDecodeError:
        return None


@dataclass(frozen=True)
class Target:
    status: str  # OK, HIDDEN, TOP, MISSING, TEMPLATE or BASE
    element: _Element | None
    fragment: str
    url: str = ""  # BASE: where the link really goes


class Links:
    """Per-document link facts (one pass over ``a`` elements); get it with :func:`links_of`.
    Read-only once built, apart from the lazily computed ``base``/template facts."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.links: list[_Element] = []  # live a[href], document order
        self.kind: dict[_Element, str] = {}
        self.href: dict[_Element, str] = {}
        self.first_ordinary: _Element | None = None
        self.skip_links: list[_Element] = []  # axe's definition, hidden ones included
        for a in doc.iter_tag("a"):
            raw = a.get("href")
            if raw is None:
                continue
            href = clean_href(raw)
            kind = link_kind(href)
            self.links.append(a)
            self.kind[a] = kind
            self.href[a] = href
            if self.first_ordinary is None:
                if kind == ORDINARY:
                    self.first_ordinary = a
                elif kind == SAME_PAGE:
                    self.skip_links.append(a)
        self._base: tuple[str, str] | None | bool = False  # False = not computed yet
        self._template_refs: set[str] | None = None

    def is_skip_link_candidate(self, a: _Element) -> bool:
        """A skip link that skip-link tests: exposed to assistive technology and exposed as a link."""
        doc = self.doc
        return not doc.is_hidden(a) and doc.role(a) == "link"

    @property
    def tested_skip_links(self) -> list[_Element]:
        return [a for a in self.skip_links if self.is_skip_link_candidate(a)]

    def base(self) -> tuple[str, str] | None:
        """(base href as written, resolved URL) when ``<base href>`` sends ``#x`` links to another
        document, as far as the page tells: None when there is no ``<base href>``, when it is empty
        or a fragment, or when it resolves to the page's ``<link rel=canonical>`` URL."""
        if self._base is not False:
            return self._base  # type: ignore[return-value]
        doc = self.doc
        result = None
        raw = next((b.get("href") for b in doc.iter_tag("base") if b.get("href") is not None), None)
        if raw is not None:
            value = clean_href(raw)
            if value and not value.startswith("#"):
                canonical = None
                for link in doc.iter_tag("link"):
                    rels = (link.get("rel") or "").lower().split()
                    if "canonical" in rels and link.get("href"):
                        canonical = clean_href(link.get("href") or "")
                        break
                if canonical and "://" in canonical:
                    resolved = urljoin(canonical, value)
                    if urldefrag(resolved)[0] == urldefrag(canonical)[0]:
                        resolved = ""
                else:
                    resolved = value
                if resolved:
                    result = (raw, resolved)
        self._base = result
        return result

    def _in_template(self, fragment: str) -> bool:
        if self._template_refs is None:
            refs: set[str] = set()
            for e in self.doc.inert:
                if e.get("id") is not None:
                    refs.add(e.get("id") or "")
                if e.tag == "a" and e.get("name") is not None:
                    refs.add(e.get("name") or "")
            self._template_refs = refs
        decoded = _decoded(fragment)
        return fragment in self._template_refs or (decoded is not None and decoded in self._template_refs)

    def target(self, a: _Element) -> Target:
        """Where the same-page link ``a`` leads."""
        doc = self.doc
        fragment = fragment_of(self.href[a])
        base = self.base()
        if base is not None:
            return Target(BASE, None, fragment, urldefrag(base[1])[0] + "#" + fragment)
        el = doc.fragment_target(fragment)
        if el is not None:
            return Target(HIDDEN if doc.is_hidden(el) else OK, el, fragment)
        decoded = _decoded(fragment)
        if decoded is not None and decoded.lower() == "top":
            return Target(TOP, None, fragment)
        if self._in_template(fragment):
            return Target(TEMPLATE, None, fragment)
        return Target(MISSING, None, fragment)


def links_of(doc: Document) -> Links:
    """The document's :class:`Links`, built once and shared by the three rules."""
    return doc.memo(("skip-links", "links"), lambda: Links(doc))


# ---------------------------------------------------------------------------- message helpers
def _quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"\u201c{text}\u201d"


def link_name(doc: Document, a: _Element) -> str:
    name = doc.name(a)
    return _quote(name) if name else "(no accessible name)"


def describe(doc: Document, el: _Element) -> str:
    """``<tag id="x">`` (or ``<a name="x">``, or ``<tag class="...">``), with the role and name of
    landmarks and headings: enough to find the element."""
    tag = el.tag
    ident = el.get("id")
    if ident is not None:
        start = f'<{tag} id="{ident}">'
    elif tag == "a" and el.get("name") is not None:
        start = f'<a name="{el.get("name")}">'
    elif tag == "a" and el.get("href") is not None:
        start = f'<a href="{el.get("href")}">'
    elif el.get("class"):
        start = f'<{tag} class="{" ".join((el.get("class") or "").split())}">'
    else:
        start = f"<{tag}>"
    if tag == "input" and el.get("type"):
        start = f'{start[:-1]} type="{el.get("type")}">'
    role = doc.role(el)
    if role == "heading" or doc.is_landmark(el):
        name = doc.name(el)
        return f"{start} ({role} {_quote(name)})" if name else f"{start} ({role})"
    return start


def describe_focusable(doc: Document, el: _Element) -> str:
    """The element that receives focus: its role, name and start tag, e.g. ``link “Home” <a href="/">``."""
    role = doc.role(el) or el.tag
    name = doc.name(el)
    return f"{role} {_quote(name) if name else '(no accessible name)'} {describe(doc, el)}"


def hidden_reason(doc: Document, el: _Element) -> str:
    """Why ``el`` is hidden, for messages: the nearest hiding attribute or style."""
    for node in (el, *doc.ancestors(el)):
        if node.get("hidden") is not None:
            how = "hidden attribute"
        elif (node.get("aria-hidden") or "").strip().lower() == "true":
            how = 'aria-hidden="true"'
        elif node.get("inert") is not None:
            how = "inert"
        elif node.tag in ("template", "noscript", "head", "script", "style"):
            how = f"inside <{node.tag}>"
        elif node.tag == "details" and node.get("open") is None and node is not el:
            how = "inside a closed <details>"
        elif _INLINE_HIDING.search(node.get("style") or ""):
            how = "inline " + _INLINE_HIDING.search(node.get("style") or "").group(0).replace(" ", "")
        else:
            continue
        return how if node is el else f"{how} on {describe(doc, node)}"
    return "display:none or visibility:hidden from CSS"


# ---------------------------------------------------------------------------- skip-link
@check("skip-link")
def skip_link(doc: Document, ctx: Context) -> Iterator[Result]:
    links = links_of(doc)
    for a in links.tested_skip_links:
        t = links.target(a)
        fields = {"name": link_name(doc, a), "href": links.href[a], "fragment": t.fragment}
        if t.status in (OK, TOP):
            yield passed(a)
        elif t.status == HIDDEN:
            assert t.element is not None
            yield cant_tell(a, "hidden-target", target=describe(doc, t.element),
                            reason=hidden_reason(doc, t.element), **fields)
        elif t.status == BASE:
            base = links.base()
            assert base is not None
            yield cant_tell(a, "base-href", base=base[0], url=t.url, **fields)
        elif t.status == TEMPLATE:
            yield failed(a, "template-target", **fields)
        else:
            yield failed(a, "missing-target", **fields)


# ---------------------------------------------------------------------------- bypass
@check("bypass")
def bypass(doc: Document, ctx: Context) -> Iterator[Result]:
    links = links_of(doc)
    if not links.links:
        return
    if (any(links.kind[a] == SAME_PAGE for a in links.links) or doc.headings
            or any(role == "main" for _, role in doc.landmarks)):
        yield passed(doc.root)
        return
    first = links.links[0]
    yield cant_tell(doc.root, "no-bypass", count=len(links.links), name=link_name(doc, first),
                    href=links.href[first])


# ---------------------------------------------------------------------------- skip-link-first
def _is_within(doc: Document, el: _Element, container: _Element) -> bool:
    return el is container or any(a is container for a in doc.ancestors(el))


def _lands_at(doc: Document, start: _Element, dest: _Element) -> bool:
    """Whether moving the focus starting point to ``start`` (which precedes ``dest``) reaches
    ``dest`` next: no Tab stop and no rendered text between ``start``'s start tag and ``dest``'s."""
    order = doc.order
    lo, hi = order[start], order[dest]
    if lo >= hi:
        return False
    dest_ancestors = set(doc.ancestors(dest))
    hidden = doc.hidden_for_everyone

    def visible_text(text: str | None, container: _Element | None) -> bool:
        return bool(text and text.strip()) and container is not None and container not in hidden

    for el in doc.elements[lo:hi]:
        if el is not start and doc.is_tabbable(el) and el not in doc.inert:
            return False
        if visible_text(el.text, el):
            return False
        if el not in dest_ancestors and visible_text(el.tail, el.getparent()):
            return False
    # tails of start's ancestors that close before dest: they come after start, before dest
    for anc in [start, *doc.ancestors(start)]:
        if anc in dest_ancestors:
            break
        if anc is not start and visible_text(anc.tail, anc.getparent()):
            return False
    return True


@dataclass
class _Page:
    """Where the main content starts and what a skip link to it may point at."""

    mains: list[_Element]  # main landmarks, document order (a page may wrongly have several)
    heading: _Element | None  # the main heading

    @property
    def main(self) -> _Element | None:
        return self.mains[0] if self.mains else None

    @property
    def start(self) -> _Element | None:
        """The element where the main content starts: the first main landmark, else the main heading."""
        return self.main if self.main is not None else self.heading

    def in_main_content(self, doc: Document, el: _Element) -> bool:
        """Whether a Tab stop is already in the main content."""
        if self.mains:
            return any(_is_within(doc, el, m) for m in self.mains)
        h = self.heading
        return h is not None and (_is_within(doc, el, h) or doc.order[el] > doc.order[h])

    def accepts(self, doc: Document, target: _Element) -> bool:
        """Whether a skip link to ``target`` leads to the main content."""
        for dest in self.mains:
            if _is_within(doc, target, dest) or _lands_at(doc, target, dest):
                return True
        h = self.heading
        return h is not None and (_is_within(doc, target, h) or _lands_at(doc, target, h))

    def reference(self, doc: Document) -> str:
        """How a skip link should point at the main content."""
        for el in (self.main, self.heading):
            if el is None:
                continue
            ident = el.get("id")
            if ident and doc.by_id(ident) is el:
                return f'{describe(doc, el)} with href="#{ident}"'
        if self.main is not None:
            return f'{describe(doc, self.main)}, after giving it an id (for example id="main-content")'
        if self.heading is not None:
            return f"{describe(doc, self.heading)}, after giving it an id"
        return "the main content"


def _page(doc: Document) -> _Page:
    mains = [el for el, role in doc.landmarks if role == "main"]
    level_one = [h.element for h in doc.headings if h.level == 1]
    heading = None
    if mains:
        heading = next((h for h in level_one if _is_within(doc, h, mains[0])), None)
    if heading is None and level_one:
        heading = level_one[0]
    return _Page(mains, heading)


def _repeated_blocks(doc: Document, links: Links, page: _Page) -> str:
    """Words for the repeated blocks before the main content ('' when there are none)."""
    start = page.start
    order = doc.order
    landmarks: dict[str, int] = {}
    n_links = 0
    if start is None:
        for el, role in doc.landmarks:
            if role in ("banner", "navigation"):
                landmarks[role] = landmarks.get(role, 0) + 1
    else:
        limit = order[start]
        containers = set(doc.ancestors(start))
        for el, role in doc.landmarks:
            if role in ("banner", "navigation") and order[el] < limit and el not in containers:
                landmarks[role] = landmarks.get(role, 0) + 1
        for a in links.links:
            if order[a] >= limit:
                break
            if a not in doc.hidden_for_everyone:
                n_links += 1
    parts = []
    if "banner" in landmarks:
        parts.append("the banner" if landmarks["banner"] == 1 else f"{landmarks['banner']} banners")
    if "navigation" in landmarks:
        n = landmarks["navigation"]
        parts.append("the navigation" if n == 1 else f"{n} navigation landmarks")
    if n_links:
        parts.append(f"{n_links} link" + ("s" if n_links > 1 else ""))
    if len(parts) > 1:
        return ", ".join(parts[:-1]) + " and " + parts[-1]
    return parts[0] if parts else ""


def _is_same_page_link(doc: Document, links: Links, el: _Element) -> bool:
    return el.tag == "a" and links.kind.get(el) == SAME_PAGE and doc.role(el) == "link"


_NOT_MAIN_CONTENT = frozenset({"banner", "navigation", "search", "contentinfo", "complementary"})


def _in_other_landmark(doc: Document, el: _Element) -> bool:
    """Inside (or being) a banner, navigation, search, contentinfo or complementary landmark."""
    return any(doc.role(a) in _NOT_MAIN_CONTENT for a in (el, *doc.ancestors(el)))


def _url_fragment_target(doc: Document, links: Links, el: _Element) -> _Element | None:
    """For a link written as a URL with a fragment (``/story.html#main``), the element that
    fragment names on this page, if any (whether the URL is this page cannot be known)."""
    if el.tag != "a" or links.kind.get(el) != ORDINARY or doc.role(el) != "link":
        return None
    href = links.href[el]
    if href.startswith("/#") or "#" not in href:
        return None
    fragment = fragment_of(href)
    if not fragment or fragment[0] in "!/":
        return None
    return doc.fragment_target(fragment)


@check("skip-link-first")
def skip_link_first(doc: Document, ctx: Context) -> Iterator[Result]:
    links = links_of(doc)
    page = _page(doc)
    blocks = _repeated_blocks(doc, links, page)
    if not blocks:
        return
    start = page.start
    overlay = _Overlays(doc, frozenset(doc.ancestors(start)) if start is not None else frozenset())
    focus = (e for e in doc.tab_order() if not overlay.contains(e))
    first = next(focus, None)
    if first is None or page.in_main_content(doc, first):
        # nothing to Tab to, or the first Tab stop is already in the main content
        yield passed(doc.root)
        return
    # the same-page links the focus order starts with
    run: list[_Element] = []
    el: _Element | None = first
    while el is not None and _is_same_page_link(doc, links, el):
        run.append(el)
        el = next(focus, None)
    targets = {a: links.target(a) for a in run}
    if any(t.element is not None and page.accepts(doc, t.element) for t in targets.values()):
        yield passed(doc.root)
        return
    main_ref = page.reference(doc)
    if not run:
        url_target = _url_fragment_target(doc, links, first)
        if url_target is not None and (page.main is None or page.accepts(doc, url_target)):
            yield cant_tell(first, "url-skip-link", name=link_name(doc, first), href=links.href[first],
                            target=describe(doc, url_target), fragment=fragment_of(links.href[first]))
            return
        first_words = describe_focusable(doc, first)
        # Reported where the fix goes: on the first Tab stop (a skip link belongs before it), or
        # on the skip link that has to move to the start.
        if page.main is None:
            yield failed(first, "no-main", first=first_words, blocks=blocks)
            return
        other = _skip_link_elsewhere(doc, links, page, overlay)
        if other is not None:
            yield failed(other, "not-first", first=first_words, name=link_name(doc, other),
                         href=links.href[other], main=main_ref)
        else:
            yield failed(first, "no-skip-link", first=first_words, blocks=blocks, main=main_ref)
        return
    broken = [a for a in run if targets[a].status in (MISSING, TEMPLATE, BASE)]
    if broken:
        tested = set(links.tested_skip_links)
        if any(a in tested for a in broken):
            return  # skip-link reports the broken link; one defect, one finding
        b = broken[0]
        bt = targets[b]
        fields = {"name": link_name(doc, b), "href": links.href[b], "fragment": bt.fragment}
        if bt.status == BASE:
            yield cant_tell(b, "base-href", url=bt.url, **fields)
        else:
            yield failed(b, "missing-target", main=main_ref, **fields)
        return
    lead = run[0]
    if page.main is None:
        # Without a main landmark where the main content starts is a guess: a skip link to
        # something that is not navigation/search/banner/footer/aside cannot be failed.
        candidate = next((a for a in run if targets[a].element is not None
                          and not _in_other_landmark(doc, targets[a].element)), None)  # type: ignore[arg-type]
        if candidate is not None:
            t = targets[candidate]
            assert t.element is not None
            yield cant_tell(candidate, "no-main-unverified", name=link_name(doc, candidate),
                            href=links.href[candidate], target=describe(doc, t.element))
            return
    t = targets[lead]
    where = describe(doc, t.element) if t.element is not None else "the top of the page"
    yield failed(lead, "wrong-target", name=link_name(doc, lead), href=links.href[lead], target=where, main=main_ref)


class _Overlays:
    """Tab stops that are not part of the page's repeated blocks: those inside a dialog (role
    ``dialog`` or ``alertdialog``, ``<dialog>`` included: a window separate from the page,
    WAI-ARIA 1.2) or inside a consent notice (:func:`is_consent_notice`). Both are shown once and
    dismissed, and a keyboard user meets them before any skip link whatever the markup. An
    element containing the main content, ``<html>`` and ``<body>`` are never overlays."""

    def __init__(self, doc: Document, containers: frozenset) -> None:
        self.doc = doc
        self.containers = containers
        self._memo: dict[_Element, bool] = {}

    def _is_overlay(self, el: _Element) -> bool:
        if el in self.containers or el.tag in ("html", "body"):
            return False
        # only <dialog> and an explicit role can give the dialog roles: no role lookup otherwise
        if (el.tag == "dialog" or el.get("role")) and self.doc.role(el) in ("dialog", "alertdialog"):
            return True
        return is_consent_notice(self.doc, el)

    def contains(self, el: _Element) -> bool:
        memo = self._memo
        path = []
        node: _Element | None = el
        result = False
        while node is not None:
            hit = memo.get(node)
            if hit is not None:
                result = hit
                break
            path.append(node)
            if self._is_overlay(node):
                result = True
                break
            node = node.getparent()
        for n in path:
            memo[n] = result
        return result


def _skip_link_elsewhere(doc: Document, links: Links, page: _Page, overlay: _Overlays) -> _Element | None:
    """A same-page link before the main content that leads into it but is not the first Tab stop
    (links inside the main content, such as a table of contents, and in dialogs or consent
    notices are not looked at)."""
    start = page.start
    if start is None:
        return None
    order = doc.order
    for a in links.links:
        if order[a] >= order[start]:
            break
        if not _is_same_page_link(doc, links, a) or not doc.is_tabbable(a) or overlay.contains(a):
            continue
        el = links.target(a).element
        if el is not None and page.accepts(doc, el):
            return a
    return None
