"""Reporters are pure functions ``Report -> str``. Adding a format is one module and one entry."""

from __future__ import annotations

from typing import Callable

from ..results import Report
from . import json as json_reporter
from . import text as text_reporter

Reporter = Callable[..., str]

REPORTERS: dict[str, Reporter] = {
    "text": text_reporter.render,
    "json": json_reporter.render,
}

__all__ = ["REPORTERS", "Report", "Reporter"]
