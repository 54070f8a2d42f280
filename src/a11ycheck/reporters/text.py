"""Text report: ``path:line:col: rule-id message`` per finding, then one summary line."""

from __future__ import annotations

from ..results import Report
from ._common import summary_sentence

_IMPACT_COLOUR = {"critical": "\x1b[1;31m", "serious": "\x1b[31m", "moderate": "\x1b[33m", "minor": "\x1b[36m"}
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_RESET = "\x1b[0m"


def render(report: Report, *, color: bool = False, **_: object) -> str:
    lines = []
    for fr in report.files:
        for f in fr.findings:
            review = " (needs review)" if f.outcome == "cant_tell" else ""
            if color:
                c = _IMPACT_COLOUR.get(f.impact, "")
                lines.append(f"{_BOLD}{f.path}:{f.line}:{f.column}:{_RESET} {c}{f.rule}{_RESET} {f.message}{_DIM}{review}{_RESET}")
            else:
                lines.append(f"{f.path}:{f.line}:{f.column}: {f.rule} {f.message}{review}")
    lines.append(summary_sentence(report) + ".")
    return "\n".join(lines) + "\n"


def statistics(report: Report, rules: dict | None = None) -> list[dict]:
    """Findings per rule, most frequent first: ``[{rule, count, impact, title}]``."""
    from collections import Counter

    from ._common import catalogue

    cat = catalogue(rules)
    counts = Counter(f.rule for f in report.findings)
    rows = []
    for rule_id, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        rule = cat.get(rule_id)
        rows.append({"rule": rule_id, "count": count, "impact": rule.impact if rule else "",
                     "title": rule.data["title"] if rule else ""})
    return rows


def render_statistics(report: Report, *, rules: dict | None = None, **_: object) -> str:
    """``--statistics``: one line per rule (count, id, impact, title), then the summary line."""
    rows = statistics(report, rules)
    lines = []
    if rows:
        cw = max(len(str(r["count"])) for r in rows)
        iw = max(len(r["rule"]) for r in rows)
        lines = [f"{r['count']:>{cw}}  {r['rule']:<{iw}}  {r['impact']:<8}  {r['title']}".rstrip() for r in rows]
    summary = render(report).splitlines()[-1]
    return "\n".join([*lines, summary]) + "\n"
