"""Images family (WCAG 1.1.1): text alternatives of images, image buttons, image-map areas and
objects with axe-core's semantics, plus three rules about captioned photos that axe does not
have (alt repeating the caption, placeholder alts, decorative images with a describing caption).

Caption association lives in :mod:`a11ycheck.document.captions`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, Iterator
from urllib.parse import unquote, urlsplit

from ..document import Document, aria, sanitize
from ..document.captions import (
    DEFAULT_CAPTION_SELECTORS,
    Caption,
    CaptionIndex,
    draft_alt,
    has_img_role_attr,
    is_tracking_pixel,
    normalize_text,
    strip_credits,
)
from . import Context, Result, check, failed, passed

if TYPE_CHECKING:
    from lxml.etree import _Element

_PRESENTATIONAL = aria.PRESENTATIONAL_ROLES

# Start tags that close an open <p> in an HTML parser ("close a p element"). libxml2 does not
# close <p> for the HTML5 elements among them, so an ancestor <p> above one of these is not an
# ancestor in a browser's tree.
_P_CLOSERS = frozenset(
    """address article aside blockquote center details dialog dir div dl dd dt fieldset figcaption figure
    footer form h1 h2 h3 h4 h5 h6 header hgroup hr li listing main menu nav ol p plaintext pre search
    section summary table ul xmp""".split()
)


# ------------------------------------------------------------------------------ shared helpers
def axe_explicit_role(el: _Element) -> str | None:
    """axe-core's ``getExplicitRole`` without fallback: the whole trimmed, lower-cased ``role``
    value when it is a concrete ARIA role (DPUB ``doc-*`` roles not counted)."""
    value = (el.get("role") or "").strip().lower()
    if not value or value.startswith("doc-"):
        return None
    return value if value in aria.CONCRETE_ROLES else None


def name_required_matches(doc: Document, el: _Element) -> bool:
    """axe's ``no-explicit-name-required-matches``: no explicit role, a presentational role, a
    role that requires a name, or focusable."""
    role = axe_explicit_role(el)
    if role is None or role in _PRESENTATIONAL:
        return True
    if role == "image" or role in aria.NAME_REQUIRED_ROLES:
        return True
    return doc.is_focusable(el)


def _has_aria_label(el: _Element) -> bool:
    return bool(sanitize(el.get("aria-label") or ""))


def _has_labelledby(doc: Document, el: _Element) -> bool:
    return bool(el.get("aria-labelledby")) and doc.name_source(el) == "aria-labelledby"


def _has_title(el: _Element) -> bool:
    return bool((el.get("title") or "").strip())


def _has_alt_text(el: _Element) -> bool:
    return bool((el.get("alt") or "").strip())


# Attributes lazy-loading scripts copy into src once the image scrolls into view; the src they
# start with (a 1x1 GIF, a data: URL, or nothing) is a placeholder, so messages name this file.
_LAZY_ATTRS = ("data-src", "data-original", "data-lazy-src", "data-lsrc", "data-srcset", "data-lazy-srcset")
_LAZY_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?/{0,2}[^\s,]+\.(?:jpe?g|png|gif|webp|avif|svg)(?:[?#][^\s,]*)?(?:\s|,|$)", re.I)


def _lazy_url(el: _Element) -> str | None:
    """The image a lazy-loading script will show: a known attribute first, else any ``data-*``
    attribute whose value starts with an image URL (``data-source-standard``...)."""
    known = ((el.get(attr) or "").strip() for attr in _LAZY_ATTRS)
    found = next((v for v in known if v and not v.startswith("data:")), None)
    if found is None:
        guessed = (v.strip() for a, v in el.attrib.items() if a.startswith("data-"))
        found = next((v for v in guessed if _LAZY_URL.match(v)), None)
    # a srcset-style value ("a.jpg 100w, b.jpg 200w"): its first URL
    return None if found is None else found.split()[0].rstrip(",")


def _src_label(el: _Element) -> str:
    """Short name of the image file for messages: the last path segment of the lazy-loaded URL
    when there is one (``src`` then only holds a placeholder), else of ``src`` (or ``data``)."""
    values = (_lazy_url(el), el.get("src"), el.get("data"))
    for value in values:
        value = (value or "").strip()
        if value:
            if value.startswith("data:"):
                return "data: URL"
            path = urlsplit(value).path if "://" in value or value.startswith("//") else value.split("?")[0].split("#")[0]
            seg = PurePosixPath(path).name or value
            return unquote(seg)
    return "no src"


def _global_aria_attr(el: _Element) -> str | None:
    return next((k for k in el.attrib if k in aria.GLOBAL_ARIA_ATTRS), None)


def _conflict_reason(doc: Document, el: _Element) -> str:
    attr = _global_aria_attr(el)
    if attr is not None:
        return f"it has the global ARIA attribute {attr}"
    return "it is focusable"


def _fix_from_captions(captions: list[Caption]) -> dict[str, Any] | None:
    """A display-only fix: a draft alt derived from the first caption that yields one."""
    for cap in captions:
        draft = draft_alt(cap.text)
        if draft is not None:
            return {
                "description": (
                    "Draft alt text derived from the image's caption (credits and dates removed). "
                    "A person must review it before use: the alt must describe what the image shows, "
                    "so edit the draft rather than leave it a copy of the caption."
                ),
                "applicability": "display-only",
                "attribute": "alt",
                "value": draft,
            }
    return None


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ------------------------------------------------------------------------------ image-alt
def _figure_exception(doc: Document, el: _Element, index: CaptionIndex) -> Caption | None:
    """WHATWG "images whose contents are not known": ``el`` is the only content of a ``figure``
    besides a ``figcaption`` that has text. Returns that caption."""
    figure = next((a for a in doc.ancestors(el) if a.tag == "figure"), None)
    if figure is None:
        return None
    caption = next((c for c in index.figure_captions(el) if c.kind == "figcaption" and c.scope is figure), None)
    if caption is None or index.media_of_scope(figure) != 1 or not index.is_medium(el):
        return None
    if (figure.text or "").strip():
        return None
    stack = list(figure)
    while stack:
        node = stack.pop()
        if (node.tail or "").strip():
            return None  # text beside an element, inside the figure
        if node is caption.element or not isinstance(node.tag, str):
            continue
        if node.tag in ("script", "style", "template", "noscript"):
            continue
        if (node.text or "").strip():
            return None
        stack.extend(node)
    return caption


@check("image-alt")
def image_alt(doc: Document, ctx: Context) -> Iterator[Result]:
    index: CaptionIndex | None = None
    for el in doc.iter_tag("img"):
        if doc.is_hidden(el) or not name_required_matches(doc, el):
            continue
        presentational = doc.role(el) in _PRESENTATIONAL
        alt = el.get("alt")
        if alt is not None and alt != "" and not alt.strip() and not presentational:
            yield failed(el, "whitespace-alt", src=_src_label(el))
            continue
        if alt is not None or presentational or _has_aria_label(el) or _has_labelledby(doc, el) or _has_title(el):
            yield passed(el)
            continue
        src = _src_label(el)
        if is_tracking_pixel(el):
            yield failed(el, "tracking-pixel", impact="minor", src=src)
            continue
        if axe_explicit_role(el) in _PRESENTATIONAL:
            yield failed(el, "presentation-conflict", role=axe_explicit_role(el), reason=_conflict_reason(doc, el), src=src)
            continue
        if index is None:
            index = CaptionIndex.of(doc)
        captions = index.figure_captions(el)
        fix = _fix_from_captions(captions)
        figcap = _figure_exception(doc, el, index)
        if figcap is not None:
            yield failed(el, "missing-in-captioned-figure", impact="serious", fix=fix, src=src,
                         caption=_short(figcap.text))
        elif captions:
            yield failed(el, "missing-with-caption", fix=fix, src=src, caption=_short(captions[0].text),
                         caption_element=captions[0].label)
        else:
            yield failed(el, "missing", src=src)


# ------------------------------------------------------------------------------ image-redundant-alt
def _redundant_container(el: _Element) -> _Element | None:
    """Closest ancestor-or-self matching ``button, [role=button], a[href], p, li, td, th`` in the
    tree a browser builds (a <p> above a block that closes it does not count)."""
    crossed_closer = False
    node: _Element | None = el
    while node is not None:
        tag = node.tag
        if (tag in ("button", "li", "td", "th") or node.get("role") == "button"
                or (tag == "a" and node.get("href") is not None) or (tag == "p" and not crossed_closer)):
            return node
        if node is not el and tag in _P_CLOSERS:
            crossed_closer = True
        node = node.getparent()
    return None


@check("image-redundant-alt")
def image_redundant_alt(doc: Document, ctx: Context) -> Iterator[Result]:
    for el in doc.iter_tag("img"):
        if doc.is_hidden(el):
            continue
        if doc.role(el) in _PRESENTATIONAL:
            yield passed(el)
            continue
        container = _redundant_container(el)
        if container is None:
            yield passed(el)
            continue
        text = doc.visible_text(container).lower()
        name = doc.name(el)
        if text and text == name.lower():
            what = "link" if container.tag == "a" else ("button" if container.tag == "button" or container.get("role") == "button" else f"<{container.tag}>")
            yield failed(el, "repeated", name=name, container=what)
        else:
            yield passed(el)


# ------------------------------------------------------------------------------ role-img-alt / svg-img-alt
# role attribute values (compared as written, like an XPath ``@role='img'``) the rules select.
_IMG_ROLE_VALUES = ("img", "image")
_SVG_ROLE_VALUES = ("img", "image", "graphics-symbol")


def _svg_role_candidates(doc: Document) -> list[_Element]:
    """Elements svg-img-alt tests: ``role`` img, image or graphics-symbol on any element, or
    graphics-document on an ``svg``, in document order."""
    return doc.in_order(doc.with_role(*_SVG_ROLE_VALUES),
                        (e for e in doc.with_role("graphics-document") if e.tag == "svg"))


def _inside_svg(doc: Document, el: _Element) -> bool:
    return el.tag == "svg" or any(a.tag == "svg" for a in doc.ancestors(el))


@check("role-img-alt")
def role_img_alt(doc: Document, ctx: Context) -> Iterator[Result]:
    for el in doc.with_role(*_IMG_ROLE_VALUES):
        if el.tag in ("img", "area", "input", "object") or doc.is_inert(el) or doc.is_hidden(el):
            continue
        if _inside_svg(doc, el):
            continue
        if _has_aria_label(el) or _has_labelledby(doc, el) or _has_title(el):
            yield passed(el)
        else:
            text = sanitize(doc.content_text(el))
            if text:
                yield failed(el, "text-not-name", tag=el.tag, role=el.get("role"), text=_short(text, 60))
            else:
                yield failed(el, "missing", tag=el.tag, role=el.get("role"))


def _svg_title_text(el: _Element) -> str | None:
    """Text of the first ``<title>`` child (hidden content included), None when there is none."""
    title = next((c for c in el if c.tag == "title"), None)
    if title is None:
        return None
    return "".join(title.itertext()).strip()


@check("svg-img-alt")
def svg_img_alt(doc: Document, ctx: Context) -> Iterator[Result]:
    for el in _svg_role_candidates(doc):
        if doc.is_inert(el) or doc.is_hidden(el) or not _inside_svg(doc, el):
            continue
        title = _svg_title_text(el)
        if title or _has_aria_label(el) or _has_labelledby(doc, el) or _has_title(el):
            yield passed(el)
        elif title is None:
            yield failed(el, "no-title", tag=el.tag, role=el.get("role"))
        else:
            yield failed(el, "empty-title", tag=el.tag, role=el.get("role"))


# ------------------------------------------------------------------------------ input-image-alt
def _explicit_labels(doc: Document) -> dict[str, list[_Element]]:
    labels: dict[str, list[_Element]] = {}
    for lab in doc.iter_tag("label"):
        f = lab.get("for")
        if f is not None:
            labels.setdefault(f, []).append(lab)
    return labels


def _is_image_button(el: _Element) -> bool:
    # HTML: the type attribute is an enumerated attribute, ASCII case-insensitive.
    return (el.get("type") or "").lower() == "image"


@check("input-image-alt")
def input_image_alt(doc: Document, ctx: Context) -> Iterator[Result]:
    labels: dict[str, list[_Element]] | None = None
    for el in doc.iter_tag("input"):
        if not _is_image_button(el) or doc.is_hidden(el) or not name_required_matches(doc, el):
            continue
        if _has_alt_text(el) or _has_aria_label(el) or _has_labelledby(doc, el) or _has_title(el):
            yield passed(el)
            continue
        wrapping = next((a for a in doc.ancestors(el) if a.tag == "label"), None)
        if wrapping is not None and sanitize(doc.content_text(wrapping, control=el)):
            yield passed(el)
            continue
        ident = el.get("id")
        if ident:
            if labels is None:
                labels = _explicit_labels(doc)
            if any(doc.is_hidden_for_everyone(lab) or sanitize(doc.content_text(lab, control=el))
                   for lab in labels.get(ident, [])):
                yield passed(el)
                continue
        value = (el.get("value") or "").strip()
        if value:
            yield failed(el, "value-only", src=_src_label(el), value=_short(value, 60))
        else:
            yield failed(el, "missing", src=_src_label(el))


# ------------------------------------------------------------------------------ area-alt
@check("area-alt")
def area_alt(doc: Document, ctx: Context) -> Iterator[Result]:
    for el in doc.iter_tag("area"):
        if el.get("href") is None or not any(a.tag == "map" for a in doc.ancestors(el)):
            continue
        if _has_alt_text(el) or _has_aria_label(el) or _has_labelledby(doc, el) or _has_title(el):
            yield passed(el)
        else:
            yield failed(el, "missing", href=_short(el.get("href") or "", 60))


# ------------------------------------------------------------------------------ object-alt
@check("object-alt")
def object_alt(doc: Document, ctx: Context) -> Iterator[Result]:
    for el in doc.iter_tag("object"):
        if not (el.get("data") or "").strip() or doc.is_hidden(el) or not name_required_matches(doc, el):
            continue
        if (_has_aria_label(el) or _has_labelledby(doc, el) or _has_title(el)
                or doc.role(el) in _PRESENTATIONAL):
            yield passed(el)
        else:
            fallback = sanitize(doc.content_text(el))
            if fallback:
                yield failed(el, "fallback-only", src=_src_label(el), fallback=_short(fallback, 60))
            else:
                yield failed(el, "missing", src=_src_label(el))


# ------------------------------------------------------------------------------ own rules: common
def _candidate_images(doc: Document) -> list[_Element]:
    """Images the caption/placeholder rules test, in document order: ``img`` and elements with
    role img, exposed to assistive technology, not tracking pixels, not parts of an SVG graphic.
    Found once per document for the three rules (shared list: do not mutate it)."""
    def find() -> list[_Element]:
        roles = (e for e in doc.with_attr("role") if has_img_role_attr(e))
        has_svg = bool(doc.tagged("svg"))
        return [el for el in doc.in_order(doc.tagged("img"), roles)
                if not (doc.is_inert(el) or doc.is_hidden(el) or is_tracking_pixel(el))
                and not (has_svg and any(a.tag == "svg" for a in doc.ancestors(el)))]

    return doc.memo(("images", "candidates"), find)


def _caption_selectors(ctx: Context) -> tuple[str, ...]:
    return tuple(ctx.options.get("caption_selectors", DEFAULT_CAPTION_SELECTORS))


def same_text(a: str, b: str) -> bool:
    """Equal after normalisation, or equal once photo credits and dates are removed from both."""
    na, nb = normalize_text(a), normalize_text(b)
    if na and na == nb:
        return True
    sa = normalize_text(strip_credits(a))
    return bool(sa) and sa == normalize_text(strip_credits(b))


# ------------------------------------------------------------------------------ image-alt-caption-duplicate
@check("image-alt-caption-duplicate")
def image_alt_caption_duplicate(doc: Document, ctx: Context) -> Iterator[Result]:
    index = CaptionIndex.of(doc, _caption_selectors(ctx))
    for el in _candidate_images(doc):
        name = doc.name(el)
        if not name or doc.role(el) in _PRESENTATIONAL:
            continue
        captions = index.captions(el)
        if not captions:
            continue
        container = _redundant_container(el)
        if container is not None and doc.visible_text(container).lower() == name.lower():
            continue  # the surrounding text repeats the alt: image-redundant-alt reports it
        hit = next((c for c in captions if same_text(name, c.text)), None)
        if hit is None:
            yield passed(el)
        elif hit.link_only:
            yield failed(el, "same-as-headline", name=_short(name), caption_element=hit.label)
        elif hit.kind == "describedby":
            yield failed(el, "same-as-description", name=_short(name), caption_element=hit.label)
        else:
            yield failed(el, "same-as-caption", name=_short(name), caption_element=hit.label)


# ------------------------------------------------------------------------------ image-alt-decorative-caption
def _marked_decorative(doc: Document, el: _Element) -> str | None:
    """How the author marked the image decorative (``alt=""``, ``role="none"``…), or None."""
    if doc.name(el):
        return None
    explicit = doc.explicit_role(el)
    if explicit in _PRESENTATIONAL:
        return f'role="{explicit}"'
    if el.tag == "img" and el.get("alt") == "" and doc.role(el) in _PRESENTATIONAL:
        return 'alt=""'
    return None


@check("image-alt-decorative-caption")
def image_alt_decorative_caption(doc: Document, ctx: Context) -> Iterator[Result]:
    index = CaptionIndex.of(doc, _caption_selectors(ctx))
    for el in _candidate_images(doc):
        if not index.is_medium(el):
            continue
        scope = index.scope_of_image(el)
        if scope is None or index.media_of_scope(scope) != 1:
            continue  # no caption, or a gallery: one caption for several images
        describing = [c for c in index.figure_captions(el) if strip_credits(c.text) and not c.link_only]
        if not describing:
            continue  # a credit ("Photo: Reuters") or a headline link does not describe the image
        marking = _marked_decorative(doc, el)
        if marking is None:
            yield passed(el)
        else:
            yield failed(el, "decorative", marking=marking, caption=_short(describing[0].text),
                         caption_element=describing[0].label, fix=_fix_from_captions(describing))


# ------------------------------------------------------------------------------ image-alt-placeholder
_IMAGE_EXT = re.compile(
    r"\.(?:jpe?g|jpe|jfif|pjpeg|png|apng|gif|webp|avif|svgz?|bmp|tiff?|heic|heif|ico|jxl|jp2|raw|cr2|nef|dng|psd)"
    r"(?:[?#]\S*)?$",
    re.IGNORECASE,
)
_CAMERA = re.compile(
    r"^(?:img|dsc[nf_]?|_dsc|dscf|pxl|mvimg|_mg|gopr|gh0|dji|cimg|sam|p|pict|image|photo|dcim|vid|screenshot|scan)"
    r"[\s_-]?\d{3,}[\w-]*$",
    re.IGNORECASE,
)
_SCREENSHOT = re.compile(
    r"^(?:screen\s?shot|screenshot|bildschirmfoto|capture d[’']écran|captura de pantalla|whatsapp image)\b.*\d",
    re.IGNORECASE,
)
_HASH = re.compile(r"^(?:[0-9a-f]{16,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$", re.IGNORECASE)
_WP_SIZE = re.compile(r"^[\w-]+-\d{2,4}x\d{2,4}$", re.IGNORECASE)
_URL = re.compile(r"^(?:(?:https?|ftp|file):/*\S+|//\S+|www\.\S+|data:\S+|/\S*/\S*)$", re.IGNORECASE)
_CREDIT_MARKER = re.compile(
    r"^\s*[(\[]?\s*(?:©|\(c\)|copyright\b|credit\s*:|courtesy\b|(?:ap|afp|epa)\s+photo\b"
    r"|(?:photo|foto|image|picture|bild)s?\s*(?:credit)?\s*[:/]|(?:photo|picture|image)s?\s+(?:by|courtesy)\b)",
    re.IGNORECASE,
)
_NO_WORD_CATEGORIES = ("N", "P", "Z")
# A name equal to the image's own file name counts only when it looks like one (a plain word such
# as "Twitter" or "RSS" for twitter.png / rss.png is the right alt for an icon).
_SLUG = re.compile(r"[_\-.\d]")
# ASCII emoticons (":)", ";-P", "<3") are text, not "no words": WordPress writes them as the alt of smiley images.
_EMOTICON = re.compile(r"^(?:[:;=8xX][-'^o]?[()\[\]DPpOo3|/\\*@$]+|[()\[\]][-'^o]?[:;=]|<3|\^_?\^)$")


def _src_names(el: _Element) -> set[str]:
    out = set()
    for attr in ("src", "data-src", "data-lazy-src", "data-original"):
        value = (el.get(attr) or "").strip()
        if not value or value.startswith("data:"):
            continue
        path = urlsplit(value).path if "://" in value or value.startswith("//") else value.split("?")[0].split("#")[0]
        seg = unquote(PurePosixPath(path).name).casefold()
        if seg:
            out.add(seg)
            stem = seg.rsplit(".", 1)[0] if "." in seg else seg
            if stem:
                out.add(stem)
    return out


def _word_key(text: str) -> str:
    """Placeholder comparison form: normalised, digits-only tokens dropped, trailing digits of a
    token removed (``image001`` -> ``image``)."""
    tokens = []
    for tok in normalize_text(text).split():
        if tok.isdigit():
            continue
        tok = tok.rstrip("0123456789")
        if tok:
            tokens.append(tok)
    return " ".join(tokens)


@lru_cache(maxsize=64)
def _placeholder_words(words: tuple[str, ...]) -> frozenset[str]:
    """The ``words`` option in :func:`_word_key` form, once per process and word list."""
    return frozenset(_word_key(w) for w in words) - {""}


def placeholder_kind(name: str, el: _Element, words: frozenset[str]) -> str | None:
    """Why ``name`` is not a real text alternative (a message key), or None."""
    text = name.strip()
    compact = "".join(text.split())
    if _IMAGE_EXT.search(text) or _CAMERA.match(compact) or _SCREENSHOT.match(text) or _HASH.match(compact) \
            or _WP_SIZE.match(text) or (_SLUG.search(text) and " " not in text and text.casefold() in _src_names(el)):
        return "file-name"
    if _URL.match(text):
        return "url"
    if not _EMOTICON.match(text) and all(
            unicodedata.category(ch)[0] in _NO_WORD_CATEGORIES or unicodedata.category(ch) in ("Sm", "Sk") for ch in text):
        return "no-words"
    if _word_key(text) in words:
        return "placeholder-word"
    if _CREDIT_MARKER.match(text) and not strip_credits(text):
        return "credit-only"
    return None


def _author_name(doc: Document, el: _Element) -> str:
    """The accessible name an author gave; for an image button, not the "Submit" default."""
    if el.tag == "input":
        if not any((el.get(a) or "").strip() for a in ("alt", "value", "title", "aria-label", "aria-labelledby")):
            return ""
    return doc.name(el)


@check("image-alt-placeholder")
def image_alt_placeholder(doc: Document, ctx: Context) -> Iterator[Result]:
    words = _placeholder_words(tuple(ctx.options["words"]))
    index: CaptionIndex | None = None
    buttons = (e for e in doc.iter_tag("input") if _is_image_button(e) and not doc.is_hidden(e))
    seen: set = set()
    for el in [*_candidate_images(doc), *buttons]:
        if el in seen:
            continue
        seen.add(el)
        if doc.role(el) in _PRESENTATIONAL:
            continue
        name = _author_name(doc, el)
        if not name:
            continue
        kind = placeholder_kind(name, el, words)
        if kind is None:
            yield passed(el)
            continue
        if index is None:
            index = CaptionIndex.of(doc)
        fix = _fix_from_captions(index.figure_captions(el))
        yield failed(el, kind, name=_short(name), fix=fix)
