"""Checking pages: path discovery, per-file checks with tool errors kept apart, the report."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from . import __version__
from .config import ConfigError, GlobSet, Layer, resolve_selection
from .document import InputError, parse_document
from .document.parse import MAX_ELEMENTS
from .engine import RuleRun, check_document, fingerprint, fingerprint_path
from .registry import Rule, find_rules_dir, load_rules
from .results import FileResult, Finding, Report, ToolError

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_MAX_ELEMENTS", "BaselineError", "SelectionError", "apply_baseline", "check_bytes", "check_paths",
           "collect_paths", "load_baseline", "make_runs", "select_rules", "write_baseline"]

#: Inputs larger than this are reported as ``too-large`` instead of being parsed (50 MB: ten
#: times the largest real article page seen; a libxml2 tree costs roughly 10-20x the input size).
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
#: Inputs with more start tags than this are reported as ``too-large`` (see
#: :mod:`a11ycheck.document.parse`: each element costs about 500 bytes of memory).
DEFAULT_MAX_ELEMENTS = MAX_ELEMENTS
HTML_SUFFIXES = (".html", ".htm")
_SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", ".tox"})


class SelectionError(ConfigError):
    """A rule selector that names no rule and no family."""


def select_rules(rules: dict[str, Rule], select: Sequence[str] | None = None, ignore: Sequence[str] = (),
                 extend_select: Sequence[str] = ()) -> list[Rule]:
    """Resolve selectors (rule ids, family tags, ``ALL``) to the rules to run, sorted by id.

    Without ``select`` the rules enabled by default run; ``select`` replaces that set (and may
    name rules that are off by default), ``extend_select`` adds to it, ``ignore`` removes.
    (:func:`a11ycheck.config.resolve_selection` does the same for several layers: the
    configuration file, then the command line.)
    """
    try:
        return resolve_selection(rules, [Layer(None if select is None else list(select), list(extend_select),
                                               list(ignore))])
    except ConfigError as exc:
        raise SelectionError(str(exc)) from None


def make_runs(rules: Iterable[Rule], options: dict[str, dict[str, Any]] | None = None) -> list[RuleRun]:
    options = options or {}
    return [RuleRun(r, r.resolve_options(options.get(r.id))) for r in rules]


@dataclass
class CheckOutcome:
    result: FileResult | None
    errors: list[ToolError] = field(default_factory=list)


def check_bytes(data: bytes, path: str = "-", runs: list[RuleRun] | None = None, *, css_cache: Any = None,
                page_path: Path | None = None, max_elements: int = DEFAULT_MAX_ELEMENTS) -> CheckOutcome:
    """Check one page given as bytes. Input problems become tool errors, never exceptions."""
    if runs is None:
        runs = make_runs(select_rules(load_rules()))
    try:
        doc = parse_document(data, path, css_cache=css_cache, page_path=page_path, max_elements=max_elements)
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
        outcome = check_document(doc, runs)
    except Exception as exc:  # a bug must not lose the other files; report it as a tool error
        return CheckOutcome(None, [*errors, ToolError(path, "internal-error", f"{type(exc).__name__}: {exc}")])
    return CheckOutcome(FileResult(path, doc.encoding, outcome.findings, list(doc.notes), outcome.suppressed), errors)


def check_file(path: str, runs: list[RuleRun], *, max_bytes: int = DEFAULT_MAX_BYTES, css_cache: Any = None,
               stdin_filename: str | None = None, max_elements: int = DEFAULT_MAX_ELEMENTS) -> CheckOutcome:
    if path == "-":
        import sys

        data = sys.stdin.buffer.read(max_bytes + 1)
        page = None
        path = stdin_filename or "-"
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
    return check_bytes(data, path, runs, css_cache=css_cache, page_path=page, max_elements=max_elements)


def collect_paths(paths: Sequence[str], *, exclude: GlobSet | None = None,
                  force_exclude: bool = False) -> tuple[list[str], list[ToolError]]:
    """Expand directories to their ``*.html``/``*.htm`` files (sorted, recursively, skipping VCS
    and dependency folders). Missing paths and directories without HTML are tool errors.

    ``exclude`` drops files and prunes directories found while walking; paths named explicitly
    are kept unless ``force_exclude`` (what the pre-commit hook passes, since pre-commit names
    every staged file)."""
    files: list[str] = []
    errors: list[ToolError] = []
    seen: set[str] = set()
    skip = exclude if exclude else None

    def add(f: str) -> None:
        if f not in seen:
            seen.add(f)
            files.append(f)

    for p in paths:
        if p == "-":
            files.append(p)
            continue
        if os.path.isdir(p):
            if skip is not None and force_exclude and skip.match(p):
                continue
            found = []
            any_html = False  # an excluded file or directory is not "no HTML here"
            for dirpath, dirnames, filenames in os.walk(p):
                kept_dirs = sorted(d for d in dirnames if d not in _SKIP_DIRS)
                if skip is not None:
                    pruned = [d for d in kept_dirs if skip.match(os.path.join(dirpath, d))]
                    any_html = any_html or bool(pruned)
                    kept_dirs = [d for d in kept_dirs if d not in pruned]
                dirnames[:] = kept_dirs
                for f in filenames:
                    if f.lower().endswith(HTML_SUFFIXES):
                        any_html = True
                        full = os.path.join(dirpath, f)
                        if skip is None or not skip.match(full):
                            found.append(full)
            if not any_html and not found:
                errors.append(ToolError(p, "no-html", "directory contains no .html or .htm files"))
            for f in sorted(found):
                add(f)
        elif os.path.exists(p):
            if skip is not None and force_exclude and skip.match(p):
                continue
            add(p)
        else:
            errors.append(ToolError(p, "not-found", "no such file or directory"))
    return files, errors


#: Below this many files a run stays in this process: starting workers costs more than it saves
#: (pre-commit usually passes a handful of files).
PARALLEL_MIN_FILES = 8
_WORKER: dict[str, Any] = {}


def _init_worker(rules_dir: str, spec: list[tuple[str, dict[str, Any]]], limits: dict[str, int], css_cache: Any) -> None:
    rules = load_rules(Path(rules_dir))
    _WORKER["runs"] = [RuleRun(rules[rule_id], options) for rule_id, options in spec]
    _WORKER["limits"] = limits
    _WORKER["css_cache"] = css_cache


def _check_chunk(paths: list[str]) -> list[tuple[str, CheckOutcome]]:
    runs, limits, css_cache = _WORKER["runs"], _WORKER["limits"], _WORKER["css_cache"]
    return [(p, check_file(p, runs, css_cache=css_cache, **limits)) for p in paths]


def _check_parallel(files: list[str], runs: list[RuleRun], jobs: int, limits: dict[str, int],
                    progress: Callable[[int, int], None] | None, css_cache: Any = None) -> list[CheckOutcome]:
    """Check files in worker processes. Workers load the catalogue once and rebuild the runs from
    rule ids and resolved options; each gets its own stylesheet cache with the run's settings
    (a ``StylesheetCache`` pickles as its settings); outcomes come back in input order, so the
    report (sorted afterwards anyway) is identical to a serial run's."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    rules_dir = str(runs[0].rule.path.parent) if runs else str(find_rules_dir())
    spec = [(r.rule.id, r.options) for r in runs]
    size = max(1, min(16, len(files) // (jobs * 4) or 1))
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    by_path: dict[str, CheckOutcome] = {}
    done = 0
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                             initargs=(rules_dir, spec, limits, css_cache)) as pool:
        futures = {pool.submit(_check_chunk, chunk): chunk for chunk in chunks}
        for fut in as_completed(futures):
            chunk = futures[fut]
            try:
                for path, outcome in fut.result():
                    by_path[path] = outcome
            except Exception as exc:  # a worker died (out of memory, killed): keep the other files
                for path in chunk:
                    by_path[path] = CheckOutcome(None, [ToolError(path, "internal-error",
                                                                  f"worker failed: {type(exc).__name__}: {exc}")])
            done += len(chunk)
            if progress is not None:
                progress(done, len(files))
    return [by_path[p] for p in files]


def check_paths(paths: Sequence[str], runs: list[RuleRun] | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES,
                max_elements: int = DEFAULT_MAX_ELEMENTS, css_cache: Any = None, jobs: int = 1, exclude: GlobSet | None = None, force_exclude: bool = False,
                per_file_ignores: Sequence[tuple[GlobSet, frozenset[str]]] = (), stdin_filename: str | None = None,
                progress: Callable[[int, int], None] | None = None, root: str | os.PathLike[str] | None = None) -> Report:
    """Check files and directories and build the (sorted) report.

    ``jobs > 1`` checks files in that many processes when there are at least
    :data:`PARALLEL_MIN_FILES` of them; the report is identical to a serial run's.
    ``per_file_ignores`` drops findings of the given rule ids for files matching each glob set.
    ``progress(done, total)`` is called as files finish. ``root`` (the project directory)
    anchors the paths in fingerprints; default the current directory.
    """
    if runs is None:
        runs = make_runs(select_rules(load_rules()))
    files, errors = collect_paths(paths, exclude=exclude, force_exclude=force_exclude)
    report = Report(__version__, errors=list(errors), rules=tuple(sorted(r.rule.id for r in runs)))
    on_disk = [f for f in files if f != "-"]
    parallel = jobs > 1 and len(on_disk) >= PARALLEL_MIN_FILES
    outcomes: list[CheckOutcome] = []
    limits = {"max_bytes": max_bytes, "max_elements": max_elements}
    if "-" in files:
        outcomes.append(check_file("-", runs, css_cache=css_cache, stdin_filename=stdin_filename, **limits))
    if parallel:
        outcomes.extend(_check_parallel(on_disk, runs, min(jobs, len(on_disk)), limits, progress, css_cache))
    else:
        for i, path in enumerate(on_disk, 1):
            outcomes.append(check_file(path, runs, css_cache=css_cache, **limits))
            if progress is not None:
                progress(i, len(on_disk))
    for outcome in outcomes:
        if outcome.result is not None:
            report.files.append(outcome.result)
        report.errors.extend(outcome.errors)
    if per_file_ignores:
        for fr in report.files:
            drop: set[str] = set()
            for globs, ids in per_file_ignores:
                if globs.match(fr.path):
                    drop |= ids
            if drop:
                fr.findings = [f for f in fr.findings if f.rule not in drop]
    if root is not None and os.path.abspath(root) != os.getcwd():
        # Checks fingerprint paths against the working directory; re-anchor them on the project.
        for fr in report.files:
            fr.findings = [replace(f, fingerprint=fingerprint(f.rule, f.path, f.selector, f.snippet, root))
                           for f in fr.findings]
    report.sort()
    return report


# ---------------------------------------------------------------------------------- baselines
BASELINE_VERSION = 1


class BaselineError(ConfigError):
    """A baseline file that cannot be read or is not an a11ycheck baseline (exit status 2)."""


def baseline_document(report: Report, root: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Today's findings as a baseline: keyed by fingerprint (which survives moved lines), with
    enough context for a person reviewing the file. Deterministic: sorted, no timestamps."""
    entries = sorted(
        ({"fingerprint": f.fingerprint, "rule": f.rule, "path": fingerprint_path(f.path, root), "selector": f.selector,
          "message": f.message} for f in report.findings),
        key=lambda e: (e["path"], e["rule"], e["selector"], e["fingerprint"]),
    )
    return {"version": BASELINE_VERSION, "tool": {"name": "a11ycheck", "version": __version__}, "findings": entries}


def write_baseline(report: Report, path: str | os.PathLike[str], root: str | os.PathLike[str] | None = None) -> int:
    """Write the report's findings as a baseline file; returns how many were recorded."""
    import json

    doc = baseline_document(report, root)
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write baseline: {exc.strerror or exc}") from None
    return len(doc["findings"])


def load_baseline(path: str | os.PathLike[str]) -> frozenset[str]:
    """The fingerprints recorded in a baseline file."""
    import json

    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found (create it with --write-baseline)") from None
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise BaselineError(f"{path}: not a baseline file (invalid JSON: {exc})") from None
    if not (isinstance(data, dict) and data.get("version") == BASELINE_VERSION and isinstance(data.get("findings"), list)
            and all(isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in data["findings"])):
        raise BaselineError(f"{path}: not an a11ycheck baseline (version {BASELINE_VERSION} with a findings list)")
    return frozenset(e["fingerprint"] for e in data["findings"])


def apply_baseline(report: Report, fingerprints: frozenset[str]) -> Report:
    """Drop findings whose fingerprint is in the baseline (counted in ``report.baselined``)."""
    dropped = 0
    for fr in report.files:
        kept: list[Finding] = [f for f in fr.findings if f.fingerprint not in fingerprints]
        dropped += len(fr.findings) - len(kept)
        fr.findings = kept
    report.baselined = (report.baselined or 0) + dropped
    return report
