"""The rule catalogue: find ``rules/``, load and validate every rule, bind its check function.

The catalogue is looked up in this order, the same way for every kind of install:

1. ``$A11YCHECK_RULES_DIR`` when set;
2. the copy packaged inside the wheel (``a11ycheck/rules``, from the top-level ``rules/``);
3. the ``rules/`` folder of a source checkout or editable install (next to ``src/``).

A catalogue that yields no rules is an error, never a silent pass.

Validation: every load checks that each rule's id matches its file name, that a check function
is registered for it (and a rule file for every check function) and that its WCAG criteria
exist. The full JSON Schema validation of the rule files and of their option defaults runs
for catalogues from elsewhere (``$A11YCHECK_RULES_DIR``, a directory passed in); the shipped
catalogue is validated by the test suite (``tests/test_rule_files.py``) instead of at every
start, which keeps ``jsonschema`` (about 80 ms with the validation) out of a pre-commit run.
User options are always validated against the rule's option schema.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    import jsonschema

__all__ = ["CatalogueError", "Rule", "find_rules_dir", "load_rules", "load_schema", "wcag_table"]


class CatalogueError(Exception):
    """The rule catalogue is missing or invalid."""


@dataclass(frozen=True)
class Rule:
    id: str
    data: dict[str, Any]
    check: Callable[..., Any]
    path: Path
    options_schema: dict[str, Any] = field(default_factory=dict)

    @property
    def family(self) -> str:
        return self.data["family"]

    @property
    def impact(self) -> str:
        return self.data["impact"]

    @property
    def wcag(self) -> tuple[str, ...]:
        return tuple(self.data["wcag"])

    @property
    def enabled(self) -> bool:
        return self.data["enabled"]

    @property
    def tags(self) -> tuple[str, ...]:
        return (self.data["family"], *self.data.get("tags", ()))

    @property
    def defaults(self) -> dict[str, Any]:
        return dict(self.data.get("defaults", {}))

    def resolve_options(self, user: dict[str, Any] | None) -> dict[str, Any]:
        """Defaults merged with user options, validated against the rule's option schema
        (raises ``jsonschema.ValidationError``). The defaults alone were validated with the
        catalogue."""
        merged = self.defaults
        if not user:
            return merged
        import jsonschema

        merged.update(user)
        if not self.options_schema:
            raise jsonschema.ValidationError(f"rule {self.id} takes no options")
        jsonschema.validate(merged, self.options_schema)
        return merged

    def message(self, outcome: str, key: str, data: dict[str, Any]) -> str:
        return self.data["messages"][outcome][key].format(**data)


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped in the package (``rule``, ``report``, ``config``)."""
    text = resources.files("a11ycheck").joinpath("schemas", f"{name}.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=None)
def wcag_table() -> dict[str, dict[str, str]]:
    return json.loads(resources.files("a11ycheck").joinpath("data", "wcag.json").read_text(encoding="utf-8"))


def find_rules_dir() -> Path:
    env = os.environ.get("A11YCHECK_RULES_DIR")
    if env:
        return Path(env)
    shipped = _shipped_rules_dir()
    if shipped is not None:
        return shipped
    raise CatalogueError(
        "rule catalogue not found: no packaged a11ycheck/rules, no rules/ next to src/, and A11YCHECK_RULES_DIR unset"
    )


@lru_cache(maxsize=None)
def _shipped_rules_dir() -> Path | None:
    """The catalogue that comes with this install (packaged, else the source checkout's)."""
    packaged = resources.files("a11ycheck").joinpath("rules")
    if packaged.is_dir():
        return Path(str(packaged))
    source = Path(__file__).resolve().parents[2] / "rules"
    if source.is_dir():
        return source
    return None


def load_rules(rules_dir: Path | None = None, *, validate: bool | None = None) -> dict[str, Rule]:
    """Load, validate and bind every rule. Cached per directory. ``validate`` (default: for
    every catalogue but the shipped one, see the module docs) runs the JSON Schema checks."""
    directory = Path(rules_dir or find_rules_dir())
    if validate is None:
        shipped = _shipped_rules_dir()
        validate = shipped is None or directory.resolve() != shipped.resolve()
    return dict(_load(str(directory), validate))


@lru_cache(maxsize=8)
def _load(rules_dir: str, validate: bool) -> tuple[tuple[str, Rule], ...]:
    from .checks import CHECKS

    directory = Path(rules_dir)
    files = sorted(directory.glob("*.json"))
    if not files:
        raise CatalogueError(f"no rules found in {directory}")
    if validate:
        import jsonschema

        validator = jsonschema.Draft202012Validator(load_schema("rule"))
    wcag = wcag_table()
    rules: dict[str, Rule] = {}
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CatalogueError(f"{path.name}: cannot read rule: {exc}") from None
        if validate:
            errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
            if errors:
                first = errors[0]
                where = "/".join(str(p) for p in first.path) or "(root)"
                raise CatalogueError(f"{path.name}: {where}: {first.message}")
        elif not isinstance(data, dict) or not isinstance(data.get("id"), str) or not isinstance(data.get("wcag"), list):
            raise CatalogueError(f"{path.name}: not a rule document (run the test suite to see why)")
        if data["id"] != path.stem:
            raise CatalogueError(f"{path.name}: id {data['id']!r} does not match the file name")
        for sc in data["wcag"]:
            if sc not in wcag:
                raise CatalogueError(f"{path.name}: unknown WCAG success criterion {sc}")
        check = CHECKS.get(data["id"])
        if check is None:
            raise CatalogueError(f"{path.name}: no check function is registered for {data['id']}")
        options_schema = data.get("options", {})
        if options_schema and validate:
            jsonschema.Draft202012Validator.check_schema(options_schema)
            jsonschema.validate(data.get("defaults", {}), options_schema)
        rules[data["id"]] = Rule(data["id"], data, check, path, options_schema)
    missing = sorted(set(CHECKS) - set(rules))
    if missing:
        raise CatalogueError(f"check functions without a rule file in {directory}: {', '.join(missing)}")
    return tuple(rules.items())
