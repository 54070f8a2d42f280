"""Command line: ``a11ycheck check|rules|rule|schema``. Thin: arguments -> engine -> reporter.

Exit codes: 0 no findings, 1 findings, 2 usage error, invalid configuration, or an input that
could not be checked (the other inputs are still checked and reported).
"""

from __future__ import annotations

import json
import os
import sys
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


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Report format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write the report to FILE.")
@click.option("--select", multiple=True, metavar="RULES", help="Only these rules or families (comma-separated; ALL for every rule).")
@click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rules or families.")
@click.option("--extend-select", multiple=True, metavar="RULES", help="Add rules or families to the selection.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=None, help="Refuse inputs larger than this (default 50 MB).")
@click.option("--color/--no-color", default=None, help="Colour text output (default: on a terminal, honouring NO_COLOR/FORCE_COLOR).")
def check(paths: tuple[str, ...], fmt: str, output: str | None, select: tuple[str, ...], ignore: tuple[str, ...],
          extend_select: tuple[str, ...], max_bytes: int | None, color: bool | None) -> None:
    """Check HTML files and directories (recursively *.html, *.htm); - reads stdin."""
    from .api import DEFAULT_MAX_BYTES, SelectionError, check_paths, make_runs, select_rules
    from .registry import CatalogueError, load_rules
    from .reporters import REPORTERS

    try:
        rules = load_rules()
        chosen = select_rules(rules, _split(select) if select else None, _split(ignore), _split(extend_select))
        runs = make_runs(chosen)
    except (CatalogueError, SelectionError) as exc:
        raise UsageFailure(str(exc)) from None
    report = check_paths(list(paths), runs, max_bytes=max_bytes or DEFAULT_MAX_BYTES)
    colored = fmt == "text" and output is None and _use_color(color, sys.stdout)
    text = REPORTERS[fmt](report, color=colored)
    if output:
        with open(output, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    else:
        click.echo(text, nl=False, color=colored)
    if fmt == "text":
        for err in report.errors:
            click.echo(f"a11ycheck: {err.path}: {err.kind}: {err.message}", err=True)
    if report.errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if report.findings else EXIT_CLEAN)


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
