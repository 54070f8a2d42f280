"""Checking pages: path discovery, per-file checks with tool errors kept apart, the report."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from . import __version__
from .document import InputError, parse_document
from .engine import RuleRun, run_rules
from .registry import Rule, load_rules
from .results import FileResult, Report, ToolError

__all__ = ["DEFAULT_MAX_BYTES", "SelectionError", "check_bytes", "check_paths", "collect_paths", "select_rules"]

#: Inputs larger than this are reported as ``too-large`` instead of being parsed (50 MB: ten
#: times the largest real article page seen; a libxml2 tree costs roughly 10-20x the input size).
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
HTML_SUFFIXES = (".html", ".htm")
_SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", ".tox"})


class SelectionError(ValueError):
    """A rule selector that names no rule and no family."""


def select_rules(rules: dict[str, Rule], select: Sequence[str] | None = None, ignore: Sequence[str] = (),
                 extend_select: Sequence[str] = ()) -> list[Rule]:
    """Resolve selectors (rule ids, family tags, ``ALL``) to the rules to run, sorted by id.

    Without ``select`` the rules enabled by default run; ``select`` replaces that set (and may
    name rules that are off by default), ``extend_select`` adds to it, ``ignore`` removes.
    """

    def expand(selectors: Iterable[str]) -> set[str]:
        out: set[str] = set()
        for sel in selectors:
            sel = sel.strip()
            if not sel:
                continue
            if sel == "ALL":
                out |= set(rules)
            elif sel in rules:
                out.add(sel)
            else:
                fam = {r.id for r in rules.values() if sel in r.tags}
                if not fam:
                    raise SelectionError(f"unknown rule or family: {sel!r}")
                out |= fam
        return out

    if select is None:
        chosen = {r.id for r in rules.values() if r.enabled}
    else:
        chosen = expand(select)
        # A family selector turns on the family's default rules; off-by-default rules need their id.
        explicit = {s.strip() for s in select}
        chosen = {i for i in chosen if rules[i].enabled or i in explicit or "ALL" in explicit}
    chosen |= expand(extend_select)
    chosen -= expand(ignore)
    return [rules[i] for i in sorted(chosen)]


def make_runs(rules: Iterable[Rule], options: dict[str, dict[str, Any]] | None = None) -> list[RuleRun]:
    options = options or {}
    return [RuleRun(r, r.resolve_options(options.get(r.id))) for r in rules]


@dataclass
class CheckOutcome:
    result: FileResult | None
    errors: list[ToolError] = field(default_factory=list)


def check_bytes(data: bytes, path: str = "-", runs: list[RuleRun] | None = None, *, css_cache: Any = None,
                page_path: Path | None = None) -> CheckOutcome:
    """Check one page given as bytes. Input problems become tool errors, never exceptions."""
    if runs is None:
        runs = make_runs(select_rules(load_rules()))
    try:
        doc = parse_document(data, path, css_cache=css_cache, page_path=page_path)
    except InputError as exc:
        return CheckOutcome(None, [ToolError(path, exc.kind, exc.message)])
    errors: list[ToolError] = []
    if doc.depth_limit_line is not None:
        errors.append(ToolError(
            path, "too-deeply-nested",
            f"elements are nested deeper than 2048 levels; content after line {doc.depth_limit_line} was not parsed "
            "and not checked",
        ))
    try:
        findings = run_rules(doc, runs)
    except Exception as exc:  # a bug must not lose the other files; report it as a tool error
        return CheckOutcome(None, [*errors, ToolError(path, "internal-error", f"{type(exc).__name__}: {exc}")])
    return CheckOutcome(FileResult(path, doc.encoding, findings, list(doc.notes)), errors)


def check_file(path: str, runs: list[RuleRun], *, max_bytes: int = DEFAULT_MAX_BYTES, css_cache: Any = None) -> CheckOutcome:
    if path == "-":
        import sys

        data = sys.stdin.buffer.read(max_bytes + 1)
        page = None
    else:
        page = Path(path)
        try:
            size = page.stat().st_size
            if size > max_bytes:
                return CheckOutcome(None, [ToolError(
                    path, "too-large", f"{size:,} bytes is over the {max_bytes:,}-byte limit (--max-bytes)")])
            with open(page, "rb") as fh:
                data = fh.read(max_bytes + 1)
        except FileNotFoundError:
            return CheckOutcome(None, [ToolError(path, "not-found", "no such file")])
        except IsADirectoryError:
            return CheckOutcome(None, [ToolError(path, "unreadable", "is a directory")])
        except OSError as exc:
            return CheckOutcome(None, [ToolError(path, "unreadable", exc.strerror or str(exc))])
    if len(data) > max_bytes:
        return CheckOutcome(None, [ToolError(path, "too-large", f"over the {max_bytes:,}-byte limit (--max-bytes)")])
    return check_bytes(data, path, runs, css_cache=css_cache, page_path=page)


def collect_paths(paths: Sequence[str]) -> tuple[list[str], list[ToolError]]:
    """Expand directories to their ``*.html``/``*.htm`` files (sorted, recursively, skipping VCS
    and dependency folders). Missing paths and directories without HTML are tool errors."""
    files: list[str] = []
    errors: list[ToolError] = []
    seen: set[str] = set()
    for p in paths:
        if p == "-":
            files.append(p)
            continue
        if os.path.isdir(p):
            found = []
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
                found.extend(os.path.join(dirpath, f) for f in filenames if f.lower().endswith(HTML_SUFFIXES))
            if not found:
                errors.append(ToolError(p, "no-html", "directory contains no .html or .htm files"))
            for f in sorted(found):
                if f not in seen:
                    seen.add(f)
                    files.append(f)
        elif os.path.exists(p):
            if p not in seen:
                seen.add(p)
                files.append(p)
        else:
            errors.append(ToolError(p, "not-found", "no such file or directory"))
    return files, errors


def check_paths(paths: Sequence[str], runs: list[RuleRun] | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES,
                css_cache: Any = None) -> Report:
    """Check files and directories serially and build the (sorted) report."""
    if runs is None:
        runs = make_runs(select_rules(load_rules()))
    files, errors = collect_paths(paths)
    report = Report(__version__, errors=list(errors))
    for path in files:
        outcome = check_file(path, runs, max_bytes=max_bytes, css_cache=css_cache)
        if outcome.result is not None:
            report.files.append(outcome.result)
        report.errors.extend(outcome.errors)
    report.sort()
    return report
