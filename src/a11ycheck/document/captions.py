"""Captions of images, as a helper over the document model.

A caption is text that is shown with an image and read by screen readers on its own: the
``figcaption`` of a ``figure`` (HTML), the caption markup of common CMSs (WordPress
``.wp-caption-text`` and the many ``*caption*`` classes of news templates, chosen by CSS
selectors), and any element an image points at with ``aria-describedby`` (read as the image's
description, right after its name).

Association, built once per document by :class:`CaptionIndex`:

* a ``figcaption`` captions the media of its nearest ``figure`` ancestor (its *scope*);
* any other caption element (matched by a selector, outermost match only, never interactive
  and never containing media itself) captions the media of its nearest ancestor that contains
  media, climbing at most :data:`MAX_CLIMB` levels and never into a sectioning, landmark,
  list or table container;
* an image's ``aria-describedby`` targets are its captions too (hidden targets included: a
  description is read even when its element is hidden).

"Media" are the images a reader would see: ``img``, ``svg`` (outermost), elements with role
img, ``video``, ``canvas``, ``iframe``, ``object``, ``embed``; never when hidden from assistive
technology, a 1x1 tracking pixel, inside a ``button`` or inside a caption. A scope with more
than one medium is a gallery.

Text helpers: :func:`normalize_text` (compare texts across case, white space, punctuation,
entities, Unicode compatibility forms and double-encoded UTF-8), :func:`strip_credits`
(remove photo credits and trailing dates) and :func:`draft_alt` (a draft ``alt`` derived from a
caption, never equal to it).

Cost: :meth:`CaptionIndex.of` builds the index once per document and selector list and every
rule shares it. Selectors are compiled once per process, and the usual ones are matched from
the document's tag and attribute indexes rather than by an XPath predicate on every element
(see "selectors" below). Media come from the same indexes; "media inside an element" is two
bisections over the media's document positions. Then one ancestor walk per caption (the
association climbs are bounded) and one per image looked up; no walk over every element.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence

import cssselect
from cssselect import parser as cssparser
from lxml import etree
from lxml.cssselect import CSSSelector

from .model import sanitize

if TYPE_CHECKING:
    from lxml.etree import _Element

    from .model import Document

__all__ = [
    "Caption", "CaptionIndex", "CaptionSelector", "DEFAULT_CAPTION_SELECTORS", "MAX_CLIMB", "compile_selectors",
    "draft_alt", "is_tracking_pixel", "normalize_text", "repair_mojibake", "strip_credits",
]

#: Caption selectors used when a rule is not given ``caption_selectors``.
DEFAULT_CAPTION_SELECTORS: tuple[str, ...] = (
    "figure figcaption",
    ".wp-caption-text",
    "[class*=caption]",
    "[class*=Caption]",
    "[itemprop=caption]",
)

#: How many ancestors a non-figcaption caption climbs to find the media it captions.
MAX_CLIMB = 3

_MEDIA_TAGS = frozenset({"img", "svg", "video", "canvas", "iframe", "object", "embed"})
_IMG_ROLES = frozenset({"img", "image"})
# A caption never captions across these: they hold many unrelated things.
_BARRIER_TAGS = frozenset({
    "html", "body", "main", "article", "section", "aside", "nav", "header", "footer", "form",
    "ul", "ol", "dl", "table", "tbody", "thead", "tfoot", "tr", "dialog",
})
_INTERACTIVE_TAGS = frozenset({"a", "button", "input", "select", "textarea", "label", "summary"})
_INTERACTIVE_ROLES = frozenset({"button", "link", "tab", "menuitem", "checkbox", "switch", "option"})


# ---------------------------------------------------------------------------------- text helpers
_CP1252_HIGH = "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018\u2019" \
    "\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
# A UTF-8 lead byte (C2-F4) read as windows-1252, followed by 1-3 continuation bytes read the same way.
_MOJIBAKE = re.compile(f"[\u00c2-\u00f4][{_CP1252_HIGH}]{{1,3}}")


def _unmojibake(m: re.Match) -> str:
    run = m.group(0)
    try:
        return run.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return run


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as windows-1252 (``CNRPâ€™s`` -> ``CNRP’s``), sequence by
    sequence; anything that is not such a sequence is left alone."""
    return _MOJIBAKE.sub(_unmojibake, text) if _MOJIBAKE.search(text) else text


def normalize_text(text: str) -> str:
    """Comparable form of a text alternative or caption: double-encoded UTF-8 repaired, leftover
    entities (``&amp;rsquo;``) decoded, NFKC, case-folded, punctuation turned into spaces, format
    characters (soft hyphen, zero-width space) removed, white space collapsed."""
    text = repair_mojibake(text)
    if "&" in text:
        text = html.unescape(text)
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(text.translate(_PUNCTUATION).split())


class _PunctuationTable(dict):
    """``str.translate`` table of :func:`normalize_text`, filled as characters are first seen:
    punctuation becomes a space, format characters (soft hyphen, zero-width space/joiner:
    invisible, never a word break) are removed, anything else is kept."""

    def __missing__(self, code: int) -> str | None:
        ch = chr(code)
        category = unicodedata.category(ch)
        value = " " if category[0] == "P" else None if category == "Cf" else ch
        self[code] = value
        return value


_PUNCTUATION = _PunctuationTable()


_AGENCIES = (
    r"AP|AFP|Reuters|Getty(?:\s+Images)?|EPA(?:-EFE)?|EFE|Shutterstock|iStock(?:photo)?|Alamy|Xinhua|Anadolu(?:\s+Agency)?"
    r"|dpa|PA(?:\s+Wire|\s+Images)?|Bloomberg|NurPhoto|SOPA\s+Images|LightRocket|ZUMA(?:\s+Press|\s+Wire)?|Sipa(?:\s+USA)?"
    r"|Pool|Handout|Kyodo|Yonhap|TASS|Sputnik|ANP|Belga|Keystone|Corbis|Magnum|Polaris|Redux|Imago|Picture\s+alliance"
    r"|Wikimedia\s+Commons|Wikipedia|Flickr|Unsplash|Pexels|Pixabay|Courtesy|File|Archive|VOA|BBC|CNN|NASA"
)
_CREDIT_WORDS = (
    r"photos?|photograph(?:s|y)?|pictures?|pics?|images?|credits?|courtesy|copyright|fotos?|fotograf[ií]as?|bild(?:er)?"
    r"|source|quelle|fonte|fuente|crédit|credito|crédito|via"
)
_PAREN_CREDIT = re.compile(
    r"\s*[(\[]\s*(?:[^()\[\]]*?(?:\b(?:" + _CREDIT_WORDS + r")\b|©|\b(?:" + _AGENCIES + r")\b)[^()\[\]]*)[)\]]\s*",
    re.IGNORECASE,
)
_NAME = r"(?:[A-Z]\.|[A-Z][\w'’-]+)"  # a capitalised word or an initial (used case-sensitively)
# Trailing credits, each matched against a suffix of the caption that starts at a word boundary.
# Groups named "tail" must look like a name list (see _name_like).
_CREDIT_SUFFIXES = [
    re.compile(r"(?:©|\(c\)|copyright)\s*(?P<tail>.+)", re.IGNORECASE),  # © Jane Doe 2016
    re.compile(r"(?:" + _CREDIT_WORDS + r")(?:\s+(?:by|credit|de|von|di|por))?\s*[:/]\s*(?P<tail>\S.*)",
               re.IGNORECASE),  # Photo: Reuters, Image Credit: WeWork, Foto/dpa
    re.compile(r"(?:photo|picture|image|foto)s?\s+(?:by|courtesy(?:\s+of)?|via|from|de|von|di|por)\s+(?P<tail>\S.*)",
               re.IGNORECASE),  # Photo by Jane Doe, Image via Getty Images
    re.compile(r"courtesy(?:\s+of)?\s+(?P<tail>\S.*)", re.IGNORECASE),  # Courtesy Google
    re.compile(r"(?-i:Credits?)(?:\s+|(?=[A-Z]))(?P<tail>\S.*)"),  # Credit Harry Campbell, CreditKirsten Luce (NYT)
    re.compile(r"(?:submitted|file|contributed|staff|courtesy|handout|pool|family|provided|archive)\s+"
               r"(?:photo|image|picture|foto)s?\.?", re.IGNORECASE),  # Submitted photo
    re.compile(r"(?-i:" + _NAME + r"(?:\s+" + _NAME + r"){0,3})\s*/\s*(?:" + _AGENCIES + r")"
               r"(?:\s+via\s+Getty\s+Images)?\.?", re.IGNORECASE),  # Jane Doe/Getty Images
    re.compile(r"(?:" + _AGENCIES + r")(?:\s*/\s*[\w.'’ -]{1,40})?(?:\s+via\s+Getty\s+Images)?\.?",
               re.IGNORECASE),  # Reuters, AP/Jane Doe
]
# "Jane Doe/The New York Times": only right after a sentence or a dash.
_NAME_ORG = re.compile(r"(?-i:" + _NAME + r"(?:\s+" + _NAME + r"){0,3}\s*/\s*" + _NAME + r"(?:[\s-]+" + _NAME + r"){0,4})"
                       r"(?:\s+[—–-]\s+(?:" + _AGENCIES + r"))?\.?")
_CONNECTORS = frozenset("of the via by de del da do dos das di du des la le les van von der den y e et and und for at on & / -".split())
_BOUNDARY = re.compile(r"(?:^|(?<=[\s.,;:|–—(-]))(?=\S)")
_MAX_CREDIT = 120
_MAX_NAME_WORDS = 7


def _name_like(tail: str) -> bool:
    """A credit's tail is a short list of names: every word capitalised, a number, a handle, or a
    connector (of, via, de…)."""
    words = tail.replace("/", " / ").split()
    if not words or sum(1 for w in words if any(ch.isalpha() for ch in w) and w.lower() not in _CONNECTORS) > _MAX_NAME_WORDS:
        return False
    for w in words:
        core = w.strip(".,;:()[]\"'“”‘’")
        if not core or core.lower() in _CONNECTORS or core[0] in "@#©" or not any(ch.isalpha() for ch in core):
            continue
        first = next(ch for ch in core if ch.isalpha())
        if not first.isupper():
            return False
    return True


def _is_credit(suffix: str, prefix: str) -> bool:
    for pattern in _CREDIT_SUFFIXES:
        m = pattern.fullmatch(suffix)
        if m and ("tail" not in m.groupdict() or _name_like(m.group("tail"))):
            return True
    before = prefix.rstrip()
    if (not before or before[-1] in ".!?”\"—–-") and _NAME_ORG.fullmatch(suffix):
        return True
    return False


def _strip_trailing_credit(text: str) -> str:
    """``text`` without the longest trailing credit that starts at a word boundary."""
    lo = max(0, len(text) - _MAX_CREDIT)
    for m in _BOUNDARY.finditer(text, lo):
        start = m.start()
        if _is_credit(text[start:].rstrip(), text[:start]):
            return text[:start]
    return text


_LEADING_FILE = re.compile(r"^\s*FILE\s*[-–—:]\s*", re.IGNORECASE)
# AP style: "In this Jan. 5, 2016, file photo, …", "In this photo provided by …, …"
_IN_THIS_PHOTO = re.compile(r"^in this\b.{0,60}?\b(?:photo(?:graph)?|image|picture)s?\b[^,]{0,60},\s*(?=\S)", re.IGNORECASE)
# Slideshow counters: "Image 1 of 9", "Foto 2/5"
_COUNTER = re.compile(r"^(?:image|photo|picture|slide|foto|bild|imagen|immagine)\s+\d+\s*(?:of|/|von|de|di|sur|van)\s*\d+\s*[:.|–—-]?\s*",
                      re.IGNORECASE)
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?"
          r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_TRAILING_DATE = re.compile(
    r"(?:[\s,;:–—-]+(?:(?:on|in|taken|dated|from)\s+)?)"
    r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s*)?(?:"
    r"(?:\d{1,2}(?:st|nd|rd|th)?\s+)?" + _MONTH + r"(?:\s+\d{1,2}(?:st|nd|rd|th)?)?,?\s+\d{4}"  # May 2016, 2 May 2016, May 2, 2016
    r"|" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?"  # May 2
    r"|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})"  # 2016-06-02, 02.06.2016
    r"|(?:19|20)\d{2}"  # , 2016
    r"|(?<=day)"  # a weekday alone: ", Tuesday"
    r")\s*[.)\]]?\s*$",
    re.IGNORECASE,
)
_TRAILING_JUNK = re.compile(r"[\s,;:|/–—-]+$")


@lru_cache(maxsize=1024)  # a caption is stripped by several rules, and by each for several images
def strip_credits(text: str) -> str:
    """The caption without photo credits (``(AP Photo/…)``, ``Photo: Reuters``, ``… /Getty
    Images``, ``© …``, ``(File photo)``), a leading ``FILE -``, slideshow counter (``Image 1 of 9``)
    or AP "In this … photo," and trailing dates, sanitised.
    Returns ``""`` for a credit-only caption."""
    text = sanitize(text)
    prev = None
    while prev != text:
        prev = text
        text = _LEADING_FILE.sub("", text)
        text = _COUNTER.sub("", text)
        stripped = _IN_THIS_PHOTO.sub("", text)
        if stripped != text:
            text = stripped[:1].upper() + stripped[1:]
        text = _PAREN_CREDIT.sub(" ", text).strip()
        text = _strip_trailing_credit(text).strip()
        text = _TRAILING_DATE.sub("", text).strip()
        text = _TRAILING_JUNK.sub("", text)
    return sanitize(text)


_SENTENCE_END = re.compile(r"(?<=[a-z0-9\u00e0-\u024f)”\"'’])[.!?](?=\s+[A-Z“\"‘'(])")
_MAX_DRAFT = 150
_INTRO = re.compile(r"(?:in|on|at|during|after|before|while|when|since|until|from|last|this|earlier|later|here|above|below|left|right|top|bottom)\b",
                    re.IGNORECASE)


def draft_alt(caption: str) -> str | None:
    """A draft ``alt`` derived from a caption, for a person to review, or None when none can be
    derived. Credits and trailing dates are removed and a long caption is cut to its first
    sentence; the draft is never equal to the caption (after :func:`normalize_text`)."""
    caption = sanitize(caption)
    target = normalize_text(caption)
    draft = strip_credits(caption)
    if not normalize_text(draft):
        return None
    m = _SENTENCE_END.search(draft)
    if m and (len(draft) > _MAX_DRAFT or normalize_text(draft) == target):
        draft = draft[: m.start() + 1]
    if normalize_text(draft) == target:
        # Nothing to remove: keep the main clause, without an introductory phrase ("In 2016, …")
        # or the trailing detail after the first comma.
        parts = re.split(r",\s+|;\s+|\s+[–—-]\s+", draft, maxsplit=1)
        if len(parts) == 2 and _INTRO.match(parts[0]) and len(parts[1].split()) >= 3:
            draft = parts[1][:1].upper() + parts[1][1:]
        elif len(parts) == 2 and len(parts[0].split()) >= 3:
            draft = parts[0]
        else:
            draft = ""
    draft = _TRAILING_JUNK.sub("", draft).strip()
    if not normalize_text(draft) or normalize_text(draft) == target:
        return None
    return draft


# ---------------------------------------------------------------------------------- images
_DIM = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$", re.IGNORECASE)
_STYLE_DIM = re.compile(r"(?:^|;)\s*(width|height)\s*:\s*([^;]*?)\s*(?:!important\s*)?(?=;|$)", re.IGNORECASE)


def _dimension(value: str | None) -> float | None:
    if value is None:
        return None
    m = _DIM.match(value)
    return float(m.group(1)) if m else None


def is_tracking_pixel(el: _Element) -> bool:
    """An ``img`` sized 1x1 or smaller, or with a zero width or height, by its ``width``/``height``
    attributes or its inline style (which wins): a tracking pixel or spacer nobody sees."""
    if el.tag != "img":
        return False
    width, height = _dimension(el.get("width")), _dimension(el.get("height"))
    style = el.get("style")
    if style and ("width" in style or "height" in style):
        for prop, value in _STYLE_DIM.findall(style):
            d = _dimension(value)
            if d is not None:
                if prop.lower() == "width":
                    width = d
                else:
                    height = d
    if width == 0 or height == 0:
        return True
    return width is not None and height is not None and width <= 1 and height <= 1


def has_img_role_attr(el: _Element) -> bool:
    role = el.get("role")
    return bool(role) and role.strip().lower().split()[0] in _IMG_ROLES


# ---------------------------------------------------------------------------------- captions
@dataclass(frozen=True)
class Caption:
    element: _Element
    kind: str  # "figcaption", "selector" or "describedby"
    text: str  # visible text (see caption_text); for a description, its text as computed, sanitised
    scope: _Element | None  # the figure/container captioned (None for describedby)
    link_only: bool = False  # all its text is link text: a teaser headline, not a description


    @property
    def label(self) -> str:
        """How a message names this caption: ``<figcaption>``, ``.wp-caption-text`` …"""
        if self.kind == "describedby":
            return f"aria-describedby description (<{self.element.tag}>)"
        if self.element.tag == "figcaption":
            return "<figcaption>"
        classes = (self.element.get("class") or "").split()
        cls = next((c for c in classes if "caption" in c.lower()), classes[0] if classes else "")
        return f"<{self.element.tag} class=\"{cls}\">" if cls else f"<{self.element.tag}>"


def caption_text(doc: Document, el: _Element) -> str:
    """What a reader sees of a caption: its text nodes that are exposed to assistive technology,
    with a space at block boundaries, sanitised. Unlike a computed name it leaves out ``title``
    attributes (Wikipedia's empty "Enlarge" link) and the alt of icons inside the caption."""
    from . import aria

    hidden = doc.hidden_at
    parts: list[str] = [el.text or ""]
    walker = etree.iterwalk(el, events=("start", "end"))
    for event, node in walker:
        if node is el:
            continue
        tag = node.tag
        if event == "start":
            if not isinstance(tag, str) or node in hidden or tag in ("script", "style", "template", "noscript"):
                walker.skip_subtree()
                continue
            if tag not in aria.PHRASING_TAGS or tag == "br":
                parts.append(" ")
            parts.append(node.text or "")
        else:
            if isinstance(tag, str) and tag not in aria.PHRASING_TAGS:
                parts.append(" ")
            parts.append(node.tail or "")
    return sanitize("".join(parts))


def _text_outside_links(el: _Element) -> str:
    """The element's text that is not inside a link (``a[href]``)."""
    parts: list[str] = []
    in_link = 0
    if el.text:
        parts.append(el.text)
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if node is el:
            continue
        is_link = node.tag == "a" and node.get("href") is not None
        if event == "start":
            if is_link:
                in_link += 1
            if not in_link and isinstance(node.tag, str) and node.text and node.tag not in ("script", "style"):
                parts.append(node.text)
        else:
            if is_link:
                in_link -= 1
            if not in_link and node.tail:
                parts.append(node.tail)
    return sanitize("".join(parts))


# ---------------------------------------------------------------------------------- selectors
# Caption selectors are CSS. cssselect turns each into an XPath that libxml2 evaluates with a
# predicate on every element of the page: about 0.2 ms a selector on a typical page, once most
# of what the caption rules cost. The usual forms -- compound selectors made of a tag name,
# classes, ids and attribute tests, joined by descendant combinators -- are matched in Python
# instead, from the document's tag and attribute indexes, with the semantics of cssselect's
# XPath: case-sensitive names and values, class lists split at XML white space. Anything else
# (pseudo-classes, other combinators, namespaces, flags, empty or white-space values, ``*``
# alone) runs the XPath.
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_XML_SPACE = re.compile(r"[ \t\n\r]+")


def _any_value(value: str) -> bool:
    return True


def _value_test(operator: str, value: str | None) -> Callable[[str], bool] | None:
    """The test of an attribute's value for ``[attr<operator>value]``, or None when that
    selector is not handled here."""
    if operator == "exists":
        return _any_value
    if value is None:
        return None
    if operator == "=":
        return value.__eq__
    if not value or any(ch.isspace() for ch in value):
        return None  # cssselect: never matches, or white-space subtleties: left to its XPath
    if operator == "~=":
        return lambda v: value in v and value in _XML_SPACE.split(v)
    if operator == "*=":
        return lambda v: value in v
    if operator == "^=":
        return lambda v: v.startswith(value)
    if operator == "$=":
        return lambda v: v.endswith(value)
    if operator == "|=":
        dashed = value + "-"
        return lambda v: v == value or v.startswith(dashed)
    return None


@dataclass(frozen=True)
class _Compound:
    """A compound selector: an optional tag name and tests of attribute values."""

    tag: str | None
    tests: tuple[tuple[str, Callable[[str], bool]], ...]  # (attribute, test of its value)

    def matches(self, el: _Element) -> bool:
        if self.tag is not None and el.tag != self.tag:
            return False
        for attr, test in self.tests:
            value = el.get(attr)
            if value is None or not test(value):
                return False
        return True


def _compound(tree: object) -> _Compound | None:
    """The compound selector of a parsed cssselect tree, or None when it is not one handled here."""
    tests: list[tuple[str, Callable[[str], bool] | None]] = []
    while not isinstance(tree, cssparser.Element):
        if isinstance(tree, cssparser.Class):
            tests.append(("class", _value_test("~=", tree.class_name)))
        elif isinstance(tree, cssparser.Hash):
            tests.append(("id", _value_test("=", tree.id)))
        elif (isinstance(tree, cssparser.Attrib) and tree.namespace is None
              and getattr(tree, "flag", None) is None and _PLAIN_NAME.fullmatch(tree.attrib)):
            value = tree.value.value if tree.value is not None else None
            tests.append((tree.attrib, _value_test(tree.operator, value)))
        else:
            return None
        tree = tree.selector  # type: ignore[attr-defined]
    if tree.namespace is not None or (tree.element is not None and not _PLAIN_NAME.fullmatch(tree.element)):
        return None
    if any(test is None for _, test in tests) or (tree.element is None and not tests):
        return None  # an unhandled test, or "*" (every element)
    return _Compound(tree.element, tuple(reversed(tests)))  # type: ignore[arg-type]


def _descendant_chain(tree: object) -> tuple[_Compound, ...] | None:
    """``A B C`` as its compound selectors from left to right, or None when not handled here."""
    compounds: list[_Compound] = []
    while isinstance(tree, cssparser.CombinedSelector):
        right = _compound(tree.subselector) if tree.combinator == " " else None
        if right is None:
            return None
        compounds.append(right)
        tree = tree.selector
    first = _compound(tree)
    if first is None:
        return None
    compounds.append(first)
    return tuple(reversed(compounds))


class _AttributeValues:
    """``(element, value)`` of every element with an attribute, read once per document and
    attribute (lxml's ``get`` is the slow part of a scan)."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._values: dict[str, list[tuple[_Element, str]]] = {}

    def __call__(self, attr: str) -> list[tuple[_Element, str]]:
        pairs = self._values.get(attr)
        if pairs is None:
            pairs = self._values[attr] = [(e, e.get(attr)) for e in self.doc.with_attr(attr)]
        return pairs


class CaptionSelector:
    """A compiled caption selector (see :func:`compile_selectors`)."""

    def __init__(self, css: str) -> None:
        self.css = css
        self._xpath = CSSSelector(css)  # validates it
        chains = [_descendant_chain(s.parsed_tree) if s.pseudo_element is None else None
                  for s in cssselect.parse(css)]
        self._chains: list[tuple[_Compound, ...]] | None = (
            None if any(c is None for c in chains) else chains)  # type: ignore[assignment]

    def select(self, doc: Document, values: _AttributeValues) -> Iterable[_Element]:
        """The elements of ``doc`` it matches (in no particular order, possibly repeated)."""
        if self._chains is None:
            return [e for top in doc.roots for e in self._xpath(top)]
        return [e for chain_ in self._chains for e in self._select_chain(doc, values, chain_)]

    @staticmethod
    def _select_chain(doc: Document, values: _AttributeValues, compounds: tuple[_Compound, ...]) -> Iterator[_Element]:
        *outer, last = compounds
        if last.tests:
            # Candidates from the first test's attribute, then the rest of the compound.
            (attr, test), rest = last.tests[0], _Compound(last.tag, last.tests[1:])
            candidates: Iterable[_Element] = (e for e, v in values(attr) if test(v))
        else:
            rest, candidates = _Compound(None, ()), doc.tagged(last.tag)  # type: ignore[arg-type]
        for el in candidates:
            if not rest.matches(el):
                continue
            # Descendant combinators: the nearest ancestor matching each compound, right to left
            # (nearest is enough: a higher match has fewer ancestors to match the rest).
            node: _Element | None = el
            for compound in reversed(outer):
                node = next((a for a in doc.ancestors(node) if compound.matches(a)), None)
                if node is None:
                    break
            else:
                yield el


@lru_cache(maxsize=256)
def _compile_selector(selector: str) -> CaptionSelector:
    """One caption selector compiled, once per process (cssselect's translation costs far more
    than matching)."""
    try:
        return CaptionSelector(selector)
    except Exception as exc:  # cssselect raises several exception types
        raise ValueError(f"invalid caption selector {selector!r}: {exc}") from None


def compile_selectors(selectors: Sequence[str]) -> list[CaptionSelector]:
    """Compile caption selectors; an invalid selector raises ValueError naming it."""
    return [_compile_selector(s) for s in selectors]


class CaptionIndex:
    """Captions of the images of one document. Get it with :meth:`of`: one index per document
    and selector list, shared by every rule that asks (the constructor builds a private one).

    Positions are ``doc.order`` (document order): an element's subtree is the interval from its
    own position to that of its last descendant, so "media inside ``el``" is a count of sorted
    media positions in that interval (two bisections) rather than a counter on every ancestor of
    every medium."""

    def __init__(self, doc: Document, selectors: Sequence[str] = DEFAULT_CAPTION_SELECTORS) -> None:
        self.doc = doc
        compiled = compile_selectors(selectors)
        self._media: set[_Element] = set()
        self._positions: list[int] = []  # document positions of the media, sorted
        self._find_media()
        self._scopes: dict[_Element, list[Caption]] = {}
        self._image_scopes: dict[_Element, _Element | None] = {}
        self._find_captions(compiled)

    @classmethod
    def of(cls, doc: Document, selectors: Sequence[str] = DEFAULT_CAPTION_SELECTORS) -> CaptionIndex:
        """The document's shared index for these selectors, built on first use."""
        key = tuple(selectors)
        return doc.memo(("captions", key), lambda: cls(doc, key))

    def _media_between(self, lo: int, hi: int) -> int:
        """Number of media with a position in ``(lo, hi]``."""
        return bisect_right(self._positions, hi) - bisect_right(self._positions, lo)

    # -------------------------------------------------------------- media
    def is_medium(self, el: _Element) -> bool:
        """Counts as an image of its figure (see module docs)."""
        return el in self._media

    def _find_media(self) -> None:
        doc = self.doc
        order = doc.order
        candidates = set(chain.from_iterable(doc.tagged(t) for t in _MEDIA_TAGS))
        candidates.update(e for e in doc.with_attr("role") if has_img_role_attr(e))
        media = {order[e]: e for e in candidates
                 if not doc.is_inert(e) and not doc.is_hidden(e) and not is_tracking_pixel(e)}
        # Not media: those strictly inside an svg or a button (the positions in its subtree).
        positions = sorted(media)
        for container in chain(doc.tagged("svg"), doc.tagged("button")) if positions else ():
            first = bisect_right(positions, order[container])
            if first < len(positions):
                for p in positions[first:bisect_right(positions, self.doc.subtree_end(container), first)]:
                    media.pop(p, None)
        self._positions = sorted(media)
        self._media = set(media.values())

    def media_in(self, el: _Element) -> int:
        """Number of media strictly inside ``el``."""
        return self._media_between(self.doc.order[el], self.doc.subtree_end(el))

    # -------------------------------------------------------------- captions
    def _find_captions(self, selectors: list[CaptionSelector]) -> None:
        doc = self.doc
        found: set[_Element] = set()
        values = _AttributeValues(doc)
        for sel in selectors:
            found.update(sel.select(doc, values))
        # Containers of media (``div.wp-caption``, Drupal's ``figure.caption``) are not captions;
        # a figcaption is one even when it holds an icon.
        found = {e for e in found if isinstance(e.tag, str) and not doc.is_inert(e) and not doc.is_hidden(e)
                 and e.tag not in _MEDIA_TAGS and (e.tag == "figcaption" or not self.media_in(e))}
        for el in sorted(found, key=doc.order.__getitem__):
            # Only the outermost caption element counts; none inside a control or an SVG graphic.
            if any(a in found or a.tag in _INTERACTIVE_TAGS or a.tag == "svg" for a in doc.ancestors(el)):
                continue
            if el.tag in _INTERACTIVE_TAGS or doc.role(el) in _INTERACTIVE_ROLES:
                continue
            scope = self._scope_of(el)
            if scope is None:
                continue
            text = caption_text(doc, el)
            if not text:
                continue
            kind = "figcaption" if el.tag == "figcaption" and scope.tag == "figure" else "selector"
            self._scopes.setdefault(scope, []).append(Caption(el, kind, text, scope, not _text_outside_links(el)))

    def _scope_of(self, el: _Element) -> _Element | None:
        if el.tag == "figcaption":
            for a in self.doc.ancestors(el):
                if a.tag == "figure":
                    return a if self.media_in(a) - self.media_in(el) > 0 else None
        for i, a in enumerate(self.doc.ancestors(el)):
            if i >= MAX_CLIMB or a.tag in _BARRIER_TAGS or self.doc.role(a) in ("main", "article", "region", "navigation",
                                                                                  "banner", "contentinfo", "complementary"):
                return None
            if self.media_in(a):
                return a
        return None

    def scope_of_image(self, img: _Element) -> _Element | None:
        """The nearest ancestor of ``img`` that some caption captions (looked up once per image:
        the rules sharing the index ask for the same images)."""
        try:
            return self._image_scopes[img]
        except KeyError:
            pass
        scope = None
        if self._scopes:
            for a in self.doc.ancestors(img):
                if a in self._scopes:
                    scope = a
                    break
                if a.tag in ("body", "html"):
                    break
        self._image_scopes[img] = scope
        return scope

    def media_of_scope(self, scope: _Element) -> int:
        """Media in the scope, not counting any inside its captions."""
        n = self.media_in(scope)
        for cap in self._scopes.get(scope, []):
            n -= self.media_in(cap.element)
        return n

    def is_gallery(self, scope: _Element) -> bool:
        return self.media_of_scope(scope) > 1

    def captions(self, img: _Element, *, describedby: bool = True) -> list[Caption]:
        """Captions of ``img``: those of its nearest captioned scope, then its aria-describedby
        targets (each element once)."""
        out: list[Caption] = []
        scope = self.scope_of_image(img)
        if scope is not None:
            out.extend(self._scopes[scope])
        if describedby and img.get("aria-describedby"):
            seen = {c.element for c in out}
            for ident in img.get("aria-describedby", "").split():
                target = self.doc.by_id(ident)
                if target is None or target in seen or target is img:
                    continue
                seen.add(target)
                text = sanitize(self.doc.content_text(target, include_hidden=True))
                if text:
                    out.append(Caption(target, "describedby", text, None))
        return out

    def figure_captions(self, img: _Element) -> list[Caption]:
        """Captions of the scope ``img`` belongs to, without aria-describedby."""
        return self.captions(img, describedby=False)
