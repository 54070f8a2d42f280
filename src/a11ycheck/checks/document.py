"""Page-level rules: document-title, html-has-lang, html-lang-valid."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Iterator

from ..document import Document
from . import Context, Result, check, failed, passed


@lru_cache(maxsize=1)
def language_subtags() -> frozenset[str]:
    text = resources.files("a11ycheck").joinpath("data", "language-subtags.txt").read_text(encoding="ascii")
    return frozenset(t for line in text.splitlines() if not line.startswith("#") for t in line.split())


def _lang_attrs(doc: Document) -> tuple[str | None, str | None]:
    root = doc.root
    return root.get("lang"), root.get("xml:lang")


@check("document-title")
def document_title(doc: Document, ctx: Context) -> Iterator[Result]:
    title = doc.title()
    if title is None:
        yield failed(doc.root, "missing")
    elif not title:
        yield failed(doc.root, "empty")
    else:
        yield passed(doc.root)


@check("html-has-lang")
def html_has_lang(doc: Document, ctx: Context) -> Iterator[Result]:
    lang, xml_lang = _lang_attrs(doc)
    if lang is not None and lang.strip():
        yield passed(doc.root)
    elif xml_lang is not None and xml_lang.strip():
        yield failed(doc.root, "xml-lang-only", xml_lang=xml_lang.strip())
    elif lang is not None:
        yield failed(doc.root, "empty")
    else:
        yield failed(doc.root, "missing")


@check("html-lang-valid")
def html_lang_valid(doc: Document, ctx: Context) -> Iterator[Result]:
    known = language_subtags()
    values = [(attr, v) for attr, v in zip(("lang", "xml:lang"), _lang_attrs(doc)) if v]
    if not values:
        return
    for attr, value in values:
        base = value.strip().split("-")[0].lower()
        if not base or base not in known:
            yield failed(doc.root, "invalid", attribute=attr, value=value, base=base or value)
            return
    yield passed(doc.root)
