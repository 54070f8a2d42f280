"""GitHub Actions workflow commands: one annotation per finding, within GitHub's limits.

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step, so the most
severe findings are annotated (files that could not be checked first, then by impact), and one
closing ``::notice`` says how many findings there are and how many were not annotated. The full
list goes to the job summary (:func:`step_summary`, written by the command line to
``$GITHUB_STEP_SUMMARY``, at most 1 MiB). Shape as ruff's:
``::error title=a11ycheck (rule),file=…,line=…,col=…,endLine=…,endColumn=…::path:line:col: rule message``;
``col``/``endColumn`` are left out when the range spans lines. Escaping as GitHub's runner
expects: ``%``, CR and LF in messages; also ``:`` and ``,`` in property values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..results import IMPACT_RANK
from ._common import GITHUB_LEVEL, plural, posix_path, summary_sentence

if TYPE_CHECKING:
    from ..results import Finding, Report

#: annotations GitHub displays per step and level
LIMITS = {"error": 10, "warning": 10, "notice": 10}
#: the job summary limit per step (1 MiB), with room for the closing note
SUMMARY_LIMIT = 1024 * 1024 - 4096


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **props: object) -> str:
    inner = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v is not None)
    return f"::{level} {inner}::{escape_data(message)}" if inner else f"::{level}::{escape_data(message)}"


def _annotation(f: Finding) -> str:
    level = GITHUB_LEVEL[f.impact]
    end_line = f.end_line or f.line
    same = end_line == f.line
    review = " (needs review)" if f.outcome == "cant_tell" else ""
    return command(
        level,
        f"{posix_path(f.path)}:{f.line}:{f.column}: {f.rule} {f.message}{review}",
        title=f"a11ycheck ({f.rule})",
        file=posix_path(f.path),
        line=f.line,
        col=f.column if same else None,
        endLine=end_line,
        endColumn=(f.end_column if same and f.end_column > f.column else None),
    )


def _severity_key(f: Finding) -> tuple:
    return (-IMPACT_RANK[f.impact], f.outcome != "failed", *f.sort_key())


def render(report: Report, *, step_summary: bool = False, **_: object) -> str:
    budget = dict(LIMITS)
    budget["notice"] -= 1  # kept for the closing summary notice
    lines: list[str] = []
    for e in report.errors:
        if budget["error"] > 0:
            budget["error"] -= 1
            lines.append(command("error", f"{posix_path(e.path)}: {e.kind}: {e.message}",
                                 title=f"a11ycheck ({e.kind})", file=posix_path(e.path)))
    findings = report.findings
    shown = 0
    for f in sorted(findings, key=_severity_key):
        level = GITHUB_LEVEL[f.impact]
        if budget[level] > 0:
            budget[level] -= 1
            lines.append(_annotation(f))
            shown += 1
    summary = summary_sentence(report)
    hidden = len(findings) - shown
    if hidden:
        summary += (f". {shown} shown as annotations, {hidden} not shown (GitHub shows at most 10 errors, "
                    f"10 warnings and 10 notices per step)")
        summary += ": the job summary lists all" if step_summary else ": run with --format text to see all"
    lines.append(command("notice", summary + ".", title="a11ycheck"))
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("\r", " ")


def step_summary(report: Report, limit: int = SUMMARY_LIMIT) -> str:
    """Markdown for ``$GITHUB_STEP_SUMMARY``: every finding in a table, cut to ``limit`` bytes."""
    findings = report.findings
    head = [f"## a11ycheck: {plural(len(findings), 'finding')} in {plural(len(report.files), 'file')}", ""]
    if report.errors:
        head += ["Files that could not be checked:", ""]
        head += [f"- `{_cell(posix_path(e.path))}`: {e.kind}: {_cell(e.message)}" for e in report.errors]
        head.append("")
    if not findings:
        return "\n".join(head) + "\nNo findings.\n"
    head += ["| Location | Rule | Impact | Message |", "|---|---|---|---|"]
    out = "\n".join(head) + "\n"
    size = len(out.encode("utf-8"))
    for i, f in enumerate(findings):
        review = " (needs review)" if f.outcome == "cant_tell" else ""
        row = (f"| `{_cell(posix_path(f.path))}:{f.line}:{f.column}` | `{f.rule}` | {f.impact} | "
               f"{_cell(f.message)}{review} |\n")
        n = len(row.encode("utf-8"))
        if size + n > limit:
            out += f"\n{len(findings) - i} more findings not listed (GitHub limits a step summary to 1 MiB).\n"
            break
        out += row
        size += n
    return out
