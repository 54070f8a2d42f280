"""The document model: one parse and shared semantics (roles, names, hidden-ness, ids,
headings, landmarks, positions). Checks read it; they never recompute it."""

from __future__ import annotations

from .decode import InputError
from .model import Document, Heading, parse_document, sanitize

__all__ = ["Document", "Heading", "InputError", "parse_document", "sanitize"]
