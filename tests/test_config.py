"""Configuration: discovery of [tool.a11ycheck] / a11ycheck.toml, every key, command-line
overrides, and usage errors (exit 2) that name the offending key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from a11ycheck.cli import main
from a11ycheck.config import ConfigError, GlobSet, Layer, find_config, load_config, resolve_selection
from a11ycheck.registry import load_rules, load_schema

NO_TITLE = "<!DOCTYPE html><html lang='en'><head></head><body><main><h1>Hi</h1></main></body></html>"
NO_LANG = "<!DOCTYPE html><html><head><title>T</title></head><body><main><h1>Hi</h1></main></body></html>"
CLEAN = "<!DOCTYPE html><html lang='en'><head><title>T</title></head><body><main><h1>Hi</h1></main></body></html>"
NO_H1_DIALOG = ("<!DOCTYPE html><html lang='en'><head><title>T</title></head><body><main><p>x</p></main>"
                "<dialog open><p>Cookies?</p></dialog></body></html>")


@pytest.fixture(autouse=True)
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test runs in its own project directory, outside GitHub Actions."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def pyproject(root: Path, body: str) -> Path:
    return write(root / "pyproject.toml", "[project]\nname = 'site'\n\n[tool.a11ycheck]\n" + body)


def run(*args: str):
    return CliRunner().invoke(main, ["check", *args], catch_exceptions=False)


def rules_reported(res) -> set[str]:
    data = json.loads(res.stdout)
    return {f["rule"] for fr in data["files"] for f in fr["findings"]}


# ------------------------------------------------------------------------------ discovery
def test_pyproject_found_from_a_subdirectory(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pyproject(project, 'select = ["document-title"]\n')
    sub = project / "public" / "posts"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    assert find_config() == project / "pyproject.toml"
    write(sub / "a.html", NO_TITLE.replace("lang='en'", ""))
    res = run("--format", "json", "a.html")
    assert rules_reported(res) == {"document-title"}


def test_pyproject_without_the_table_is_skipped(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pyproject(project, 'select = ["html-has-lang"]\n')
    sub = project / "pkg"
    write(sub / "pyproject.toml", "[project]\nname = 'inner'\n")
    monkeypatch.chdir(sub)
    assert find_config() == project / "pyproject.toml"


def test_a11ycheck_toml_wins_over_pyproject_in_the_same_directory(project: Path) -> None:
    pyproject(project, 'select = ["html-has-lang"]\n')
    write(project / "a11ycheck.toml", 'select = ["document-title"]\n')
    cfg = load_config()
    assert cfg.source == project / "a11ycheck.toml" and cfg.select == ["document-title"] and cfg.prefix == ""


def test_explicit_config_and_isolated(project: Path) -> None:
    write(project / "ci.toml", 'select = ["document-title"]\n')
    pyproject(project, 'select = ["html-has-lang"]\n')
    page = write(project / "a.html", "<!DOCTYPE html><html><head></head><body></body></html>")
    assert rules_reported(run("--format", "json", "--config", "ci.toml", str(page))) == {"document-title"}
    assert rules_reported(run("--format", "json", str(page))) == {"html-has-lang"}
    everything = rules_reported(run("--format", "json", "--isolated", str(page)))
    assert {"document-title", "html-has-lang"} <= everything


def test_missing_config_file_is_a_usage_error(project: Path) -> None:
    res = run("--config", "nope.toml", "x.html")
    assert res.exit_code == 2 and "nope.toml: configuration file not found" in res.output


def test_invalid_toml_is_a_usage_error(project: Path) -> None:
    pyproject(project, "select = [\n")
    res = run(str(write(project / "a.html", CLEAN)))
    assert res.exit_code == 2 and "pyproject.toml: invalid TOML" in res.output


# ------------------------------------------------------------------------------ each key
def test_select_ignore_extend_select(project: Path) -> None:
    page = str(write(project / "a.html", "<!DOCTYPE html><html><head></head><body></body></html>"))
    pyproject(project, 'select = ["document"]\nignore = ["html-lang-valid", "document-title"]\n')
    assert rules_reported(run("--format", "json", page)) == {"html-has-lang"}
    pyproject(project, 'select = ["html-has-lang"]\nextend-select = ["document-title"]\n')
    assert rules_reported(run("--format", "json", page)) == {"html-has-lang", "document-title"}


def test_command_line_overrides_the_file(project: Path) -> None:
    page = str(write(project / "a.html", "<!DOCTYPE html><html><head></head><body></body></html>"))
    pyproject(project, 'select = ["html-has-lang"]\nfail-on = "critical"\n')
    res = run("--format", "json", "--select", "document-title", page)
    assert rules_reported(res) == {"document-title"}
    assert res.exit_code == 0  # fail-on critical from the file; document-title is serious
    assert run("--select", "document-title", "--fail-on", "serious", page).exit_code == 1
    # --extend-select and --ignore apply on top of the file's selection
    assert rules_reported(run("--format", "json", "--extend-select", "document-title", page)) == {
        "html-has-lang", "document-title"}
    assert rules_reported(run("--format", "json", "--extend-select", "document-title", "--ignore", "html-has-lang",
                              page)) == {"document-title"}


def test_resolve_selection_layers_like_ruff() -> None:
    rules = load_rules()
    ids = lambda layers: {r.id for r in resolve_selection(rules, layers)}  # noqa: E731
    file = Layer(["document"], [], ["document-title"], origin="file")
    assert ids([file]) == {"html-has-lang", "html-lang-valid"}
    assert ids([file, Layer(None, ["document-title"], [])]) == {"html-has-lang", "html-lang-valid", "document-title"}
    assert ids([file, Layer(["document-title"], [], [])]) == {"document-title"}  # a later select replaces
    with pytest.raises(ConfigError, match="file: unknown rule or family: 'nope'"):
        ids([Layer(["nope"], [], [], origin="file")])


def test_exclude_when_walking_but_not_for_named_files_unless_forced(project: Path) -> None:
    write(project / "public" / "a.html", NO_TITLE)
    write(project / "public" / "drafts" / "b.html", NO_TITLE)
    write(project / "public" / "c.min.html", NO_TITLE)
    pyproject(project, 'select = ["document-title"]\nexclude = ["public/drafts", "*.min.html"]\n')
    data = json.loads(run("--format", "json", "public").stdout)
    assert [f["path"] for f in data["files"]] == ["public/a.html"]
    named = json.loads(run("--format", "json", "public/drafts/b.html", "public/a.html").stdout)
    assert [f["path"] for f in named["files"]] == ["public/a.html", "public/drafts/b.html"]
    forced = run("--format", "json", "--force-exclude", "public/drafts/b.html", "public/c.min.html")
    assert json.loads(forced.stdout)["files"] == [] and forced.exit_code == 0
    # --exclude replaces the configured list
    again = json.loads(run("--format", "json", "--exclude", "a.html", "public").stdout)
    assert [f["path"] for f in again["files"]] == ["public/c.min.html", "public/drafts/b.html"]


def test_excluded_directory_is_not_a_directory_without_html(project: Path) -> None:
    write(project / "site" / "drafts" / "b.html", NO_TITLE)
    pyproject(project, 'exclude = ["drafts/"]\n')
    res = run("site")
    assert res.exit_code == 0 and "no-html" not in res.output


def test_exclude_globs_are_relative_to_the_config_file(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(project / "public" / "legacy" / "a.html", NO_TITLE)
    write(project / "public" / "new" / "b.html", NO_TITLE)
    pyproject(project, 'select = ["document-title"]\nexclude = ["public/legacy/**"]\n')
    monkeypatch.chdir(project / "public")
    data = json.loads(run("--format", "json", ".").stdout)
    assert [Path(f["path"]).name for f in data["files"]] == ["b.html"]


def test_per_file_ignores(project: Path) -> None:
    write(project / "public" / "legacy" / "a.html", "<!DOCTYPE html><html><head></head><body></body></html>")
    write(project / "public" / "b.html", "<!DOCTYPE html><html><head></head><body></body></html>")
    pyproject(project, 'select = ["document-title", "html-has-lang"]\n'
                       '[tool.a11ycheck.per-file-ignores]\n"public/legacy/**" = ["document"]\n')
    data = json.loads(run("--format", "json", "public").stdout)
    by_file = {f["path"]: sorted(x["rule"] for x in f["findings"]) for f in data["files"]}
    assert by_file == {"public/b.html": ["document-title", "html-has-lang"], "public/legacy/a.html": []}
    # the command line replaces the table
    cli = json.loads(run("--format", "json", "--per-file-ignores", "b.html:html-has-lang", "public").stdout)
    by_file = {f["path"]: sorted(x["rule"] for x in f["findings"]) for f in cli["files"]}
    assert by_file == {"public/b.html": ["document-title"], "public/legacy/a.html": ["document-title", "html-has-lang"]}


def test_fail_on(project: Path) -> None:
    page = str(write(project / "a.html", NO_TITLE))  # document-title: serious
    pyproject(project, 'select = ["document-title"]\nfail-on = "critical"\n')
    res = run(page)
    assert res.exit_code == 0 and "document-title" in res.output  # reported, but does not fail
    pyproject(project, 'select = ["document-title"]\nfail-on = "serious"\n')
    assert run(page).exit_code == 1


def test_options_reach_the_rule(project: Path) -> None:
    page = str(write(project / "a.html", NO_H1_DIALOG))
    pyproject(project, 'select = ["page-has-heading-one"]\n')
    assert run(page).exit_code == 0  # default: an open dialog excuses the missing h1
    pyproject(project, 'select = ["page-has-heading-one"]\n'
                       '[tool.a11ycheck.options.page-has-heading-one]\npass_for_modal = false\n')
    res = run(page)
    assert res.exit_code == 1 and "page-has-heading-one" in res.output


def test_baseline_key_is_relative_to_the_config_file(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(project / "site" / "a.html", NO_TITLE)
    pyproject(project, 'select = ["document-title"]\nbaseline = "a11y/baseline.json"\n')
    (project / "a11y").mkdir()
    assert run("--write-baseline", "a11y/baseline.json", "site").exit_code == 0
    monkeypatch.chdir(project / "site")
    res = run("a.html")
    assert res.exit_code == 0 and "1 in the baseline" in res.output


# ------------------------------------------------------------------------------ errors name the key
@pytest.mark.parametrize(("body", "expected"), [
    ('selct = ["document"]\n', "[tool.a11ycheck] selct: unknown key (did you mean 'select'?)"),
    ('select = "document"\n', "[tool.a11ycheck] select: expected a list, got 'document'"),
    ('ignore = ["bad rule"]\n', "[tool.a11ycheck] ignore[0]: 'bad rule' is not a rule id, family or tag"),
    ('extend-select = ["no-such-rule"]\n', "[tool.a11ycheck] extend-select: unknown rule or family: 'no-such-rule'"),
    ('select = ["no-such-rule"]\n', "[tool.a11ycheck] select: unknown rule or family: 'no-such-rule'"),
    ('exclude = "drafts"\n', "[tool.a11ycheck] exclude: expected a list, got 'drafts'"),
    ('fail-on = "high"\n', "[tool.a11ycheck] fail-on: 'high' is not one of minor, moderate, serious, critical"),
    ('baseline = 3\n', "[tool.a11ycheck] baseline: expected a string, got 3"),
    ('[tool.a11ycheck.per-file-ignores]\n"legacy/**" = ["nope"]\n',
     '[tool.a11ycheck] per-file-ignores."legacy/**": unknown rule or family: \'nope\''),
    ('[tool.a11ycheck.options.no-such-rule]\nx = 1\n', "[tool.a11ycheck] options.no-such-rule: unknown rule 'no-such-rule'"),
    ('[tool.a11ycheck.options.document-title]\nx = 1\n', "[tool.a11ycheck] options.document-title: rule document-title takes no options"),
    ('[tool.a11ycheck.options.page-has-heading-one]\npass-for-modal = false\n',
     "[tool.a11ycheck] options.page-has-heading-one.pass-for-modal: unknown option (options of page-has-heading-one: pass_for_modal)"),
    ('[tool.a11ycheck.options.page-has-heading-one]\npass_for_modal = "no"\n',
     "[tool.a11ycheck] options.page-has-heading-one.pass_for_modal: 'no' is not of type 'boolean'"),
    ('options = {page-has-heading-one = 1}\n', "[tool.a11ycheck] options.page-has-heading-one: expected a object, got 1"),
])
def test_bad_configuration_is_a_usage_error_naming_the_key(project: Path, body: str, expected: str) -> None:
    pyproject(project, body)
    res = run(str(write(project / "a.html", CLEAN)))
    assert res.exit_code == 2, res.output
    assert "pyproject.toml: " + expected in res.output
    assert "Traceback" not in res.output


def test_error_in_a11ycheck_toml_has_no_table_prefix(project: Path) -> None:
    write(project / "a11ycheck.toml", 'fail_on = "serious"\n')
    res = run(str(write(project / "a.html", CLEAN)))
    assert res.exit_code == 2 and "a11ycheck.toml: fail_on: unknown key (did you mean 'fail-on'?)" in res.output


def test_bad_command_line_values_are_usage_errors(project: Path) -> None:
    page = str(write(project / "a.html", CLEAN))
    assert run("--fail-on", "high", page).exit_code == 2
    res = run("--per-file-ignores", "nocolon", page)
    assert res.exit_code == 2 and "expected GLOB:RULES" in res.output
    res = run("--per-file-ignores", "*.html:nope", page)
    assert res.exit_code == 2 and "--per-file-ignores: unknown rule or family: 'nope'" in res.output
    res = run("--statistics", "--format", "sarif", page)
    assert res.exit_code == 2 and "--statistics works with" in res.output


def test_config_schema_is_shipped_and_documents_every_key() -> None:
    schema = load_schema("config")
    assert set(schema["properties"]) == {"select", "ignore", "extend-select", "exclude", "per-file-ignores", "fail-on",
                                         "options", "baseline"}
    assert all(p.get("description") for p in schema["properties"].values())
    res = CliRunner().invoke(main, ["schema", "config"])
    assert json.loads(res.output) == schema


# ------------------------------------------------------------------------------ globs
@pytest.mark.parametrize(("pattern", "path", "hit"), [
    ("drafts", "public/drafts/a.html", True),  # a name matches at any depth, and everything below it
    ("drafts", "public/drafts.html", False),
    ("public/drafts", "public/drafts/x/a.html", True),
    ("public/drafts", "other/public/drafts/a.html", False),  # with a slash: anchored at the root
    ("/a.html", "a.html", True),
    ("/a.html", "sub/a.html", False),
    ("*.min.html", "x/y/page.min.html", True),
    ("public/*.html", "public/a.html", True),
    ("public/*.html", "public/sub/a.html", False),
    ("public/**/*.html", "public/a.html", True),
    ("public/**/*.html", "public/a/b/c.html", True),
    ("**/legacy/**", "a/legacy/b.html", True),
    ("page?.html", "page1.html", True),
    ("page[0-9].html", "page7.html", True),
    ("page[!0-9].html", "page7.html", False),
    ("./public/", "public/a.html", True),
])
def test_glob_semantics(tmp_path: Path, pattern: str, path: str, hit: bool) -> None:
    assert GlobSet([pattern], tmp_path).match(str(tmp_path / path)) is hit
    assert GlobSet([pattern], tmp_path).match(path) is hit  # relative to the current directory (= root here)


def test_empty_globset_matches_nothing(tmp_path: Path) -> None:
    assert not GlobSet([], tmp_path) and not GlobSet([], tmp_path).match("a.html")
    assert not GlobSet(["*"], tmp_path).match("-")  # stdin is never excluded


def test_readme_configuration_example_is_valid() -> None:
    """The [tool.a11ycheck] example in README.md loads without errors."""
    import re
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    from a11ycheck.config import check_against_catalogue, parse_config

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Configuration.*?```toml\n(.*?)```", readme, re.S)
    assert block is not None
    table = tomllib.loads(block.group(1))["tool"]["a11ycheck"]
    cfg = parse_config(table, prefix="[tool.a11ycheck] ")
    options = check_against_catalogue(cfg, load_rules())
    assert set(options) == set(cfg.options)


def test_site_root_resolves_root_relative_stylesheets(project: Path) -> None:
    write(project / "public" / "css" / "site.css", ".ad { display: none }")
    write(project / "public" / "posts" / "a.html",
          "<!DOCTYPE html><html lang='en'><head><title>T</title><link rel='stylesheet' href='/css/site.css'></head>"
          "<body><main><h1>x</h1><img class='ad' src='ad.png'></main></body></html>")
    without = run("--select", "image-alt", "public")
    assert without.exit_code == 1 and "ad.png" in without.output
    assert run("--select", "image-alt", "--site-root", "public", "public").exit_code == 0
