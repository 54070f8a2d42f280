"""Configuration: ``[tool.a11ycheck]`` in ``pyproject.toml``, or ``a11ycheck.toml``.

Discovery: from the current directory upwards, the first directory with ``.a11ycheck.toml``,
``a11ycheck.toml`` (keys at the top level) or a ``pyproject.toml`` that has a
``[tool.a11ycheck]`` table; ``--config FILE`` names one explicitly and ``--isolated`` ignores
them all. The file is validated against ``schemas/config.schema.json`` and then against the
catalogue (rule ids, families and rule options); any problem is a :class:`ConfigError` that
names the key, which the command line turns into exit status 2.

Globs (``exclude``, ``per-file-ignores``) are matched against paths relative to the
configuration file's directory (the current directory without one), with ``/`` separators:
``*`` and ``?`` stay within one path segment, ``**`` crosses segments, a pattern without ``/``
matches a file or directory name at any depth, and a pattern that matches a directory matches
everything below it (like ``.gitignore``).
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

if TYPE_CHECKING:
    from .registry import Rule

__all__ = ["CONFIG_FILES", "Config", "ConfigError", "GlobSet", "Layer", "find_config", "load_config", "resolve_selection"]

CONFIG_FILES = (".a11ycheck.toml", "a11ycheck.toml", "pyproject.toml")
IMPACTS = ("minor", "moderate", "serious", "critical")


class ConfigError(ValueError):
    """An invalid configuration file or option: a usage error (exit status 2)."""


@dataclass
class Layer:
    """One source of rule selection (the configuration file, then the command line).

    Resolution follows ruff: a layer's ``select`` replaces the set chosen so far, then its
    ``extend_select`` adds and its ``ignore`` removes."""

    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    origin: str = "command line"


@dataclass
class Config:
    source: Path | None = None  # the file it came from (None: defaults)
    root: Path = field(default_factory=Path.cwd)  # directory globs and the baseline are relative to
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    fail_on: str | None = None
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    baseline: str | None = None
    prefix: str = ""  # "[tool.a11ycheck] " for pyproject.toml, used in messages

    @property
    def layer(self) -> Layer:
        return Layer(self.select, list(self.extend_select), list(self.ignore), origin=self.describe())

    def describe(self, key: str | None = None) -> str:
        where = _display(self.source) if self.source else "configuration"
        return f"{where}: {self.prefix}{key}" if key else where

    def baseline_path(self) -> Path | None:
        return None if self.baseline is None else (self.root / self.baseline)


def _display(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return rel if not rel.startswith("..") else str(path)


def _read_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{_display(path)}: cannot read configuration: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{_display(path)}: invalid TOML: {exc}") from None


def _table(path: Path, data: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
    """The a11ycheck table of a parsed file (None when a pyproject.toml has none)."""
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        table = tool.get("a11ycheck") if isinstance(tool, dict) else None
        if table is not None and not isinstance(table, dict):
            raise ConfigError(f"{_display(path)}: [tool.a11ycheck] must be a table")
        return table, "[tool.a11ycheck] "
    return data, ""


def find_config(start: Path | None = None) -> Path | None:
    """The configuration file that applies in ``start`` (default: the current directory)."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        for name in CONFIG_FILES:
            candidate = directory / name
            if candidate.is_file():
                if name != "pyproject.toml":
                    return candidate
                table, _ = _table(candidate, _read_toml(candidate))
                if table is not None:
                    return candidate
    return None


def load_config(path: str | os.PathLike[str] | None = None, *, isolated: bool = False,
                start: Path | None = None) -> Config:
    """Load, validate (schema only) and return the configuration; defaults when there is none."""
    if isolated:
        return Config(root=Path.cwd())
    if path is not None:
        file = Path(path)
        if not file.is_file():
            raise ConfigError(f"{path}: configuration file not found")
    else:
        found = find_config(start)
        if found is None:
            return Config(root=Path.cwd())
        file = found
    table, prefix = _table(file, _read_toml(file))
    return parse_config(table or {}, source=file, prefix=prefix)


def parse_config(data: dict[str, Any], *, source: Path | None = None, prefix: str = "") -> Config:
    """Validate a configuration table against the schema and build a :class:`Config`."""
    import jsonschema

    from .registry import load_schema

    cfg = Config(source=source, root=(source.resolve().parent if source else Path.cwd()), prefix=prefix)
    schema = load_schema("config")
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data),
                    key=lambda e: (list(map(str, e.absolute_path)), e.message))
    if errors:
        raise ConfigError(_explain(cfg, errors[0], schema))
    cfg.select = list(data["select"]) if "select" in data else None
    cfg.ignore = list(data.get("ignore", []))
    cfg.extend_select = list(data.get("extend-select", []))
    cfg.exclude = list(data.get("exclude", []))
    cfg.per_file_ignores = {k: list(v) for k, v in data.get("per-file-ignores", {}).items()}
    cfg.fail_on = data.get("fail-on")
    cfg.options = {k: dict(v) for k, v in data.get("options", {}).items()}
    cfg.baseline = data.get("baseline")
    return cfg


def _key_path(parts: Iterable[Any]) -> str:
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            text = str(p)
            seg = text if re.fullmatch(r"[A-Za-z0-9_-]+", text) else '"' + text.replace('"', '\\"') + '"'
            out += ("." if out else "") + seg
    return out


def _explain(cfg: Config, error: Any, schema: dict[str, Any]) -> str:
    parts = list(error.absolute_path)
    if error.validator == "additionalProperties" and not parts:
        known = sorted(schema["properties"])
        extra = sorted(set(error.instance) - set(known))
        name = extra[0] if extra else "?"
        hint = difflib.get_close_matches(name, known, n=1)
        suggestion = f" (did you mean {hint[0]!r}?)" if hint else f" (known keys: {', '.join(known)})"
        return f"{cfg.describe(name)}: unknown key{suggestion}"
    key = _key_path(parts) or "(table)"
    if error.validator == "enum":
        return f"{cfg.describe(key)}: {error.instance!r} is not one of {', '.join(map(str, error.validator_value))}"
    if error.validator == "pattern":
        return f"{cfg.describe(key)}: {error.instance!r} is not a rule id, family or tag"
    if error.validator == "type":
        expected = error.validator_value
        return f"{cfg.describe(key)}: expected {'a list' if expected == 'array' else 'a ' + str(expected)}, got {error.instance!r}"
    return f"{cfg.describe(key)}: {error.message}"


# ---------------------------------------------------------------------------------- selection
def expand(rules: dict[str, Rule], selectors: Iterable[str], *, origin: str = "command line") -> set[str]:
    """Rule ids for selectors (rule ids, family names or tags, ``ALL``)."""
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
                raise ConfigError(f"{origin}: unknown rule or family: {sel!r}")
            out |= fam
    return out


def resolve_selection(rules: dict[str, Rule], layers: Sequence[Layer]) -> list[Rule]:
    """The rules to run, sorted by id. Without any ``select`` the rules enabled by default run;
    a ``select`` of family names turns on the family's default rules (off-by-default rules need
    their id or ``ALL``)."""
    chosen = {r.id for r in rules.values() if r.enabled}
    for layer in layers:
        if layer.select is not None:
            picked = expand(rules, layer.select, origin=layer.origin)
            explicit = {s.strip() for s in layer.select}
            chosen = {i for i in picked if rules[i].enabled or i in explicit or "ALL" in explicit}
        chosen |= expand(rules, layer.extend_select, origin=layer.origin)
        chosen -= expand(rules, layer.ignore, origin=layer.origin)
    return [rules[i] for i in sorted(chosen)]


def check_against_catalogue(cfg: Config, rules: dict[str, Rule]) -> dict[str, dict[str, Any]]:
    """Validate every key that names rules, and resolve rule options (defaults merged).
    Returns ``{rule id: options}`` for the rules the file configures."""
    for key, sels in (("select", cfg.select or []), ("ignore", cfg.ignore), ("extend-select", cfg.extend_select)):
        expand(rules, sels, origin=cfg.describe(key))
    for pattern, sels in cfg.per_file_ignores.items():
        expand(rules, sels, origin=cfg.describe(f"per-file-ignores.{_key_path([pattern])}"))
    resolved: dict[str, dict[str, Any]] = {}
    for rule_id, opts in cfg.options.items():
        where = cfg.describe(f"options.{_key_path([rule_id])}")
        rule = rules.get(rule_id)
        if rule is None:
            raise ConfigError(f"{where}: unknown rule {rule_id!r} (options are per rule id)")
        if not rule.options_schema:
            raise ConfigError(f"{where}: rule {rule_id} takes no options")
        props = rule.options_schema.get("properties", {})
        for name in opts:
            if name not in props:
                known = ", ".join(sorted(props)) or "none"
                raise ConfigError(f"{where}.{_key_path([name])}: unknown option (options of {rule_id}: {known})")
        import jsonschema  # only when options are configured: it costs ~35 ms to import

        try:
            resolved[rule_id] = rule.resolve_options(opts)
        except jsonschema.ValidationError as exc:
            sub = _key_path(exc.absolute_path)
            raise ConfigError(f"{where}{'.' + sub if sub else ''}: {exc.message}") from None
    return resolved


# ---------------------------------------------------------------------------------- globs
def _glob_regex(pattern: str) -> str:
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            if pattern.startswith("**", i):
                j = i + 2
                if j < n and pattern[j] == "/":  # "**/" : zero or more directories
                    out.append("(?:.*/)?")
                    i = j + 1
                else:
                    out.append(".*")
                    i = j
                continue
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = pattern.find("]", i + 2)
            if j == -1:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1 : j]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = j + 1
                continue
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


class GlobSet:
    """Gitignore-like glob patterns anchored at ``root`` (see the module docstring)."""

    def __init__(self, patterns: Sequence[str], root: Path | None = None) -> None:
        self.patterns = list(patterns)
        self.root = (root or Path.cwd()).resolve()
        regexes = []
        for p in self.patterns:
            p = p.replace("\\", "/").strip()
            while p.startswith("./"):
                p = p[2:]
            p = p.rstrip("/") or p
            if p.startswith("/"):
                p = p[1:]
                anchored = True
            else:
                anchored = "/" in p
            body = _glob_regex(p)
            regexes.append(("^" if anchored else "^(?:.*/)?") + body + "(?:/.*)?\\Z")
        self._regex = re.compile("|".join(f"(?:{r})" for r in regexes)) if regexes else None

    def __bool__(self) -> bool:
        return self._regex is not None

    def relative(self, path: str) -> str:
        p = Path(path)
        absolute = p if p.is_absolute() else Path.cwd() / p
        absolute = Path(os.path.normpath(absolute))
        try:
            rel = absolute.relative_to(self.root)
        except ValueError:
            return absolute.as_posix()
        return rel.as_posix()

    def match(self, path: str) -> bool:
        if self._regex is None or path == "-":
            return False
        return self._regex.match(self.relative(path)) is not None


def per_file_ignore_table(mapping: dict[str, list[str]], rules: dict[str, Rule], root: Path,
                          origin: str = "command line") -> list[tuple[GlobSet, frozenset[str]]]:
    """``{glob: selectors}`` -> ``[(GlobSet, rule ids)]`` (selectors expanded once)."""
    return [(GlobSet([pattern], root), frozenset(expand(rules, sels, origin=origin)))
            for pattern, sels in mapping.items()]


def parse_per_file_ignores(values: Sequence[str]) -> dict[str, list[str]]:
    """Command-line ``GLOB:RULES`` items (``RULES`` comma-separated) -> a mapping."""
    out: dict[str, list[str]] = {}
    for item in values:
        pattern, sep, sels = item.rpartition(":")
        if not sep or not pattern.strip() or not sels.strip():
            raise ConfigError(f"--per-file-ignores: expected GLOB:RULES, got {item!r}")
        out.setdefault(pattern.strip(), []).extend(s.strip() for s in sels.split(",") if s.strip())
    return out


def check_fail_on(value: str, origin: str) -> str:
    if value not in IMPACTS:
        raise ConfigError(f"{origin}: {value!r} is not one of {', '.join(IMPACTS)}")
    return value
