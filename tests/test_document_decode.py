"""Decoding bytes like a browser: BOM, meta prescan with WHATWG labels, UTF-8, windows-1252."""

from __future__ import annotations

import pytest

from a11ycheck.document.decode import InputError, decode_html


@pytest.mark.parametrize(
    ("data", "encoding", "source", "text"),
    [
        (b"\xef\xbb\xbf<p>Caf\xc3\xa9</p>", "utf-8", "bom", "Café"),
        ("\ufeff<p>Café</p>".encode("utf-16-le"), "utf-16le", "bom", "Café"),
        ("\ufeff<p>Café</p>".encode("utf-16-be"), "utf-16be", "bom", "Café"),
        (b'<meta charset="windows-1252"><p>Caf\xe9 \x93q\x94</p>', "windows-1252", "meta", "Café “q”"),
        (b'<meta charset="latin1"><p>\x93</p>', "windows-1252", "meta", "“"),  # latin1 label means windows-1252
        (b'<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS"><p>\x93\xfa\x96{</p>', "shift_jis", "meta", "日本"),
        (b'<meta charset="gb2312"><p>\xd6\xd0</p>', "gbk", "meta", "中"),
        (b'<meta charset="utf-16"><p>Caf\xc3\xa9</p>', "utf-8", "meta", "Café"),  # a UTF-16 label in ASCII text means UTF-8
        (b"<p>Caf\xc3\xa9</p>", "utf-8", "utf-8-valid", "Café"),
        (b"<p>Caf\xe9</p>", "windows-1252", "fallback", "Café"),
        (b'<meta charset="bogus-label"><p>Caf\xc3\xa9</p>', "utf-8", "utf-8-valid", "Café"),
        (b'\xef\xbb\xbf<meta charset="windows-1252"><p>Caf\xc3\xa9</p>', "utf-8", "bom", "Café"),  # the BOM wins
        (b"<!-- <meta charset=windows-1252> --><p>Caf\xc3\xa9</p>", "utf-8", "utf-8-valid", "Café"),  # meta in a comment
    ],
)
def test_encoding_detection(data: bytes, encoding: str, source: str, text: str) -> None:
    d = decode_html(data)
    assert (d.encoding, d.source) == (encoding, source)
    assert text in d.text


def test_late_meta_is_ignored() -> None:
    """Only the first 1024 bytes are prescanned, as in browsers."""
    data = b"<p>" + b"x" * 2000 + b'</p><meta charset="windows-1252"><p>Caf\xc3\xa9</p>'
    assert decode_html(data).encoding == "utf-8"


def test_invalid_utf8_is_replaced_and_counted() -> None:
    d = decode_html(b'<meta charset="utf-8"><p>a\xff\xfeb</p>')
    assert d.replacements == 2 and "a\ufffd\ufffdb" in d.text


def test_undefined_windows_1252_bytes_become_c1_controls() -> None:
    d = decode_html(b'<meta charset="windows-1252"><p>\x81\x8d</p>')
    assert "\x81\x8d" in d.text


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (b"\xef\xbb\xbf", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (bytes((i * 7919) % 256 for i in range(4096)), "binary"),
        ("<html><p>x</p></html>".encode("utf-16-le"), "binary"),  # UTF-16 without BOM
    ],
)
def test_not_html_inputs(data: bytes, kind: str) -> None:
    with pytest.raises(InputError) as info:
        decode_html(data)
    assert info.value.kind == kind
