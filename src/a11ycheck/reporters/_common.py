"""Helpers shared by the CI formats: rule metadata, impact mappings, paths as URIs."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from ..registry import Rule
    from ..results import Report

#: impact -> SARIF level / GitHub annotation command (GitHub shows error, warning and notice)
SARIF_LEVEL = {"critical": "error", "serious": "error", "moderate": "warning", "minor": "note"}
GITHUB_LEVEL = {"critical": "error", "serious": "error", "moderate": "warning", "minor": "notice"}
#: impact -> GitLab Code Quality severity (info, minor, major, critical, blocker)
GITLAB_SEVERITY = {"critical": "blocker", "serious": "critical", "moderate": "major", "minor": "minor"}

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def catalogue(rules: dict[str, Rule] | None) -> dict[str, Rule]:
    if rules is not None:
        return rules
    from ..registry import load_rules

    return load_rules()


def rules_of(report: Report, rules: dict[str, Rule] | None) -> list[Rule]:
    """The rules a report describes: those that ran, plus any that reported, sorted by id."""
    cat = catalogue(rules)
    ids = set(report.rules) | {f.rule for f in report.findings}
    return [cat[i] for i in sorted(ids) if i in cat]


def posix_path(path: str) -> str:
    """Display path with ``/`` separators (what CI systems match against the repository)."""
    if path == "-":
        return path
    p = path.replace(os.sep, "/") if os.sep != "/" else path
    while p.startswith("./"):
        p = p[2:]
    return p


def uri(path: str) -> str:
    """A URI reference for a path: relative paths stay relative (resolved against the
    repository root by code scanning), absolute ones become ``file://`` URIs."""
    if path != "-" and os.path.isabs(path):
        return Path(path).resolve().as_uri()
    return quote(posix_path(path), safe="/:@!$&'()*+,;=-._~")


def xml_text(value: Any) -> str:
    """Text safe for XML 1.0 (control characters and lone surrogates become U+FFFD)."""
    return _XML_BAD.sub("\ufffd", str(value))


def wcag_line(rule: Rule) -> str:
    from ..registry import wcag_table

    table = wcag_table()
    if not rule.wcag:
        return "WCAG: best practice (no success criterion)"
    return "WCAG " + ", ".join(f"{sc} {table[sc]['title']} ({table[sc]['level']})" if sc in table else sc
                               for sc in rule.wcag)


def rule_url(rule: Rule) -> str | None:
    refs = rule.data.get("references") or []
    return refs[0]["url"] if refs else None


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def summary_sentence(report: Report) -> str:
    """The run summary shared by the text and GitHub formats (without the final full stop)."""
    findings = report.findings
    failed = sum(1 for f in findings if f.outcome == "failed")
    summary = (f"Found {plural(len(findings), 'finding')} ({failed} failed, {len(findings) - failed} to review) "
               f"in {plural(len(report.files), 'file')}")
    if report.errors:
        summary += f"; {plural(len(report.errors), 'file')} could not be fully checked"
    if report.suppressed:
        summary += f"; {report.suppressed} suppressed inline"
    if report.baselined is not None:
        summary += f"; {report.baselined} in the baseline"
    return summary
