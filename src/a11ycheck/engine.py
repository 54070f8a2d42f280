"""Run rules over a parsed document and turn check results into findings."""

from __future__ import annotations

import functools
import hashlib
import os
import posixpath
from dataclasses import dataclass
from typing import Any, Iterable

from .checks import Context, Result
from .document import Document, sanitize
from .registry import Rule
from .results import REPORTED, Finding

__all__ = ["DocumentOutcome", "RuleRun", "check_document", "evaluate", "fingerprint", "run_rules", "to_finding"]

_MAX_FIELD = 120


@dataclass(frozen=True)
class RuleRun:
    """A rule with its resolved options, ready to run on many documents."""

    rule: Rule
    options: dict[str, Any]


def _clip(value: Any) -> Any:
    if isinstance(value, str):
        value = " ".join(value.split()) if "\n" in value or "\t" in value else value
        if len(value) > _MAX_FIELD:
            return value[: _MAX_FIELD - 1] + "…"
    return value


def fingerprint_path(path: str, root: str | os.PathLike[str] | None = None) -> str:
    """The path as fingerprints see it: relative to ``root`` (the project: the configuration
    file's directory; default the current directory) when it lies below it, ``/`` separators,
    normalised. ``./site/a.html``, ``site//a.html`` and the absolute path all give
    ``site/a.html``, so a baseline does not depend on how or from where the files were named."""
    if path == "-":
        return path
    return _relative_path(path, os.fspath(root) if root is not None else os.getcwd())


@functools.lru_cache(maxsize=4096)
def _relative_path(path: str, base: str) -> str:
    # Cached: every finding of a page asks for the same path (the working directory is part of
    # the key, so a changed directory is never served a stale answer).
    try:
        rel = os.path.relpath(os.path.abspath(path), base)
    except ValueError:  # another drive
        rel = ".."
    if rel.startswith(".."):
        rel = path
    if os.sep != "/":
        rel = rel.replace(os.sep, "/")
    return posixpath.normpath(rel)


def fingerprint(rule: str, path: str, selector: str, snippet: str, root: str | os.PathLike[str] | None = None) -> str:
    """Stable across rebuilds that only move lines: rule + path + selector + normalised snippet."""
    norm = sanitize(snippet).lower()
    key = f"{rule}\x00{fingerprint_path(path, root)}\x00{selector}\x00{norm}"
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def evaluate(doc: Document, run: RuleRun) -> list[Result]:
    """Every result (passed included) of one rule on one document, in document order."""
    results = list(run.rule.check(doc, Context(run.rule, run.options)))
    results.sort(key=lambda r: doc.order.get(r.element, -1))
    return results


def to_finding(doc: Document, rule: Rule, result: Result) -> Finding:
    assert result.key is not None, f"{rule.id}: a {result.outcome} result needs a message key"
    data = {k: _clip(v) for k, v in result.data.items()}
    message = rule.message(result.outcome, result.key, data)
    line, column = doc.location(result.element)
    end_line, end_column = _start_tag_end(doc, result.element, line, column)
    selector = doc.selector(result.element)
    snippet = doc.snippet(result.element)
    return Finding(
        path=doc.path,
        rule=rule.id,
        outcome=result.outcome,
        impact=result.impact or rule.impact,
        wcag=rule.wcag,
        message=message,
        line=line,
        column=column,
        selector=selector,
        snippet=snippet,
        help=rule.data["help"],
        fingerprint=fingerprint(rule.id, doc.path, selector, snippet),
        fix=result.fix,
        end_line=end_line,
        end_column=end_column,
    )


def _start_tag_end(doc: Document, el: Any, line: int, column: int) -> tuple[int, int]:
    """Line and (exclusive) column just after the element's start tag in the source."""
    _, _, offset = doc.positions.locate(el)
    text = doc.positions.start_tag_text(el) if offset >= 0 else None
    if text is None:
        return line, column
    return doc.positions.line_col(offset + len(text))


@dataclass
class DocumentOutcome:
    findings: list[Finding]
    suppressed: int = 0


def check_document(doc: Document, runs: Iterable[RuleRun]) -> DocumentOutcome:
    """Run every rule on ``doc``; findings that an inline suppression covers are counted, not
    reported. Checks flagged ``after_other_rules`` (``unused-suppression``) run last and get
    the suppression ledger in their context."""
    from .suppress import Ledger, LedgerContext

    ledger = Ledger(doc)
    findings: list[Finding] = []
    ordered = sorted(runs, key=lambda r: bool(getattr(r.rule.check, "after_other_rules", False)))
    for run in ordered:
        if getattr(run.rule.check, "after_other_rules", False):
            ctx: Context = LedgerContext(run.rule, run.options, want_passes=False, ledger=ledger)
        else:
            ctx = Context(run.rule, run.options, want_passes=False)
        reported = [r for r in run.rule.check(doc, ctx) if r.outcome in REPORTED]
        for result in ledger.absorb(run.rule, reported):
            findings.append(to_finding(doc, run.rule, result))
    findings.sort(key=Finding.sort_key)
    return DocumentOutcome(findings, ledger.suppressed)


def run_rules(doc: Document, runs: Iterable[RuleRun]) -> list[Finding]:
    """The findings of ``runs`` on ``doc`` (inline suppressions applied), sorted."""
    return check_document(doc, runs).findings
