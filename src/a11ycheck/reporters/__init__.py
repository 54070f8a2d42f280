"""Reporters are pure functions ``Report -> str``. Adding a format is one module and one entry."""

from __future__ import annotations

from typing import Callable

from ..results import Report
from . import github, gitlab, junit, sarif
from . import json as json_reporter
from . import text as text_reporter

Reporter = Callable[..., str]

#: Every reporter accepts keyword arguments it may ignore: ``color`` (text), ``rules`` (the
#: catalogue, for rule metadata), ``fail_on`` (JUnit), ``step_summary`` (GitHub).
REPORTERS: dict[str, Reporter] = {
    "text": text_reporter.render,
    "json": json_reporter.render,
    "sarif": sarif.render,
    "github": github.render,
    "junit": junit.render,
    "gitlab": gitlab.render,
}

__all__ = ["REPORTERS", "Report", "Reporter"]
