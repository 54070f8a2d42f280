"""SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer).

What GitHub needs is all there: ``version``/``$schema``, one run whose ``tool.driver`` lists
every rule that ran with ``shortDescription``, ``fullDescription``, ``help`` (text and
markdown), ``defaultConfiguration.level`` and tags; results with ``ruleId``/``ruleIndex``,
``level``, ``message.text``, a physical location (relative URI, region with start and end
line/column of the element's start tag, snippet) and ``partialFingerprints``.
``primaryLocationLineHash`` is our own fingerprint (rule + path + selector + snippet), so alerts
survive regenerated pages whose lines moved, and the upload action does not try to hash lines
of files that are not in the repository. Impact maps to level: critical and serious -> error,
moderate -> warning, minor -> note. No ``security-severity`` (that would make them security
alerts). Files that could not be checked are tool execution notifications. Deterministic.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .. import __version__
from ._common import SARIF_LEVEL, rule_url, rules_of, uri, wcag_line

if TYPE_CHECKING:
    from ..registry import Rule
    from ..results import Finding, Report

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_PROBLEM = {"critical": "error", "serious": "error", "moderate": "warning", "minor": "recommendation"}


def _clip(text: str, limit: int = 1024) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _descriptor(rule: Rule) -> dict[str, Any]:
    d = rule.data
    url = rule_url(rule)
    markdown = [f"**{d['title']}**", "", d["description"], "", f"**Why it matters:** {d['rationale']}", "",
                f"**How to fix:** {d['help']}", "", wcag_line(rule)]
    if d.get("differences"):
        markdown += ["", f"**Differences from axe-core:** {d['differences']}"]
    refs = d.get("references") or []
    if refs:
        markdown += ["", "References: " + ", ".join(f"[{r['title']}]({r['url']})" for r in refs)]
    tags: list[str] = []
    for t in ("accessibility", "a11y", *rule.tags, *(f"wcag{sc}" for sc in rule.wcag)):
        if t not in tags:
            tags.append(t)
    out: dict[str, Any] = {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": _clip(d["title"])},
        "fullDescription": {"text": _clip(d["description"])},
        "help": {"text": f"{d['help']}\n\n{wcag_line(rule)}", "markdown": "\n".join(markdown)},
        "defaultConfiguration": {"level": SARIF_LEVEL[rule.impact], "enabled": rule.enabled},
        "properties": {
            "tags": tags[:20],
            "precision": "high",
            "problem.severity": _PROBLEM[rule.impact],
            "impact": rule.impact,
            "wcag": list(rule.wcag),
            "level": d["level"],
        },
    }
    if url:
        out["helpUri"] = url
    return out


def _result(f: Finding, index: int) -> dict[str, Any]:
    end_line = f.end_line or f.line
    end_column = f.end_column if f.end_line else f.column + 1
    if end_line == f.line and end_column <= f.column:
        end_column = f.column + 1
    region: dict[str, Any] = {"startLine": f.line, "startColumn": f.column, "endLine": end_line,
                              "endColumn": end_column}
    if f.snippet:
        region["snippet"] = {"text": f.snippet}
    text = f.message + (" (needs review)" if f.outcome == "cant_tell" else "")
    return {
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": SARIF_LEVEL[f.impact],
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {"artifactLocation": {"uri": uri(f.path)}, "region": region},
            "logicalLocations": [{"fullyQualifiedName": f.selector, "kind": "element"}],
        }],
        "partialFingerprints": {"primaryLocationLineHash": f"{f.fingerprint}:1", "a11ycheck/v1": f.fingerprint},
        "properties": {"impact": f.impact, "outcome": f.outcome, "wcag": list(f.wcag), "selector": f.selector},
    }


def to_sarif(report: Report, *, rules: dict[str, Rule] | None = None) -> dict[str, Any]:
    described = rules_of(report, rules)
    index = {r.id: i for i, r in enumerate(described)}
    notifications = [{
        "level": "error",
        "message": {"text": f"{e.path}: {e.kind}: {e.message}"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(e.path)}}}],
        "descriptor": {"id": e.kind},
    } for e in report.errors]
    invocation: dict[str, Any] = {"executionSuccessful": not report.errors}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "a11ycheck",
            "semanticVersion": __version__,
            "version": __version__,
            "rules": [_descriptor(r) for r in described],
        }},
        "automationDetails": {"id": "a11ycheck/"},
        "columnKind": "unicodeCodePoints",
        "invocations": [invocation],
        "results": [_result(f, index[f.rule]) for f in report.findings if f.rule in index],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report, *, rules: dict[str, Rule] | None = None, **_: object) -> str:
    return json.dumps(to_sarif(report, rules=rules), indent=2, ensure_ascii=False) + "\n"
