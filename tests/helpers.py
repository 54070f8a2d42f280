"""Test helpers: parse a snippet, resolve CSS selectors, run one rule on HTML."""

from __future__ import annotations

import sys
from typing import Any, Callable

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


def work(fn: Callable[[], Any]) -> int:
    """A deterministic measure of the work ``fn()`` does: the Python lines it executes plus the
    calls it makes (C functions included), counted with a trace hook. Tests compare it across
    input sizes to prove a walk is linear without timing anything (a timed test is flaky and
    says nothing on a fast machine). Work done inside one C call (``x in some_list``) counts
    once, so this catches Python-level quadratic walks, not C-level ones."""
    count = 0

    def tracer(frame, event, arg):  # noqa: ANN001
        nonlocal count
        count += 1
        return tracer

    def profiler(frame, event, arg):  # noqa: ANN001
        nonlocal count
        if event == "c_call":
            count += 1

    saved = sys.gettrace(), sys.getprofile()  # a coverage tool's hooks are put back
    sys.settrace(tracer)
    sys.setprofile(profiler)
    try:
        fn()
    finally:
        sys.settrace(saved[0])
        sys.setprofile(saved[1])
    return count


def assert_linear(make: Callable[[int], Callable[[], Any]], n: int, slack: float = 2.5) -> None:
    """``make(size)`` prepares an input of ``size`` units and returns the call to measure: doubling
    the size must at most about double the work (a quadratic walk quadruples it)."""
    make(n)()  # untraced warm-up: one-time work (imports, compiled patterns, caches) is not the input's
    small, large = work(make(n)), work(make(2 * n))
    assert large <= slack * small, f"work grew {large / small:.2f}x for 2x the input ({small} -> {large})"
