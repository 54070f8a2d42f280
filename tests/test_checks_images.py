"""Images family: edge cases too ugly for the rule JSON examples (real windows-1252 bytes,
double-encoded UTF-8, the draft-alt fix, credit stripping, caption association, libxml2's
unclosed <p>, deep trees) and the caption-defects example page."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from a11ycheck.api import check_paths
from a11ycheck.document import parse_document
from a11ycheck.document.captions import (
    DEFAULT_CAPTION_SELECTORS,
    CaptionIndex,
    compile_selectors,
    draft_alt,
    is_tracking_pixel,
    normalize_text,
    repair_mojibake,
    strip_credits,
)
from a11ycheck.engine import RuleRun, evaluate, to_finding
from a11ycheck.registry import load_rules, load_schema

from helpers import doc_of, outcomes, run_rule, select_all, select_one

ROOT = Path(__file__).resolve().parents[1]
IMAGE_RULES = ("image-alt", "image-redundant-alt", "role-img-alt", "svg-img-alt", "input-image-alt", "area-alt",
               "object-alt", "image-alt-caption-duplicate", "image-alt-placeholder", "image-alt-decorative-caption")


def failed_keys(rule_id: str, html: str | bytes, options: dict | None = None) -> list[tuple[str, str]]:
    r = load_rules()[rule_id]
    doc = doc_of(html)
    results = evaluate(doc, RuleRun(r, r.resolve_options(options)))
    return [(doc.selector(x.element), x.key) for x in results if x.outcome == "failed"]


# ------------------------------------------------------------------------------ encodings
SEED_CAPTION = "The CNRP’s acting president, Kem Sokha, “expressed concern” about the jailing of dissidents."


def _cp1252_page(alt_html: str, caption_html: str) -> bytes:
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="windows-1252"><title>Cambodia</title></head><body>'
        f'<figure><img id="a" src="kem-sokha.jpg" alt="{alt_html}"><figcaption>{caption_html}</figcaption></figure>'
        "</body></html>"
    )
    return page.encode("cp1252")


def test_windows_1252_bytes_alt_entities_equal_literal_caption() -> None:
    """A windows-1252 page: curly quotes as raw 0x92/0x93/0x94 bytes in the caption and as
    entities in the alt are the same text, so the duplicate is found."""
    alt = "the CNRP&rsquo;s acting president, Kem Sokha, &#8220;expressed concern&#x201D; about the jailing of dissidents"
    data = _cp1252_page(alt, SEED_CAPTION)
    assert b"\x92" in data and b"\x93" in data
    doc = parse_document(data)
    assert doc.encoding == "windows-1252"
    img = select_one(doc, "#a")
    assert "’" in img.get("alt")
    assert failed_keys("image-alt-caption-duplicate", data) == [(doc.selector(img), "same-as-caption")]


def test_windows_1252_straight_quotes_versus_curly() -> None:
    """Straight quotes in the alt, windows-1252 curly quotes in the caption: still a duplicate."""
    data = _cp1252_page("The CNRP's acting president, Kem Sokha, &quot;expressed concern&quot; about the jailing of dissidents.",
                        SEED_CAPTION)
    assert [k for _, k in failed_keys("image-alt-caption-duplicate", data)] == ["same-as-caption"]


def test_windows_1252_different_text_passes() -> None:
    data = _cp1252_page("Kem Sokha at a rally, waving to supporters", SEED_CAPTION)
    assert failed_keys("image-alt-caption-duplicate", data) == []


def test_double_encoded_utf8_alt_is_repaired() -> None:
    """A CMS that stored UTF-8 as windows-1252 writes CNRPâ€™s; that is the same text as CNRP’s."""
    assert repair_mojibake("CNRPâ€™s “acting” president") == "CNRP’s “acting” president"
    html = f'<figure><img id="a" src="x.jpg" alt="The CNRPâ€™s acting president"><figcaption>The CNRP’s acting president</figcaption></figure>'
    assert [k for _, k in failed_keys("image-alt-caption-duplicate", html)] == ["same-as-caption"]


def test_double_escaped_entities_are_decoded() -> None:
    html = '<figure><img id="a" src="x.jpg" alt="Hun Sen&amp;rsquo;s party"><figcaption>Hun Sen’s party</figcaption></figure>'
    assert [k for _, k in failed_keys("image-alt-caption-duplicate", html)] == ["same-as-caption"]


def test_normalize_text() -> None:
    assert normalize_text("  Ban Ki-moon\u00a0SPEAKS,\n“today”… ") == normalize_text("ban ki moon speaks today")
    assert normalize_text("ﬁle\u00adname") == "filename"  # NFKC ligature, soft hyphen removed
    assert normalize_text("Kem Sokha") != normalize_text("Kem Sokha Jr")


# ------------------------------------------------------------------------------ credits and drafts
@pytest.mark.parametrize(
    ("caption", "stripped"),
    [
        ("Opposition supporters outside the court. (AP Photo/Heng Sinith)", "Opposition supporters outside the court."),
        ("Ban Ki-moon speaks to reporters in New York, May 2016. (Reuters)", "Ban Ki-moon speaks to reporters in New York"),
        ("Foreign Minister Prak Sokhon (File photo)", "Foreign Minister Prak Sokhon"),
        ("Hun Sen in Phnom Penh. Photo: Jabin Botsford/The Washington Post", "Hun Sen in Phnom Penh."),
        ("Residents look at the damage in Kandahar. John Moore/Getty Images", "Residents look at the damage in Kandahar."),
        ("A mural in Havana, Cuba, on June 2, 2016. REUTERS/Alexandre Meneghini", "A mural in Havana, Cuba"),
        ("FILE - In this Jan. 5, 2016, file photo, Hun Sen speaks. (AP Photo/Heng Sinith, File)", "Hun Sen speaks."),
        ("Peacekeepers in Sudan. Credit Ashraf Shazly/Agence France-Presse — Getty Images", "Peacekeepers in Sudan."),
        ("Christopher Battin Submitted photo", "Christopher Battin"),
        ("The Eiffel Tower at night, 12.03.2019", "The Eiffel Tower at night"),
        ("A protester holds a sign © AFP", "A protester holds a sign"),
        ("Image 1 of 9 In this Sunday, Nov. 10, 2019, photograph, unsold cars sit at a dealership in Littleton, Colo.",
         "Unsold cars sit at a dealership in Littleton, Colo."),
        ("Brock Nelson scores in Pittsburgh, Tuesday, Nov. 19, 2019.", "Brock Nelson scores in Pittsburgh"),
        ("Overhead utilities were buried.CreditKirsten Luce for The New York Times", "Overhead utilities were buried."),
        ("Photos: Reuters", ""),
        ("Getty Images", ""),
        ("Courtesy Google", ""),
        ("Image via Getty Images", ""),
        # Not credits: a headline after "Photos:", a lower-case phrase, a slash in a name.
        ("Photos: Metalachi fans rock out at San Antonio's Paper Tiger", "Photos: Metalachi fans rock out at San Antonio's Paper Tiger"),
        ("Image: South Korea Descends Into Crisis After Lawmakers Overturn the President's Decree",
         "Image: South Korea Descends Into Crisis After Lawmakers Overturn the President's Decree"),
        ("AC/DC in concert", "AC/DC in concert"),
    ],
)
def test_strip_credits(caption: str, stripped: str) -> None:
    assert strip_credits(caption) == stripped


def test_draft_alt_examples() -> None:
    assert draft_alt("Foreign Minister Prak Sokhon (File photo)") == "Foreign Minister Prak Sokhon"
    assert draft_alt("Photos: Reuters") is None  # nothing but a credit
    assert draft_alt("Kem Sokha") is None  # nothing to remove: no draft rather than the caption again
    long = ("Court officials want to question Kem Sokha, pictured in Phnom Penh in February 2016, about recent "
            "allegations of solicitation and ignoring previous subpoenas.")
    assert draft_alt(long) == "Court officials want to question Kem Sokha"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200))
def test_draft_alt_is_never_the_caption(caption: str) -> None:
    """Whatever the caption, the draft is absent or differs from it after normalisation."""
    draft = draft_alt(caption)
    assert draft is None or (draft.strip() and normalize_text(draft) != normalize_text(caption))


@pytest.mark.parametrize("rule_id", ["image-alt", "image-alt-decorative-caption", "image-alt-placeholder"])
def test_fix_matches_report_schema_and_asks_for_review(rule_id: str) -> None:
    """The draft alt is display-only, fits finding.fix in the report schema and says a person must review it."""
    alt = {"image-alt": None, "image-alt-decorative-caption": "", "image-alt-placeholder": "IMG_2041.jpg"}[rule_id]
    alt_attr = "" if alt is None else f' alt="{alt}"'
    caption = "Ban Ki-moon speaks to reporters at U.N. headquarters in New York, May 2016. (Reuters)"
    html = f'<figure><img id="a" src="ban.jpg"{alt_attr}><figcaption>{caption}</figcaption></figure>'
    doc, results = run_rule(rule_id, html)
    (res,) = [r for r in results if r.outcome == "failed"]
    finding = to_finding(doc, load_rules()[rule_id], res)
    schema = load_schema("report")
    jsonschema.validate(finding.fix, schema["$defs"]["finding"]["properties"]["fix"])
    assert finding.fix["applicability"] == "display-only"
    assert finding.fix["attribute"] == "alt"
    assert finding.fix["value"] == "Ban Ki-moon speaks to reporters at U.N. headquarters in New York"
    assert normalize_text(finding.fix["value"]) != normalize_text(caption)
    assert "person must review" in finding.fix["description"]


def test_image_alt_captioned_figure_is_serious_and_plain_missing_is_critical() -> None:
    html = ('<figure><img id="a" src="a.jpg"><figcaption>Kem Sokha in Phnom Penh (Reuters)</figcaption></figure>'
            '<p><img id="b" src="b.jpg"></p>')
    doc, results = run_rule("image-alt", html)
    by_id = {r.element.get("id"): r for r in results}
    assert (by_id["a"].key, by_id["a"].impact) == ("missing-in-captioned-figure", "serious")
    assert by_id["a"].fix["value"] == "Kem Sokha in Phnom Penh"
    assert (by_id["b"].key, by_id["b"].impact, by_id["b"].fix) == ("missing", None, None)


def test_figure_exception_needs_the_image_to_be_the_only_content() -> None:
    """Text beside the image inside the figure breaks the WHATWG condition: critical, not serious."""
    html = '<figure><img id="a" src="a.jpg"> Exclusive <figcaption>Kem Sokha in Phnom Penh</figcaption></figure>'
    assert failed_keys("image-alt", html) == [("#a", "missing-with-caption")]
    wrapped = '<figure><a href="/big.jpg"><picture><source srcset="a.webp"><img id="a" src="a.jpg"></picture></a><figcaption>Kem Sokha</figcaption></figure>'
    assert failed_keys("image-alt", wrapped) == [("#a", "missing-in-captioned-figure")]


def test_tracking_pixel_sizes() -> None:
    def img(attrs: str):
        return select_one(doc_of(f"<img id=t src=x.gif {attrs}>"), "#t")

    assert is_tracking_pixel(img('width="1" height="1"'))
    assert is_tracking_pixel(img('width="0"'))
    assert is_tracking_pixel(img('style="width: 1px; height: 1px"'))
    assert is_tracking_pixel(img('width="300" height="200" style="height:0!important"'))
    assert not is_tracking_pixel(img('width="1" height="20"'))  # a spacer line, visible
    assert not is_tracking_pixel(img('width="1"'))
    assert not is_tracking_pixel(img('width="100%" height="1"'))
    assert not is_tracking_pixel(img(""))


# ------------------------------------------------------------------------------ caption association
def test_caption_association_outermost_and_containers() -> None:
    """div.wp-caption holds the image, so it is a container, not a caption; the nested
    .caption span inside the real caption does not count twice."""
    html = ('<div class="wp-caption" id="box"><img id="a" src="a.jpg" alt="x">'
            '<p class="wp-caption-text" id="c"><span class="caption-inner">Kem Sokha</span> (Reuters)</p></div>')
    doc = doc_of(html)
    index = CaptionIndex(doc)
    caps = index.captions(select_one(doc, "#a"))
    assert [c.element.get("id") for c in caps] == ["c"]
    assert caps[0].scope is select_one(doc, "#box")
    assert caps[0].text == "Kem Sokha (Reuters)"


def test_caption_does_not_climb_into_the_article() -> None:
    """A caption far from any image (or across a sectioning element) captions nothing."""
    html = ('<article><img id="a" src="a.jpg" alt=""><div><div><div><p class="caption">Chart source: UN</p>'
            '</div></div></div></article><section><p class="caption">Kem Sokha</p></section><img id="b" src="b.jpg" alt="">')
    doc = doc_of(html)
    index = CaptionIndex(doc)
    assert index.captions(select_one(doc, "#a")) == []
    assert index.captions(select_one(doc, "#b")) == []


def test_caption_selectors_are_configurable_and_validated() -> None:
    html = '<div class="photo"><img id="a" src="a.jpg" alt=""><em class="legend">Kem Sokha</em></div>'
    assert failed_keys("image-alt-decorative-caption", html) == []
    assert failed_keys("image-alt-decorative-caption", html, {"caption_selectors": [".legend"]}) == [("#a", "decorative")]
    with pytest.raises(ValueError, match="invalid caption selector"):
        compile_selectors(["figure >> figcaption"])


def test_json_defaults_match_the_code() -> None:
    for rule_id in ("image-alt-caption-duplicate", "image-alt-decorative-caption"):
        assert tuple(load_rules()[rule_id].defaults["caption_selectors"]) == DEFAULT_CAPTION_SELECTORS


def test_gallery_images_with_one_caption() -> None:
    """Several images, one credit caption: no decorative finding even with alt="", no duplicate."""
    html = ('<figure><img id="a" src="1.jpg" alt=""><img id="b" src="2.jpg" alt="Riot police"><img id="c" src="3.jpg" '
            'alt="Monks"><figcaption>Photos: Reuters</figcaption></figure>')
    assert outcomes("image-alt-decorative-caption", html) == {}
    assert outcomes("image-alt-caption-duplicate", html) == {"passed": [("#b", None), ("#c", None)]}


def test_hidden_and_noscript_copies_do_not_make_a_gallery() -> None:
    """The lazy-loading pattern (placeholder img + <noscript> copy) is one image."""
    html = ('<figure><img id="a" class="lazy" src="data:image/gif;base64,R0lGOD" data-src="a.jpg" alt="">'
            '<noscript><img src="a.jpg" alt=""></noscript><img src="zoom.svg" aria-hidden="true">'
            '<figcaption>Kem Sokha greets supporters</figcaption></figure>')
    assert failed_keys("image-alt-decorative-caption", html) == [("#a", "decorative")]


def test_aria_describedby_hidden_target_still_counts() -> None:
    """A description is read even when its element is hidden."""
    html = '<img id="a" src="a.jpg" alt="Kem Sokha" aria-describedby="d"><span id="d" hidden>Kem Sokha</span>'
    assert failed_keys("image-alt-caption-duplicate", html) == [("#a", "same-as-description")]


# ------------------------------------------------------------------------------ placeholders
@pytest.mark.parametrize(
    ("alt", "src", "key"),
    [
        ("IMG_2041.jpg", "a.jpg", "file-name"),
        ("photo.webp?w=800", "a.jpg", "file-name"),
        ("Screen Shot 2016-11-11 at 15.10.08", "a.png", "file-name"),
        ("P1010123", "a.jpg", "file-name"),
        ("3f2c9a7be0d14c55a1b2c3d4e5f60718", "a.jpg", "file-name"),
        ("kem-sokha-1024x683", "a.jpg", "file-name"),
        ("bitcoin_figure", "/img/bitcoin_figure.png", "file-name"),
        ("//cdn.example.com/a.jpg", "a.jpg", "file-name"),
        ("www.voanews.com", "a.jpg", "url"),
        ("12 345", "a.jpg", "no-words"),
        ("—", "a.jpg", "no-words"),
        ("image001", "a.jpg", "file-name"),  # Word/Outlook export name
        ("Image 3", "a.jpg", "placeholder-word"),
        ("Untitled design", "a.jpg", "placeholder-word"),
        ("undefined", "a.jpg", "placeholder-word"),
        ("ZDJĘCIE", "a.jpg", "placeholder-word"),
        ("Photo: Štěpánka Budková, Radio Prague Int.", "a.jpg", "credit-only"),
        # Fine as they are:
        ("Twitter", "/icons/twitter.png", None),  # a plain word that happens to be the file's name
        (":)", "smile.png", None),  # an emoticon is text
        ("Reuters", "reuters-logo.svg", None),
        ("Photos: Metalachi fans rock out at San Antonio's Paper Tiger", "a.jpg", None),
        ("Kem Sokha, 2016", "a.jpg", None),
    ],
)
def test_placeholder_kinds(alt: str, src: str, key: str | None) -> None:
    got = failed_keys("image-alt-placeholder", f'<img id="t" src="{src}" alt="{alt}">')
    assert got == ([("#t", key)] if key else [])


# ------------------------------------------------------------------------------ axe parity details
def test_redundant_alt_ignores_p_that_a_browser_closes() -> None:
    """libxml2 nests <figure> inside an open <p>; browsers close the <p> first."""
    html = '<p>Flag of Cambodia<figure><img id="a" src="f.png" alt="Flag of Cambodia"></figure>'
    assert failed_keys("image-redundant-alt", html) == []
    html2 = '<ul><li>Flag of <p>Cambodia<figure><img id="a" src="f.png" alt="Flag of Cambodia"></figure></li></ul>'
    # the container is the <li> (the <p> is closed by <figure>): its text "Flag of Cambodia" equals the alt
    assert failed_keys("image-redundant-alt", html2) == [("#a", "repeated")]


def test_axe_explicit_role_is_the_whole_value() -> None:
    """axe reads role without fallback: role="separator presentation" is no explicit role, so tested."""
    assert failed_keys("image-alt", '<img id="a" src="x.png" role="separator presentation">') == [("#a", "missing")]
    assert failed_keys("image-alt", '<img id="a" src="x.png" role="doc-cover">') == [("#a", "missing")]


def test_deep_tree_does_not_recurse() -> None:
    """2,000 nested elements: every image rule runs without recursion errors."""
    html = "<div>" * 2000 + '<figure><img id="a" src="a.jpg"><figcaption>Kem Sokha</figcaption></figure>' + "</div>" * 2000
    for rule_id in IMAGE_RULES:
        run_rule(rule_id, html)


# ------------------------------------------------------------------------------ the example page
def test_caption_defects_example(monkeypatch: pytest.MonkeyPatch) -> None:
    """examples/caption-defects.html: each intended captioned-photo defect is found once, the gallery is not."""
    monkeypatch.chdir(ROOT)
    report = check_paths(["examples/caption-defects.html"])
    found = {(f.rule, f.line) for f in report.findings if f.rule in IMAGE_RULES}
    lines = (ROOT / "examples" / "caption-defects.html").read_text(encoding="utf-8").splitlines()

    def line_of(fragment: str) -> int:
        return next(i for i, text in enumerate(lines, 1) if fragment in text)

    expected = {
        ("image-alt-caption-duplicate", line_of('src="img/kem-sokha.jpg"')),
        ("image-alt-placeholder", line_of('src="img/prak-sokhon.jpg"')),
        ("image-alt-decorative-caption", line_of('src="img/court-supporters.jpg"')),
        ("image-alt", line_of('src="img/ban-ki-moon.jpg"')),
    }
    assert found == expected
    missing = next(f for f in report.findings if f.rule == "image-alt")
    assert missing.impact == "serious"
    assert missing.fix and missing.fix["value"] == "Ban Ki-moon speaks to reporters at U.N. headquarters in New York"


def windows_1252_caption_page() -> bytes:
    """examples/caption-defects.html re-encoded as windows-1252 (curly quotes, dashes and © as
    single bytes 0x91-0x97/0xA9, so not valid UTF-8), with the lead photo's alt spelling the
    apostrophe as ``&rsquo;`` against a raw 0x92 in the caption, and one more figure whose alt has
    straight quotes (``&quot;``) against curly 0x93/0x94 in its caption."""
    s = (ROOT / "examples" / "caption-defects.html").read_text(encoding="utf-8")
    lead_alt = ("Court officials want to question Cambodia National Rescue Party leader Kem Sokha, pictured in Phnom Penh "
                "in February 2016, about recent allegations of solicitation and ignoring previous subpoenas.")
    assert s.count(lead_alt) == 2 and s.count('<meta charset="utf-8">') == 1
    s = s.replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
    s = s.replace(f'alt="{lead_alt}"', 'alt="Security forces have tried to arrest the CNRP&rsquo;s acting president, Kem Sokha."')
    s = s.replace(lead_alt, "Security forces have tried to arrest the CNRP’s acting president, Kem Sokha.")
    sok = ('<figure class="article__figure article__figure--inline"><img class="article__img" src="img/sok-eysan.jpg" '
           'alt="Sok Eysan: &quot;His call is good for Cambodia, to be in peace and harmony.&quot;">'
           '<figcaption class="article__caption">Sok Eysan: “His call is good for Cambodia, to be in peace and harmony.”'
           "</figcaption></figure>\n")
    s = s.replace('<h2 class="article__subhead">', sok + '<h2 class="article__subhead">', 1)
    return s.encode("cp1252")


def test_windows_1252_caption_defects_page() -> None:
    """The caption-defects article as a real windows-1252 page: the same defects are found, and
    both duplicates are recognised across entities, straight quotes and raw windows-1252 bytes."""
    data = windows_1252_caption_page()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert b"\x92" in data and b"\x93" in data and b"\x94" in data
    doc = parse_document(data, "caption-defects-windows-1252.html")
    assert doc.encoding == "windows-1252"
    found = []
    for rule_id in IMAGE_RULES:
        r = load_rules()[rule_id]
        for res in evaluate(doc, RuleRun(r, r.resolve_options(None))):
            if res.outcome == "failed":
                found.append((rule_id, res.element.get("src")))
    assert sorted(found) == sorted([
        ("image-alt-caption-duplicate", "img/kem-sokha.jpg"),
        ("image-alt-caption-duplicate", "img/sok-eysan.jpg"),
        ("image-alt-placeholder", "img/prak-sokhon.jpg"),
        ("image-alt-decorative-caption", "img/court-supporters.jpg"),
        ("image-alt", "img/ban-ki-moon.jpg"),
    ])


def test_rule_files_are_valid_json_with_family_images() -> None:
    for rule_id in IMAGE_RULES:
        data = json.loads((ROOT / "rules" / f"{rule_id}.json").read_text(encoding="utf-8"))
        assert data["family"] == "images" and "1.1.1" in data["wcag"]


# ------------------------------------------------------------------------------ caption index: sharing and indexes
SELECTOR_PAGE = (
    '<div id="top" class="wp-caption"><div class="photo\tcaption\nbig">'
    '<figure><img src="a.jpg"><figcaption class="wp-caption-text">A</figcaption></figure>'
    '<p class="caption&#160;x" lang="en-GB" data-caption="">B</p><p class="Caption-text" itemprop="caption">C</p>'
    '<ul class="caption"><li><span class=" caption " id="s">D</span></li></ul></div>'
    '<section class="a"><div class="b"><div class="a"><p class="c">E</p></div></div></section>'
    '<template><p class="caption">F</p></template><FIGURE><FIGCAPTION>G</FIGCAPTION></FIGURE></div>'
)
SELECTORS = [
    *DEFAULT_CAPTION_SELECTORS, ".caption", "[class~=caption]", "[class^=photo]", "[class$=text]", "[class|=Caption]",
    "[lang|=en]", "[data-caption]", "[data-caption='']", "#s", "span#s.caption", ".a .b .c", ".a .c", ".b .a .c",
    "div .a p", "FIGURE", "[CLASS]", "figure > figcaption", "*", "p:first-child", "[class*='']", "[class~='x y']",
    "p, span", "ul span",
]


@pytest.mark.parametrize("selector", SELECTORS)
def test_caption_selectors_match_like_their_xpath(selector: str) -> None:
    """Selectors matched from the document's indexes find exactly what cssselect's XPath finds
    (class lists split at XML white space only, case-sensitive names, template content included)."""
    from a11ycheck.document.captions import _AttributeValues

    doc = doc_of(SELECTOR_PAGE)
    (compiled,) = compile_selectors([selector])
    assert set(compiled.select(doc, _AttributeValues(doc))) == set(select_all(doc, selector))
    if selector in DEFAULT_CAPTION_SELECTORS:
        assert compiled._chains is not None  # matched from the indexes, not by the XPath


def test_caption_selectors_are_compiled_once_and_index_shared_per_document() -> None:
    assert compile_selectors([".legend"])[0] is compile_selectors([".legend"])[0]
    for _ in range(2):  # a failed compilation is not cached: the same error every time
        with pytest.raises(ValueError, match="invalid caption selector"):
            compile_selectors(["figure >> figcaption"])
    doc = doc_of(SELECTOR_PAGE)
    assert CaptionIndex.of(doc) is CaptionIndex.of(doc, list(DEFAULT_CAPTION_SELECTORS))
    assert CaptionIndex.of(doc, [".legend"]) is not CaptionIndex.of(doc)


def test_media_counts_match_a_walk_of_each_subtree() -> None:
    """Media counted by document position agree with a plain walk: not inside an svg or a button,
    not hidden, not tracking pixels; an outermost svg and role=img elements count."""
    html = ('<figure id="f"><img src="a.jpg"><button><img src="b.jpg"></button><svg><g role="img"></g><svg></svg></svg>'
            '<div role="img"><img src="c.jpg" width="1" height="1"><img src="d.jpg" aria-hidden="true"></div>'
            '<span role="presentation img"></span><video></video><figcaption>x<img src="e.jpg"></figcaption></figure>'
            '<button><svg></svg></button><p><iframe></iframe><canvas></canvas></p><img src="f.jpg">')
    doc = doc_of(html)
    index = CaptionIndex(doc)
    media = [e for e in doc.elements if index.is_medium(e)]
    assert [e.tag if e.tag != "div" else e.get("role") for e in media] == [
        "img", "svg", "img", "video", "img", "iframe", "canvas", "img"]
    for el in doc.elements:
        assert index.media_in(el) == sum(1 for d in el.iterdescendants() if index.is_medium(d)), doc.selector(el)


@pytest.mark.parametrize(("markup", "label"), [
    ('<img src="https://x.test/blank_1x1.gif" data-src="https://x.test/police-car-6.jpg?w=310">', "police-car-6.jpg"),
    ('<img src="data:image/gif;base64,R0lGOD" data-original="https://x.test/hillary-clinton-4.jpg">', "hillary-clinton-4.jpg"),
    ('<img class="lazyLoad" data-source-standard="http://x.test/2015/03/race_together-90x60.jpg">', "race_together-90x60.jpg"),
    ('<img data-srcset="https://x.test/a_100.jpg 100w, https://x.test/a_200.jpg 200w">', "a_100.jpg"),
    ('<img src="/img/photo.png" data-caption="see photo.jpg">', "photo.png"),
    ('<img src="data:image/gif;base64,R0lGOD">', "data: URL"),
    ('<img class="share">', "no src"),
])
def test_messages_name_the_lazy_loaded_image_not_its_placeholder(markup: str, label: str) -> None:
    """A lazy-loading page starts every <img> with a placeholder src (a 1x1 GIF, a data: URL, or
    none): the message names the file the reader will see."""
    doc, results = run_rule("image-alt", f'<!DOCTYPE html><html lang="en"><title>t</title><main>{markup}</main>')
    (result,) = [r for r in results if r.outcome == "failed"]
    assert result.data["src"] == label
