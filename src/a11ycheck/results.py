"""Plain data passed from the engine to reporters: findings, tool errors, the report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

IMPACTS = ("minor", "moderate", "serious", "critical")
IMPACT_RANK = {impact: rank for rank, impact in enumerate(IMPACTS)}
OUTCOMES = ("passed", "failed", "cant_tell", "inapplicable")
REPORTED = ("failed", "cant_tell")


@dataclass(frozen=True)
class Finding:
    """One reported result (outcome ``failed`` or ``cant_tell``) of one rule on one element."""

    path: str
    rule: str
    outcome: str
    impact: str
    wcag: tuple[str, ...]
    message: str
    line: int
    column: int
    selector: str
    snippet: str
    help: str
    fingerprint: str
    fix: dict[str, Any] | None = None
    #: Where the start tag ends (exclusive column), for formats that show a range (SARIF,
    #: GitHub annotations). Not part of the JSON report; equal to ``line``/``column`` when unknown.
    end_line: int = 0
    end_column: int = 0

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.rule, self.selector, self.message)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "outcome": self.outcome,
            "impact": self.impact,
            "wcag": list(self.wcag),
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "selector": self.selector,
            "snippet": self.snippet,
            "help": self.help,
            "fingerprint": self.fingerprint,
        }
        if self.fix is not None:
            out["fix"] = self.fix
        return out


@dataclass(frozen=True)
class ToolError:
    """An input that could not be (fully) checked. Never mixed with findings."""

    path: str
    kind: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"path": self.path, "kind": self.kind, "message": self.message}


@dataclass
class FileResult:
    path: str
    encoding: str
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: findings hidden by inline suppressions (``data-a11ycheck-ignore``, comments); not listed
    suppressed: int = 0

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path,
            "encoding": self.encoding,
            "findings": [f.to_json() for f in self.findings],
        }
        if self.notes:
            out["notes"] = list(self.notes)
        return out


@dataclass
class Report:
    tool_version: str
    files: list[FileResult] = field(default_factory=list)
    errors: list[ToolError] = field(default_factory=list)
    #: ids of the rules that ran (reporters that describe rules, e.g. SARIF and JUnit, list them)
    rules: tuple[str, ...] = ()
    #: findings left out because their fingerprint is in the baseline; None when no baseline was used
    baselined: int | None = None

    def sort(self) -> None:
        self.files.sort(key=lambda f: f.path)
        for f in self.files:
            f.findings.sort(key=Finding.sort_key)
        self.errors.sort(key=lambda e: (e.path, e.kind, e.message))

    @property
    def findings(self) -> list[Finding]:
        return [f for fr in self.files for f in fr.findings]

    @property
    def suppressed(self) -> int:
        return sum(fr.suppressed for fr in self.files)

    def failing(self, fail_on: str = "minor") -> list[Finding]:
        """The findings whose impact is at or above ``fail_on`` (they make the run exit 1)."""
        floor = IMPACT_RANK[fail_on]
        return [f for f in self.findings if IMPACT_RANK[f.impact] >= floor]

    def summary(self) -> dict[str, Any]:
        findings = self.findings
        by_rule = Counter(f.rule for f in findings)
        by_impact = Counter(f.impact for f in findings)
        by_outcome = Counter(f.outcome for f in findings)
        out: dict[str, Any] = {
            "files": len(self.files),
            "findings": len(findings),
            "errors": len(self.errors),
            "by_rule": dict(sorted(by_rule.items())),
            "by_impact": {k: by_impact[k] for k in IMPACTS if by_impact[k]},
            "by_outcome": {k: by_outcome[k] for k in REPORTED if by_outcome[k]},
        }
        suppressed = self.suppressed
        if suppressed:
            out["suppressed"] = suppressed
        if self.baselined is not None:
            out["baselined"] = self.baselined
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "tool": {"name": "a11ycheck", "version": self.tool_version},
            "summary": self.summary(),
            "files": [f.to_json() for f in self.files],
            "errors": [e.to_json() for e in self.errors],
        }
