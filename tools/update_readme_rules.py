"""Regenerate the rule table in README.md from the catalogue (`a11ycheck rules --format markdown`)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from click.testing import CliRunner

from a11ycheck.cli import main

readme = Path(__file__).resolve().parents[1] / "README.md"
table = CliRunner().invoke(main, ["rules", "--format", "markdown"]).output.strip()
text = readme.read_text(encoding="utf-8")
new = re.sub(r"<!-- rules:start -->.*<!-- rules:end -->", lambda _: f"<!-- rules:start -->\n{table}\n<!-- rules:end -->", text, flags=re.S)
readme.write_text(new, encoding="utf-8")
sys.stdout.write("README rule table updated\n" if new != text else "README rule table already up to date\n")
