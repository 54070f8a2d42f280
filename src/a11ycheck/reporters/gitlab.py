"""GitLab Code Quality report (the merge request widget): a JSON array of issues with
``description``, ``check_name``, ``fingerprint`` (unique, stable across moved lines),
``severity`` (impact: minor -> minor, moderate -> major, serious -> critical,
critical -> blocker) and ``location.path`` + ``location.positions.begin/end``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ._common import GITLAB_SEVERITY, posix_path

if TYPE_CHECKING:
    from ..results import Report


def to_code_quality(report: Report) -> list[dict[str, Any]]:
    out = []
    for f in report.findings:
        review = " (needs review)" if f.outcome == "cant_tell" else ""
        end_line = f.end_line or f.line
        end_column = f.end_column if f.end_line else f.column
        out.append({
            "check_name": f.rule,
            "description": f"{f.rule}: {f.message}{review}",
            "severity": GITLAB_SEVERITY[f.impact],
            "fingerprint": f.fingerprint,
            "location": {
                "path": posix_path(f.path),
                "positions": {"begin": {"line": f.line, "column": f.column},
                              "end": {"line": end_line, "column": end_column}},
            },
        })
    return out


def render(report: Report, **_: object) -> str:
    return json.dumps(to_code_quality(report), indent=2, ensure_ascii=False) + "\n"
