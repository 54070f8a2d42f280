"""JSON report (validated by ``schemas/report.schema.json``). Deterministic: sorted, no timestamps."""

from __future__ import annotations

import json

from ..results import Report


def render(report: Report, **_: object) -> str:
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"
