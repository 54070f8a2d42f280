"""Check functions, one per rule, registered by id with :func:`check`.

A check is ``def my_rule(doc: Document, ctx: Context) -> Iterable[Result]``: it yields one
:class:`Result` per applicable element (``passed``, ``failed`` or ``cant_tell``, with a message
key from the rule's JSON and the fields its template needs). Elements it yields nothing for are
inapplicable. Checks read the shared document model and never print or do I/O.

Every module in this package is imported, so adding a rule family is adding a module.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable

if TYPE_CHECKING:
    from lxml.etree import _Element

    from ..document import Document
    from ..registry import Rule

__all__ = ["CHECKS", "Context", "Result", "cant_tell", "check", "failed", "is_consent_notice", "passed"]

CheckFn = Callable[["Document", "Context"], Iterable["Result"]]
CHECKS: dict[str, CheckFn] = {}


@dataclass(frozen=True)
class Result:
    element: _Element
    outcome: str  # "passed" | "failed" | "cant_tell"
    key: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    impact: str | None = None  # overrides the rule's impact for this finding
    fix: dict[str, Any] | None = None


def passed(element: _Element) -> Result:
    return Result(element, "passed")


def failed(element: _Element, key: str, *, impact: str | None = None, fix: dict[str, Any] | None = None,
           **data: Any) -> Result:
    return Result(element, "failed", key, data, impact, fix)


def cant_tell(element: _Element, key: str, *, impact: str | None = None, fix: dict[str, Any] | None = None,
              **data: Any) -> Result:
    return Result(element, "cant_tell", key, data, impact, fix)


@dataclass(frozen=True)
class Context:
    rule: Rule
    options: dict[str, Any]
    #: False when the caller keeps only failed and cant_tell results (the engine's normal run):
    #: a check may then skip work whose only product is ``passed`` results. Tests and
    #: :func:`a11ycheck.engine.evaluate` leave it True and see every result.
    want_passes: bool = True


# Consent and cookie notices are rarely marked up as dialogs or landmarks; the words their ids
# and classes carry on news sites (".cookie__wrap", "#consent-banner", ".gdpr-notice").
_CONSENT_WORDS = re.compile(r"cookie|consent|gdpr", re.I)


def is_consent_notice(doc: Document, el: _Element) -> bool:
    """Whether the element is a cookie or consent notice: its id or class says so, it holds no
    landmark, and it is not ``<html>`` or ``<body>`` (a page wrapper with a "cookies-accepted"
    class is no notice). A heuristic: region words its advice with it, and skip-link-first
    passes over the Tab stops inside (which changes which Tab stop it judges first)."""
    if el.tag in ("html", "body"):
        return False
    marks = el.get("id"), el.get("class")
    return any(m and _CONSENT_WORDS.search(m) for m in marks) and not doc.holds_landmark(el)


def check(rule_id: str) -> Callable[[CheckFn], CheckFn]:
    def register(fn: CheckFn) -> CheckFn:
        if rule_id in CHECKS:
            raise RuntimeError(f"two check functions for rule {rule_id}")
        CHECKS[rule_id] = fn
        return fn

    return register


for _mod in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_mod}")
