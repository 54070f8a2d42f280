"""a11ycheck: a fast, browser-free accessibility checker for rendered article HTML."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "check_bytes", "check_paths"]


def __getattr__(name: str):  # lazy re-exports keep `import a11ycheck` cheap for the CLI
    if name in ("check_bytes", "check_paths"):
        from . import api

        return getattr(api, name)
    raise AttributeError(name)
