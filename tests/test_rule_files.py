"""The rule catalogue as data: every rule file is valid, complete and consistent with the code."""

from __future__ import annotations

import json
import re
import string

import jsonschema
import pytest

from a11ycheck.checks import CHECKS
from a11ycheck.registry import find_rules_dir, load_rules, load_schema, wcag_table

RULES = load_rules()
RULE_IDS = sorted(RULES)


def test_catalogue_is_not_empty() -> None:
    """A loader that finds no rules must never pass silently."""
    assert len(RULES) >= 3


def test_rules_and_check_functions_are_one_to_one() -> None:
    """Every rule file has a check function and every check function has a rule file."""
    assert set(RULES) == set(CHECKS)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_file_validates_and_is_named_by_id(rule_id: str) -> None:
    rule = RULES[rule_id]
    jsonschema.validate(json.loads(rule.path.read_text(encoding="utf-8")), load_schema("rule"))
    assert rule.path.stem == rule_id


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_has_failing_and_passing_examples(rule_id: str) -> None:
    """Documentation shows both sides: at least one failing (or needs-review) and one passing example."""
    examples = RULES[rule_id].data["examples"]
    assert any(e["expect"].get("failed") or e["expect"].get("cant_tell") for e in examples)
    assert any(e["expect"].get("passed") for e in examples)
    names = [e["name"] for e in examples]
    assert len(names) == len(set(names)), "example names must be unique within a rule"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_wcag_references_exist(rule_id: str) -> None:
    table = wcag_table()
    rule = RULES[rule_id]
    for sc in rule.wcag:
        assert sc in table
    if rule.data["level"] == "best-practice":
        assert not rule.wcag or rule.data["level"] == "best-practice"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_message_templates_use_named_fields_only(rule_id: str) -> None:
    for templates in RULES[rule_id].data["messages"].values():
        for tmpl in templates.values():
            for _, field, _, _ in string.Formatter().parse(tmpl):
                if field is not None:
                    assert re.fullmatch(r"[a-z_][a-z0-9_]*", field), f"positional or complex field {field!r} in {tmpl!r}"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_example_expectations_only_use_declared_message_keys(rule_id: str) -> None:
    data = RULES[rule_id].data
    for ex in data["examples"]:
        for outcome in ("failed", "cant_tell"):
            for t in ex["expect"].get(outcome, []):
                assert t["key"] in data["messages"].get(outcome, {}), f"{ex['name']}: unknown {outcome} key {t['key']}"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_message_key_is_exercised_by_an_example(rule_id: str) -> None:
    """No dead messages: each template is produced by at least one example."""
    data = RULES[rule_id].data
    used = {(o, t["key"]) for ex in data["examples"] for o in ("failed", "cant_tell") for t in ex["expect"].get(o, [])}
    declared = {(o, k) for o, tmpls in data["messages"].items() for k in tmpls}
    assert declared <= used, f"messages never shown by an example: {sorted(declared - used)}"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_defaults_validate_against_option_schema(rule_id: str) -> None:
    rule = RULES[rule_id]
    if rule.options_schema:
        jsonschema.validate(rule.defaults, rule.options_schema)
        assert set(rule.defaults) == set(rule.options_schema.get("properties", {})), "every option has a documented default"
    else:
        assert not rule.data.get("defaults")


def test_axe_rules_say_how_they_differ_or_match() -> None:
    """Rules that carry an axe-core id are flagged as such; own rules never reuse an axe-looking id silently."""
    for rule in RULES.values():
        assert isinstance(rule.data["axe"], bool)


def test_rules_dir_is_found() -> None:
    assert find_rules_dir().is_dir()


def test_a_catalogue_from_elsewhere_is_schema_validated(tmp_path) -> None:
    """The shipped catalogue is validated by the tests above; any other directory (e.g.
    $A11YCHECK_RULES_DIR) gets the full JSON Schema validation when it is loaded."""
    import shutil

    from a11ycheck.registry import CatalogueError

    good, bad = tmp_path / "good", tmp_path / "bad"  # two folders: catalogues are cached per folder
    for folder in (good, bad):
        shutil.copytree(find_rules_dir(), folder)
    assert set(load_rules(good)) == set(RULES)
    broken = bad / "image-alt.json"
    data = json.loads(broken.read_text(encoding="utf-8"))
    data["impact"] = "catastrophic"
    broken.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CatalogueError, match="image-alt.json: impact"):
        load_rules(bad)


def test_checking_with_the_shipped_catalogue_does_not_import_jsonschema() -> None:
    """Cold start matters for pre-commit: jsonschema (~35 ms to import, ~30 ms to validate the
    catalogue) is only loaded for user options, configuration files and foreign catalogues."""
    import subprocess
    import sys

    code = ("import sys\nfrom a11ycheck.api import check_bytes\n"
            "out = check_bytes(b'<!DOCTYPE html><html lang=en><title>t</title><main><h1>x</h1></main>')\n"
            "assert out.result is not None\nprint('jsonschema' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"
