"""Test helpers: parse a snippet, resolve CSS selectors, run one rule on HTML."""

from __future__ import annotations

from typing import Any

from lxml.cssselect import CSSSelector

from a11ycheck.document import Document, parse_document
from a11ycheck.engine import RuleRun, evaluate, to_finding
from a11ycheck.registry import Rule, load_rules


def doc_of(html: str | bytes, path: str = "test.html") -> Document:
    return parse_document(html.encode("utf-8") if isinstance(html, str) else html, path)


def select_all(doc: Document, selector: str) -> list:
    sel = CSSSelector(selector)
    out = []
    for top in doc.roots:
        out.extend(sel(top))
    return out


def select_one(doc: Document, selector: str):
    found = select_all(doc, selector)
    assert len(found) == 1, f"selector {selector!r} matches {len(found)} elements, expected exactly 1"
    return found[0]


def rule(rule_id: str) -> Rule:
    return load_rules()[rule_id]


def run_rule(rule_id: str, html: str, options: dict[str, Any] | None = None) -> tuple[Document, list]:
    r = rule(rule_id)
    doc = doc_of(html)
    results = evaluate(doc, RuleRun(r, r.resolve_options(options)))
    for res in results:  # every reported result must render its message
        if res.outcome != "passed":
            to_finding(doc, r, res)
    return doc, results


def outcomes(rule_id: str, html: str, options: dict[str, Any] | None = None) -> dict[str, list[tuple[str, str | None]]]:
    """{outcome: [(selector, key)]} for one rule on one snippet, selectors from the model."""
    doc, results = run_rule(rule_id, html, options)
    out: dict[str, list[tuple[str, str | None]]] = {}
    for res in results:
        out.setdefault(res.outcome, []).append((doc.selector(res.element), res.key))
    return out
