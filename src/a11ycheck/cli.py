"""Command line: ``a11ycheck check|rules|rule|schema``. Thin: arguments -> engine -> reporter.

Exit codes (ruff's): 0 no findings at or above ``--fail-on`` (or ``--exit-zero``), 1 findings
at or above it, 2 usage error, invalid configuration or baseline, or an input that could not be
checked (the other inputs are still checked and reported). Imports are lazy so that a
pre-commit run on one file starts fast.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageFailure(click.ClickException):
    exit_code = EXIT_ERROR


def _use_color(flag: bool | None, stream: Any) -> bool:
    if flag is not None:
        return flag
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="a11ycheck")
def main() -> None:
    """a11ycheck: fast, browser-free accessibility checks for rendered article HTML."""


FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab")
IMPACTS = ("minor", "moderate", "serious", "critical")


def _default_format(to_file: bool = False) -> str:
    """``github`` (annotations) when printing inside GitHub Actions, else ``text``."""
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" and not to_file else "text"


def _default_jobs() -> int:
    return os.cpu_count() or 1


class _Progress:
    """A one-line progress bar on stderr, only on a terminal and only once the run has taken a
    while (short runs, pre-commit, CI logs and pipes never see it)."""

    def __init__(self, stream: Any, enabled: bool, delay: float = 0.5) -> None:
        import time

        self.stream = stream
        self.enabled = enabled
        self.clock = time.monotonic
        self.start = self.clock()
        self.delay = delay
        self.shown = False
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        now = self.clock()
        if now - self.start < self.delay or (now - self.last < 0.1 and done < total):
            return
        self.last = now
        width = 30
        filled = width * done // total
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} files")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "--output-format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Report format [default: text; github when printing inside GitHub Actions].")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write the report to FILE.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Read settings from FILE (pyproject.toml with [tool.a11ycheck], or a11ycheck.toml) instead of "
                   "looking for one from the current directory upwards.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--select", multiple=True, metavar="RULES", help="Only these rules or families (comma-separated; ALL for every rule).")
@click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rules or families.")
@click.option("--extend-select", multiple=True, metavar="RULES", help="Add rules or families to the selection.")
@click.option("--exclude", multiple=True, metavar="GLOBS", help="Skip files and directories matching these globs when walking "
              "directories (comma-separated; replaces the configured exclude).")
@click.option("--force-exclude", is_flag=True, help="Apply exclude to files named on the command line too (for pre-commit).")
@click.option("--per-file-ignores", multiple=True, metavar="GLOB:RULES",
              help="Drop findings of RULES for files matching GLOB (repeatable; replaces the configured table).")
@click.option("--fail-on", type=click.Choice(IMPACTS), default=None,
              help="Lowest impact that makes the run fail [default: minor, i.e. any finding].")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (2 still means a tool error).")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Report and gate only findings whose fingerprint is not in FILE.")
@click.option("--write-baseline", "write_baseline_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Record the current findings in FILE (later runs use it with --baseline).")
@click.option("--statistics", is_flag=True, help="Show the number of findings per rule instead of the findings (text, json).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Check files in N processes [default: the number of CPUs]; output is identical to -j 1.")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr [default: on a terminal, for long runs].")
@click.option("--stdin-filename", metavar="PATH", help="The path to report (and match globs against) for input read from -.")
@click.option("--site-root", type=click.Path(file_okay=False), metavar="DIR",
              help="Directory that root-relative stylesheet links (href=\"/css/site.css\") resolve against; "
                   "relative links resolve against each page's directory.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=None, help="Refuse inputs larger than this (default 50 MB).")
@click.option("--max-elements", type=click.IntRange(min=1), default=None,
              help="Refuse inputs with more start tags than this (default 1,000,000; each costs about 500 bytes of memory).")
@click.option("--color/--no-color", default=None, help="Colour text output (default: on a terminal, honouring NO_COLOR/FORCE_COLOR).")
def check(paths: tuple[str, ...], fmt: str | None, output: str | None, config_file: str | None, isolated: bool,
          select: tuple[str, ...], ignore: tuple[str, ...], extend_select: tuple[str, ...], exclude: tuple[str, ...],
          force_exclude: bool, per_file_ignores: tuple[str, ...], fail_on: str | None, exit_zero: bool,
          baseline_file: str | None, write_baseline_file: str | None, statistics: bool, jobs: int | None,
          progress: bool | None, stdin_filename: str | None, site_root: str | None, max_bytes: int | None,
          max_elements: int | None, color: bool | None) -> None:
    """Check HTML files and directories (recursively *.html, *.htm); - reads stdin.

    Exit status: 0 no failing findings, 1 findings at or above --fail-on, 2 usage or
    configuration error, or an input that could not be checked."""
    from .api import (DEFAULT_MAX_BYTES, DEFAULT_MAX_ELEMENTS, apply_baseline, check_paths, load_baseline, make_runs,
                      write_baseline)
    from .config import (ConfigError, GlobSet, Layer, check_against_catalogue, load_config, parse_per_file_ignores,
                         per_file_ignore_table, resolve_selection)
    from .registry import CatalogueError, load_rules
    from .reporters import REPORTERS

    fmt = fmt or _default_format(to_file=bool(output))
    if statistics and fmt not in ("text", "json"):
        raise UsageFailure("--statistics works with --format text or json")
    try:
        cfg = load_config(config_file, isolated=isolated)
        rules = load_rules()
        options = check_against_catalogue(cfg, rules)
        cli_layer = Layer(_split(select) if select else None, _split(extend_select), _split(ignore))
        chosen = resolve_selection(rules, [cfg.layer, cli_layer])
        runs = make_runs(chosen, options)
        if exclude:
            globs = GlobSet(_split(exclude))
        else:
            globs = GlobSet(cfg.exclude, cfg.root)
        if per_file_ignores:
            pfi = per_file_ignore_table(parse_per_file_ignores(per_file_ignores), rules, Path.cwd(),
                                        origin="--per-file-ignores")
        else:
            pfi = per_file_ignore_table(cfg.per_file_ignores, rules, cfg.root, origin=cfg.describe("per-file-ignores"))
        threshold = fail_on or cfg.fail_on or "minor"
        baseline_path = baseline_file or cfg.baseline_path()
        known = None
        if baseline_path is not None and not write_baseline_file:
            known = load_baseline(baseline_path)
    except (CatalogueError, ConfigError) as exc:
        raise UsageFailure(str(exc)) from None

    from .document.css import StylesheetCache

    css_cache = StylesheetCache(Path(site_root) if site_root else None)  # local stylesheets, parsed once per run
    bar = _Progress(sys.stderr, _use_progress(progress, sys.stderr))
    try:
        report = check_paths(list(paths), runs, max_bytes=max_bytes or DEFAULT_MAX_BYTES,
                             max_elements=max_elements or DEFAULT_MAX_ELEMENTS, css_cache=css_cache,
                             jobs=jobs or _default_jobs(), exclude=globs, force_exclude=force_exclude,
                             per_file_ignores=pfi, stdin_filename=stdin_filename, progress=bar, root=cfg.root)
    finally:
        bar.close()
    if write_baseline_file:
        try:
            count = write_baseline(report, write_baseline_file, cfg.root)
        except ConfigError as exc:
            raise UsageFailure(str(exc)) from None
        click.echo(f"a11ycheck: wrote {count} finding(s) to the baseline {write_baseline_file}", err=True)
        known = frozenset(f.fingerprint for f in report.findings)
    if known is not None:
        apply_baseline(report, known)

    colored = fmt == "text" and output is None and _use_color(color, sys.stdout)
    if statistics:
        from .reporters.text import render_statistics, statistics as stats_rows

        if fmt == "json":
            text = json.dumps(stats_rows(report, rules), indent=2) + "\n"
        else:
            text = render_statistics(report, rules=rules)
    else:
        step = fmt == "github" and bool(os.environ.get("GITHUB_STEP_SUMMARY"))
        text = REPORTERS[fmt](report, color=colored, rules=rules, fail_on=threshold, step_summary=step)
        if step:
            _append_step_summary(report)
    if output:
        try:
            with open(output, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        except OSError as exc:
            raise UsageFailure(f"{output}: cannot write the report: {exc.strerror or exc}") from None
    else:
        click.echo(text, nl=False, color=colored)
    if fmt in ("text", "github") or output:
        for err in report.errors:
            click.echo(f"a11ycheck: {err.path}: {err.kind}: {err.message}", err=True)
    if report.errors:
        sys.exit(EXIT_ERROR)
    if exit_zero:
        sys.exit(EXIT_CLEAN)
    sys.exit(EXIT_FINDINGS if report.failing(threshold) else EXIT_CLEAN)


def _use_progress(flag: bool | None, stream: Any) -> bool:
    if flag is not None:
        return flag
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def _append_step_summary(report: Any) -> None:
    from .reporters.github import step_summary

    path = os.environ["GITHUB_STEP_SUMMARY"]
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(step_summary(report))
    except OSError as exc:
        click.echo(f"a11ycheck: cannot write the job summary {path}: {exc.strerror or exc}", err=True)


def rules_markdown(rules: dict[str, Any]) -> str:
    """The rule table of README.md (a test keeps the README in sync with the catalogue)."""
    lines = ["| rule | family | impact | WCAG | axe-core id | on by default | what it checks |",
             "|---|---|---|---|---|---|---|"]
    for r in sorted(rules.values(), key=lambda r: (r.family, r.id)):
        wcag = ", ".join(r.wcag) or "best practice"
        lines.append(f"| `{r.id}` | {r.family} | {r.impact} | {wcag} | {'yes' if r.data['axe'] else 'no'} | "
                     f"{'yes' if r.enabled else 'no'} | {r.data['title'].replace('<', '&lt;')} |")
    return "\n".join(lines)


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
def rules_cmd(fmt: str) -> None:
    """List every rule: id, family, impact, WCAG, default state and title."""
    from .registry import CatalogueError, load_rules

    try:
        rules = load_rules()
    except CatalogueError as exc:
        raise UsageFailure(str(exc)) from None
    if fmt == "json":
        rows = [{"id": r.id, "family": r.family, "impact": r.impact, "wcag": list(r.wcag), "level": r.data["level"],
                 "axe": r.data["axe"], "enabled": r.enabled, "title": r.data["title"]} for r in rules.values()]
        click.echo(json.dumps(rows, indent=2))
        return
    if fmt == "markdown":
        click.echo(rules_markdown(rules))
        return
    width = max(len(r) for r in rules)
    for r in sorted(rules.values(), key=lambda r: (r.family, r.id)):
        state = "" if r.enabled else " (off by default)"
        wcag = ",".join(r.wcag) or r.data["level"]
        click.echo(f"{r.id:<{width}}  {r.family:<10}  {r.impact:<8}  {wcag:<12}  {r.data['title']}{state}")


@main.command("rule")
@click.argument("rule_id")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rule_cmd(rule_id: str, fmt: str) -> None:
    """Explain one rule: what it checks, why, how to fix, and its examples."""
    from .registry import CatalogueError, load_rules

    try:
        rules = load_rules()
    except CatalogueError as exc:
        raise UsageFailure(str(exc)) from None
    rule = rules.get(rule_id)
    if rule is None:
        raise UsageFailure(f"unknown rule {rule_id!r}; `a11ycheck rules` lists them")
    if fmt == "json":
        click.echo(json.dumps(rule.data, indent=2, ensure_ascii=False))
        return
    click.echo(explain(rule.data))


def explain(d: dict[str, Any]) -> str:
    from .registry import wcag_table

    table = wcag_table()
    lines = [f"# {d['id']}: {d['title']}", ""]
    sc = ", ".join(f"{s} {table[s]['title']} ({table[s]['level']})" for s in d["wcag"]) or "none (best practice)"
    lines += [f"Family: {d['family']}    Impact: {d['impact']}    WCAG: {sc}",
              f"Enabled by default: {'yes' if d['enabled'] else 'no'}    axe-core rule: {'yes' if d['axe'] else 'no'}", ""]
    for title, key in (("What it does", "description"), ("Why it matters", "rationale"), ("How to fix", "help"),
                       ("Differences from axe-core", "differences")):
        if d.get(key):
            lines += [f"## {title}", d[key], ""]
    if d.get("options"):
        lines += ["## Options", json.dumps(d.get("defaults", {}), indent=2), ""]
    lines.append("## Messages")
    for outcome, templates in d["messages"].items():
        for key, tmpl in templates.items():
            lines.append(f"- {outcome}/{key}: {tmpl}")
    lines += ["", "## Examples"]
    for ex in d["examples"]:
        if not ex.get("doc", True):
            continue
        exp = ex["expect"]
        verdict = ", ".join(
            [f"failed {t['target']} ({t['key']})" for t in exp.get("failed", [])]
            + [f"needs review {t['target']} ({t['key']})" for t in exp.get("cant_tell", [])]
            + [f"passes {t}" for t in exp.get("passed", [])]
        ) or "not applicable"
        lines += [f"- {ex['name']}: {verdict}", f"    {ex['html']}"]
    if d.get("references"):
        lines += ["", "## References"]
        lines.extend(f"- {ref['title']} <{ref['url']}>" for ref in d["references"])
    return "\n".join(lines)


@main.command("schema")
@click.argument("name", type=click.Choice(["report", "rule", "config"]))
def schema_cmd(name: str) -> None:
    """Print a JSON Schema shipped with a11ycheck."""
    from .registry import load_schema

    try:
        click.echo(json.dumps(load_schema(name), indent=2))
    except FileNotFoundError:
        raise UsageFailure(f"no {name} schema in this version") from None


if __name__ == "__main__":  # pragma: no cover
    main()
