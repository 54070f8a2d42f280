"""Turn the bytes of a page into text the way a browser does.

Order (WHATWG "determining the character encoding", without the transport layer):

1. a byte-order mark (UTF-8, UTF-16LE, UTF-16BE) wins;
2. otherwise the ``<meta charset>`` / ``<meta http-equiv=content-type>`` prescan of the first
   1024 bytes, with the label mapped through the WHATWG encoding labels (``latin1`` and
   ``ascii`` mean windows-1252, ``gb2312`` means GBK, a UTF-16 label means UTF-8, unknown labels
   are ignored);
3. otherwise strict UTF-8 if the bytes are valid UTF-8;
4. otherwise windows-1252, where the five bytes Python's cp1252 leaves undefined decode to the
   C1 controls as browsers do.

Decoding never fails: invalid sequences become U+FFFD and are counted.

Inputs that are not HTML text at all (binary files, UTF-16 without a byte-order mark, empty
files) raise :class:`InputError` with a one-line explanation.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

__all__ = ["Decoded", "InputError", "decode_html", "normalize_label"]


class InputError(Exception):
    """The input cannot be checked; ``kind`` is a stable machine-readable category."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # WHATWG name of the encoding used, e.g. "utf-8", "windows-1252"
    source: str  # "bom", "meta", "utf-8-valid", "fallback"
    replacements: int  # number of U+FFFD inserted for invalid byte sequences


# WHATWG label -> (WHATWG name, Python codec). Labels are matched after ASCII-lowercasing and
# trimming. The table covers every encoding a news site is likely to declare.
_ENCODINGS: dict[str, tuple[str, str]] = {}


def _add(name: str, codec: str, labels: str) -> None:
    for label in labels.split():
        _ENCODINGS[label] = (name, codec)


_add("utf-8", "utf-8", "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8")
_add(
    "windows-1252",
    "cp1252",
    "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 "
    "iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252",
)
_add("iso-8859-2", "iso8859-2", "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987 l2 latin2")
_add("iso-8859-3", "iso8859-3", "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 iso_8859-3:1988 l3 latin3")
_add("iso-8859-4", "iso8859-4", "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 iso_8859-4:1988 l4 latin4")
_add("iso-8859-5", "iso8859-5", "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 iso_8859-5 iso_8859-5:1988")
_add("iso-8859-6", "iso8859-6", "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6 iso-8859-6-e iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987")
_add("iso-8859-7", "iso8859-7", "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 iso8859-7 iso88597 iso_8859-7 iso_8859-7:1987 sun_eu_greek")
_add("iso-8859-8", "iso8859-8", "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 iso8859-8 iso88598 iso_8859-8 iso_8859-8:1988 visual iso-8859-8-i csiso88598i logical")
_add("iso-8859-10", "iso8859-10", "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6")
_add("iso-8859-13", "iso8859-13", "iso-8859-13 iso8859-13 iso885913")
_add("iso-8859-14", "iso8859-14", "iso-8859-14 iso8859-14 iso885914")
_add("iso-8859-15", "iso8859-15", "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9")
_add("iso-8859-16", "iso8859-16", "iso-8859-16")
_add("koi8-r", "koi8-r", "cskoi8r koi koi8 koi8-r koi8_r")
_add("koi8-u", "koi8-u", "koi8-ru koi8-u")
_add("macintosh", "mac-roman", "csmacintosh mac macintosh x-mac-roman")
_add("windows-874", "cp874", "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874")
_add("windows-1250", "cp1250", "cp1250 windows-1250 x-cp1250")
_add("windows-1251", "cp1251", "cp1251 windows-1251 x-cp1251")
_add("windows-1253", "cp1253", "cp1253 windows-1253 x-cp1253")
_add("windows-1254", "cp1254", "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 iso_8859-9:1989 l5 latin5 windows-1254 x-cp1254")
_add("windows-1255", "cp1255", "cp1255 windows-1255 x-cp1255")
_add("windows-1256", "cp1256", "cp1256 windows-1256 x-cp1256")
_add("windows-1257", "cp1257", "cp1257 windows-1257 x-cp1257")
_add("windows-1258", "cp1258", "cp1258 windows-1258 x-cp1258")
_add("gbk", "gbk", "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk")
_add("gb18030", "gb18030", "gb18030")
_add("big5", "big5hkscs", "big5 big5-hkscs cn-big5 csbig5 x-x-big5")
_add("euc-jp", "euc_jp", "cseucpkdfmtjapanese euc-jp x-euc-jp")
_add("iso-2022-jp", "iso2022_jp", "csiso2022jp iso-2022-jp")
_add("shift_jis", "cp932", "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis")
_add("euc-kr", "cp949", "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 ksc5601 ksc_5601 windows-949")
# A UTF-16 label in a <meta> cannot be true (the prescan read ASCII): the spec says use UTF-8.
_add("utf-8", "utf-8", "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le unicodefffe utf-16be")


_CODEC_BY_NAME = {name: codec for name, codec in _ENCODINGS.values()}


def normalize_label(label: str) -> tuple[str, str] | None:
    """Map an encoding label to (WHATWG name, Python codec), or None for an unknown label."""
    return _ENCODINGS.get(label.strip(" \t\n\f\r").lower())


def _c1_fallback(error: UnicodeError) -> tuple[str, int]:
    # windows-1252 bytes 0x81, 0x8D, 0x8F, 0x90, 0x9D decode to the matching C1 control.
    assert isinstance(error, UnicodeDecodeError)
    return "".join(chr(b) for b in error.object[error.start : error.end]), error.end


codecs.register_error("a11ycheck-c1", _c1_fallback)

_META = re.compile(rb"<meta[\s/]", re.I)
_COMMENT = re.compile(rb"<!--.*?-->", re.S)
_ATTR = re.compile(
    rb"""([^\s/>=]+)\s*(?:=\s*(?:"([^"]*)"?|'([^']*)'?|([^\s>]*)))?""",
)
_CHARSET_IN_CONTENT = re.compile(rb"""charset\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s;"']+))""", re.I)


def _prescan(head: bytes) -> str | None:
    """The WHATWG prescan, simplified: the first <meta> that declares a known charset wins."""
    head = _COMMENT.sub(b"", head)
    for m in _META.finditer(head):
        end = head.find(b">", m.end())
        tag = head[m.end() : end if end != -1 else len(head)]
        attrs: dict[bytes, bytes] = {}
        for am in _ATTR.finditer(tag):
            name = am.group(1).lower()
            if name in attrs:
                continue
            value = am.group(2) if am.group(2) is not None else am.group(3) if am.group(3) is not None else am.group(4) or b""
            attrs[name] = value
        label: bytes | None = None
        if b"charset" in attrs:
            label = attrs[b"charset"]
        elif attrs.get(b"http-equiv", b"").strip().lower() == b"content-type" and b"content" in attrs:
            cm = _CHARSET_IN_CONTENT.search(attrs[b"content"])
            if cm:
                label = cm.group(1) or cm.group(2) or cm.group(3)
        if label is not None:
            found = normalize_label(label.decode("latin-1"))
            if found is not None:
                return found[0]
    return None


_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x7fELF", "an executable"),
    (b"RIFF", "a RIFF media file"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
)
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"


# WHATWG MIME Sniffing, "rules for identifying an unknown MIME type": these HTML signatures are
# matched before the binary-data check, so a page that starts like HTML is HTML even when it holds
# control characters or NUL bytes.
_HTML_SIGNATURE = re.compile(
    rb"[\t\n\f\r ]*(?:(?:<!DOCTYPE HTML|<HTML|<HEAD|<SCRIPT|<IFRAME|<H1|<DIV|<FONT|<TABLE|<A|<STYLE|<TITLE|<B|<BODY"
    rb"|<BR|<P)[ >]|<!--|<\?xml)",
    re.I,
)


def _sniff_binary(data: bytes) -> str | None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return f"binary data ({what}), not HTML"
    if _HTML_SIGNATURE.match(data):
        return None
    sample = data[:8192]
    if not sample:
        return None
    nul = sample.count(0)
    if nul * 4 >= len(sample) and (sample[0::2].count(0) > len(sample) // 3 or sample[1::2].count(0) > len(sample) // 3):
        return "looks like UTF-16 text without a byte-order mark; save it as UTF-8 (or add a BOM)"
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    if controls * 20 > len(sample):  # more than 5% control bytes: not text
        return f"binary data ({controls} control bytes in the first {len(sample)}), not HTML"
    return None


def _decode(data: bytes, codec: str) -> tuple[str, int]:
    if codec == "cp1252":
        return data.decode("cp1252", "a11ycheck-c1"), 0
    text = data.decode(codec, "replace")
    reps = text.count("\ufffd")
    if reps:
        reps -= data.decode(codec, "ignore").count("\ufffd")  # U+FFFD present in valid input
    return text, reps


def decode_html(data: bytes) -> Decoded:
    """Decode page bytes like a browser would. Raises InputError for non-HTML input."""
    if data.startswith(b"\xef\xbb\xbf"):
        text, reps = _decode(data[3:], "utf-8")
        result = Decoded(text, "utf-8", "bom", reps)
    elif data.startswith(b"\xff\xfe"):
        text, reps = _decode(data[2:], "utf-16-le")
        result = Decoded(text, "utf-16le", "bom", reps)
    elif data.startswith(b"\xfe\xff"):
        text, reps = _decode(data[2:], "utf-16-be")
        result = Decoded(text, "utf-16be", "bom", reps)
    else:
        problem = _sniff_binary(data)
        if problem:
            raise InputError("binary", problem)
        declared = _prescan(data[:1024])
        if declared is not None:
            text, reps = _decode(data, _CODEC_BY_NAME[declared])
            result = Decoded(text, declared, "meta", reps)
        else:
            try:
                result = Decoded(data.decode("utf-8"), "utf-8", "utf-8-valid", 0)
            except UnicodeDecodeError:
                text, _ = _decode(data, "cp1252")
                result = Decoded(text, "windows-1252", "fallback", 0)
    if not result.text.strip(" \t\n\r\f\x00\ufeff"):
        raise InputError("empty", "the file is empty (no HTML to check)")
    return result
