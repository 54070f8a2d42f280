"""Inline suppression: directives written in the page, and which of them were needed.

Two forms, both naming rule ids, family names or tags (comma and/or space separated), or
``all``:

* the attribute ``data-a11ycheck-ignore="image-alt, region"`` on an element suppresses those
  rules' findings on the element and everything inside it. Attributes survive minifiers and
  template engines that strip comments;
* comments, for markup that cannot take an attribute (text after `` -- `` is the reason)::

      <!-- a11ycheck-disable-next image-alt -- decorative, alt set by the CMS -->
      <!-- a11ycheck-disable region --> … <!-- a11ycheck-enable region -->
      <!-- a11ycheck-disable-block heading-order -->   (until the enclosing element closes)

  ``disable-next`` covers the next element (the first start tag after the comment) and its
  subtree; ``disable`` covers every element whose start tag comes after it, up to a matching
  ``enable`` (``a11ycheck-enable`` without names ends every open range) or the end of the page;
  ``disable-block`` covers the rest of the element that contains the comment.

A finding is suppressed when its element is covered. Findings are matched to directives by
the engine (:class:`Ledger`), which counts them as ``suppressed`` instead of reporting them.
The ``unused-suppression`` rule (``checks/suppression.py``) then reports every directive that
hid nothing, names that are no rule, and comments that are not valid directives. It asks the
same :class:`Ledger`, so "used" means exactly "hid a finding in this run"; a rule a directive
names that did not run (not selected) is run for the purpose with its default options, so the
verdict does not depend on ``--select``.

Scopes are intervals of :attr:`Document.order` (an element and its subtree: ``Document.subtree_end``),
computed only for pages whose source mentions ``a11ycheck-`` at all; other pages cost one substring
search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from lxml import etree

from .checks import Context, Result, failed, passed
from .results import REPORTED

if TYPE_CHECKING:
    from lxml.etree import _Element

    from .document import Document
    from .registry import Rule

__all__ = ["ALL", "ATTRIBUTE", "Directive", "Entry", "Ledger", "LedgerContext", "Suppressions", "scan"]

ATTRIBUTE = "data-a11ycheck-ignore"
ALL = "all"
SELF = "unused-suppression"
COMMENT_KINDS = ("disable-next", "disable", "enable", "disable-block")

# Prefilter: could the source hold a directive (a comment, or an attribute name that the parser
# ASCII-lower-cases)? Spelled without re.I and without the leading "a": a case-insensitive
# search costs ~0.7 ms on a 124 kB page, this one (literal "11" prefix) ~0.09 ms.
_MARKER = re.compile(r"11[yY][cC][hH][eE][cC][kK]-")
_DIRECTIVE = re.compile(r"\s*a11ycheck-([A-Za-z-]*)(.*)\Z", re.S)
_NAMES = re.compile(r"[\s,]+")
_SHOW = 80


def _names(text: str) -> tuple[str, ...]:
    return tuple(n for n in _NAMES.split(text.strip()) if n)


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHOW else text[: _SHOW - 1] + "…"


@dataclass(eq=False)
class Directive:
    """One attribute or directive comment."""

    form: str  # "attribute", "disable-next", "disable", "disable-block" (or the unknown word)
    names: tuple[str, ...]
    anchor: _Element  # where findings about the directive itself are reported
    source: str  # how it reads in the page, shortened
    line: int
    reason: str = ""
    problem: str | None = None  # "unknown-directive" | "no-rules" when it cannot suppress anything
    entries: list[Entry] = field(default_factory=list)


@dataclass(eq=False)
class Entry:
    """One name of one directive and the elements it covers: ``lo <= doc.order[e] <= hi``."""

    directive: Directive
    name: str
    lo: int
    hi: int

    def matches(self, rule: Rule) -> bool:
        return self.name == rule.id or self.name in rule.tags or (self.name == ALL and rule.id != SELF)


class Suppressions:
    """The directives of one document, indexed for "which directives cover this element?"."""

    def __init__(self, doc: Document, directives: list[Directive]) -> None:
        self.doc = doc
        self.directives = directives
        self._by_element: dict[_Element, list[Entry]] = {}
        self._ranges: list[Entry] = []
        for d in directives:
            for e in d.entries:
                if d.form == "attribute":
                    self._by_element.setdefault(d.anchor, []).append(e)
                elif e.lo <= e.hi:
                    self._ranges.append(e)

    def __bool__(self) -> bool:
        return bool(self.directives)

    def covering(self, el: _Element, rule: Rule) -> list[Entry]:
        """Entries naming ``rule`` whose scope contains ``el``."""
        hits: list[Entry] = []
        if self._by_element:
            node: _Element | None = el
            while node is not None:
                for e in self._by_element.get(node, ()):
                    if e.matches(rule):
                        hits.append(e)
                node = node.getparent()
        if self._ranges:
            i = self.doc.order.get(el, -1)
            hits.extend(e for e in self._ranges if e.lo <= i <= e.hi and e.matches(rule))
        return hits


def scan(doc: Document) -> Suppressions:
    """Find every directive of ``doc`` and compute what it covers (one walk, only when the
    source mentions ``a11ycheck-``)."""
    if not _MARKER.search(doc.text):
        return Suppressions(doc, [])
    order = doc.order
    n = len(doc.elements)
    attributes: list[_Element] = []
    comments: list[tuple[Any, int]] = []  # (comment node, index of the next element)
    last = -1
    root = doc.roots[0]
    tops = [*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()]
    for top in tops:
        if not isinstance(top.tag, str):
            if top.tag is etree.Comment:
                comments.append((top, last + 1))
            continue
        for event, node in etree.iterwalk(top, events=("start", "comment")):
            if event == "comment":
                comments.append((node, last + 1))
            elif isinstance(node.tag, str):
                last = order[node]
                if node.get(ATTRIBUTE) is not None:
                    attributes.append(node)
    directives: list[Directive] = []
    for el in attributes:
        value = el.get(ATTRIBUTE) or ""
        names = _names(value)
        d = Directive("attribute", names, el, f'{ATTRIBUTE}="{_clip(value)}"', doc.location(el)[0],
                      problem=None if names else "no-rules")
        i = order[el]
        d.entries = [Entry(d, name, i, doc.subtree_end(el)) for name in names]
        directives.append(d)
    directives.extend(_comment_directives(doc, comments, n))
    directives.sort(key=lambda d: (d.line, order.get(d.anchor, -1)))
    return Suppressions(doc, directives)


def _comment_directives(doc: Document, comments: list[tuple[Any, int]], n: int) -> list[Directive]:
    elements, text = doc.elements, doc.text
    out: list[Directive] = []
    open_ranges: list[Entry] = []
    cursor = 0
    for node, p in comments:
        m = _DIRECTIVE.match(node.text or "")
        if m is None:
            continue
        kind = m.group(1).lower()
        body, _, reason = m.group(2).partition("--")
        names = _names(body)
        offset = text.find("<!--" + (node.text or ""), cursor)
        if offset >= 0:
            cursor = offset + 4
            line = doc.positions.line_col(offset)[0]
        else:
            line = doc.positions.line_for_lf_line(node.sourceline or 1)
        if kind == "enable":
            for e in list(open_ranges):
                if not names or e.name in names:
                    e.hi = p - 1
                    open_ranges.remove(e)
            continue
        parent = node.getparent()
        anchor = elements[p] if p < n else (parent if parent is not None else doc.root)
        d = Directive(kind, names, anchor, _clip(f"<!--{node.text}-->"), line, reason.strip())
        out.append(d)
        if kind not in COMMENT_KINDS:
            d.problem = "unknown-directive"
            continue
        if not names:
            d.problem = "no-rules"
            continue
        if kind == "disable-next":
            lo, hi = p, (doc.subtree_end(elements[p]) if p < n else p - 1)
        elif kind == "disable-block":
            lo, hi = p, (doc.subtree_end(parent) if parent is not None and isinstance(parent.tag, str) else n - 1)
        else:  # disable: open until a matching enable
            lo, hi = p, n - 1
        d.entries = [Entry(d, name, lo, hi) for name in names]
        if kind == "disable":
            open_ranges.extend(d.entries)
    return out


@dataclass(frozen=True)
class LedgerContext(Context):
    """The context the engine gives checks that run after the other rules (``unused-suppression``)."""

    ledger: Ledger | None = None


class Ledger:
    """Which directives hid findings, rule by rule, for one document.

    The engine passes every rule's results through :meth:`absorb` (which returns those to
    report). :meth:`ensure` runs, with default options, rules a directive names that have not
    been absorbed yet, so that a directive's verdict is the same whatever was selected.
    """

    def __init__(self, doc: Document, suppressions: Suppressions | None = None) -> None:
        self.doc = doc
        self.suppressions = suppressions if suppressions is not None else scan(doc)
        self.done: set[str] = set()
        self.used: set[Entry] = set()  # entries that hid at least one finding (compared by identity)
        self.suppressed = 0

    def absorb(self, rule: Rule, results: Iterable[Result]) -> list[Result]:
        """The results of ``rule`` that no directive covers; marks the directives that hid one."""
        self.done.add(rule.id)
        results = list(results)
        if not self.suppressions:
            return results
        kept: list[Result] = []
        for r in results:
            if r.outcome in REPORTED:
                hits = self.suppressions.covering(r.element, rule)
                if hits:
                    self.used.update(hits)
                    self.suppressed += 1
                    continue
            kept.append(r)
        return kept

    def ensure(self, rules: Iterable[Rule]) -> None:
        for rule in rules:
            if rule.id not in self.done and rule.id != SELF:
                self.absorb(rule, rule.check(self.doc, Context(rule, rule.resolve_options(None))))

    def is_used(self, entry: Entry) -> bool:
        return entry in self.used


def judge(doc: Document, ledger: Ledger, catalogue: dict[str, Rule]) -> Iterator[Result]:
    """One result per element that directives are reported on: ``failed`` with the most
    important problem of its directives, else ``passed``."""
    tags = {t for r in catalogue.values() for t in r.tags}
    problems: dict[Any, list[tuple[int, Directive, tuple[str, ...]]]] = {}
    anchors: list[_Element] = []
    for d in ledger.suppressions.directives:
        if d.anchor not in problems:
            problems[d.anchor] = []
            anchors.append(d.anchor)
        if d.problem == "unknown-directive":
            problems[d.anchor].append((0, d, ()))
            continue
        if d.problem == "no-rules":
            problems[d.anchor].append((1, d, ()))
            continue
        unknown = tuple(n for n in d.names if n != ALL and n not in catalogue and n not in tags)
        if unknown:
            problems[d.anchor].append((2, d, unknown))
            continue
        unused: list[str] = []
        for e in d.entries:
            targets = [r for r in catalogue.values() if e.matches(r) and r.id != SELF]
            if not targets:
                continue  # names only this rule: whether it hid one of our findings is not judged
            ledger.ensure(targets)
            if not ledger.is_used(e) and e.name not in unused:
                unused.append(e.name)
        if unused:
            problems[d.anchor].append((3, d, tuple(unused)))
    keys = ("unknown-directive", "no-rules", "unknown-rule", "unused")
    for anchor in sorted(anchors, key=lambda a: doc.order.get(a, -1)):
        found = problems[anchor]
        if not found:
            yield passed(anchor)
            continue
        top = min(p for p, _, _ in found)
        worst = [(d, names) for p, d, names in found if p == top]
        where = "; ".join(d.source for d, _ in worst)
        lines = ", ".join(dict.fromkeys(str(d.line) for d, _ in worst))
        names = ", ".join(dict.fromkeys(n for _, ns in worst for n in ns))
        fields: dict[str, Any] = {"where": where, "line": lines}
        if top >= 2:
            fields["names"] = names
        yield failed(anchor, keys[top], **fields)

