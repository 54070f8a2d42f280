"""Every example of every rule runs, and its outcome is asserted exactly (axe-style exhaustive
fixtures): the listed targets fail / need review / pass with the listed keys, and every other
element is inapplicable."""

from __future__ import annotations

import pytest

from a11ycheck.registry import load_rules

from helpers import run_rule, select_one

CASES = [
    pytest.param(rule_id, ex, id=f"{rule_id}::{ex['name']}")
    for rule_id, rule in sorted(load_rules().items())
    for ex in rule.data["examples"]
]


@pytest.mark.parametrize(("rule_id", "example"), CASES)
def test_rule_example(rule_id: str, example: dict) -> None:
    doc, results = run_rule(rule_id, example["html"], example.get("options"))
    expect = example["expect"]
    wanted = set()
    for outcome in ("failed", "cant_tell"):
        for t in expect.get(outcome, []):
            wanted.add((outcome, select_one(doc, t["target"]), t["key"]))
    for target in expect.get("passed", []):
        wanted.add(("passed", select_one(doc, target), None))
    got = {(r.outcome, r.element, r.key if r.outcome != "passed" else None) for r in results}

    def show(items):
        return sorted(f"{o} {doc.selector(e)} {k or ''}".strip() for o, e, k in items)

    assert len(got) == len(results), f"an element got more than one result: {show(got)}"
    assert show(got) == show(wanted)
