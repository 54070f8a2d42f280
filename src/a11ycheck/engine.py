"""Run rules over a parsed document and turn check results into findings."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Iterable

from .checks import Context, Result
from .document import Document, sanitize
from .registry import Rule
from .results import REPORTED, Finding

__all__ = ["RuleRun", "evaluate", "run_rules", "fingerprint"]

_MAX_FIELD = 120


@dataclass(frozen=True)
class RuleRun:
    """A rule with its resolved options, ready to run on many documents."""

    rule: Rule
    options: dict[str, Any]


def _clip(value: Any) -> Any:
    if isinstance(value, str):
        value = " ".join(value.split()) if "\n" in value or "\t" in value else value
        if len(value) > _MAX_FIELD:
            return value[: _MAX_FIELD - 1] + "…"
    return value


def fingerprint(rule: str, path: str, selector: str, snippet: str) -> str:
    """Stable across rebuilds that only move lines: rule + path + selector + normalised snippet."""
    norm = sanitize(snippet).lower()
    return hashlib.sha1(f"{rule}\x00{path}\x00{selector}\x00{norm}".encode("utf-8", "surrogatepass")).hexdigest()[:20]


def evaluate(doc: Document, run: RuleRun) -> list[Result]:
    """Every result (passed included) of one rule on one document, in document order."""
    results = list(run.rule.check(doc, Context(run.rule, run.options)))
    results.sort(key=lambda r: doc.order.get(r.element, -1))
    return results


def to_finding(doc: Document, rule: Rule, result: Result) -> Finding:
    assert result.key is not None, f"{rule.id}: a {result.outcome} result needs a message key"
    data = {k: _clip(v) for k, v in result.data.items()}
    message = rule.message(result.outcome, result.key, data)
    line, column = doc.location(result.element)
    selector = doc.selector(result.element)
    snippet = doc.snippet(result.element)
    return Finding(
        path=doc.path,
        rule=rule.id,
        outcome=result.outcome,
        impact=result.impact or rule.impact,
        wcag=rule.wcag,
        message=message,
        line=line,
        column=column,
        selector=selector,
        snippet=snippet,
        help=rule.data["help"],
        fingerprint=fingerprint(rule.id, doc.path, selector, snippet),
        fix=result.fix,
    )


def run_rules(doc: Document, runs: Iterable[RuleRun]) -> list[Finding]:
    findings: list[Finding] = []
    for run in runs:
        for result in run.rule.check(doc, Context(run.rule, run.options)):
            if result.outcome in REPORTED:
                findings.append(to_finding(doc, run.rule, result))
    findings.sort(key=Finding.sort_key)
    return findings
