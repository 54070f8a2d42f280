"""WAI-ARIA 1.2, DPUB-ARIA 1.1 and Graphics-ARIA knowledge as data.

Sources: WAI-ARIA 1.2 §5.4 (definition of roles), DPUB-ARIA 1.1, Graphics-ARIA 1.0, and the
ARIA 1.3 roles that current browsers and axe-core 4.14 already accept (``comment``, ``mark``,
``suggestion``, ``image``, ``sectionheader``, ``sectionfooter``).
"""

from __future__ import annotations

ARIA_ROLES = frozenset(
    """
    alert alertdialog application article banner blockquote button caption cell checkbox code
    columnheader combobox complementary contentinfo definition deletion dialog directory document
    emphasis feed figure form generic grid gridcell group heading img insertion link list listbox
    listitem log main marquee math menu menubar menuitem menuitemcheckbox menuitemradio meter
    navigation none note option paragraph presentation progressbar radio radiogroup region row
    rowgroup rowheader scrollbar search searchbox separator slider spinbutton status strong
    subscript superscript switch tab table tablist tabpanel term textbox time timer toolbar tooltip
    tree treegrid treeitem
    """.split()
)

ARIA_13_ROLES = frozenset("comment mark suggestion image sectionheader sectionfooter".split())

DPUB_ROLES = frozenset(
    """
    doc-abstract doc-acknowledgments doc-afterword doc-appendix doc-backlink doc-biblioentry
    doc-bibliography doc-biblioref doc-chapter doc-colophon doc-conclusion doc-cover doc-credit
    doc-credits doc-dedication doc-endnote doc-endnotes doc-epigraph doc-epilogue doc-errata
    doc-example doc-footnote doc-foreword doc-glossary doc-glossref doc-index doc-introduction
    doc-noteref doc-notice doc-pagebreak doc-pagefooter doc-pageheader doc-pagelist doc-part
    doc-preface doc-prologue doc-pullquote doc-qna doc-subtitle doc-tip doc-toc
    """.split()
)

GRAPHICS_ROLES = frozenset("graphics-document graphics-object graphics-symbol".split())

ABSTRACT_ROLES = frozenset(
    "command composite input landmark range roletype section sectionhead select structure widget window".split()
)

DEPRECATED_ROLES = frozenset("directory doc-biblioentry doc-endnote".split())

#: Every concrete role a ``role`` attribute may name.
CONCRETE_ROLES = ARIA_ROLES | ARIA_13_ROLES | DPUB_ROLES | GRAPHICS_ROLES

#: Landmark roles of WAI-ARIA 1.2 (§5.3.4).
ARIA_LANDMARKS = frozenset("banner complementary contentinfo form main navigation region search".split())

#: DPUB roles that are landmarks (DPUB-ARIA 1.1: subclass of landmark).
DPUB_LANDMARKS = frozenset(
    """
    doc-acknowledgments doc-afterword doc-appendix doc-bibliography doc-chapter doc-conclusion
    doc-credits doc-endnotes doc-epilogue doc-errata doc-foreword doc-glossary doc-index
    doc-introduction doc-pagelist doc-part doc-preface doc-prologue doc-toc
    """.split()
)

#: Roles treated as landmarks by the landmark rules. ``application`` is included because
#: axe-core treats it as a landmark region for navigation purposes.
LANDMARK_ROLES = ARIA_LANDMARKS | DPUB_LANDMARKS | frozenset({"application"})

PRESENTATIONAL_ROLES = frozenset({"none", "presentation"})

#: Global states and properties (WAI-ARIA 1.2 §6.4, plus aria-braillelabel/-roledescription
#: and aria-description of ARIA 1.3 which browsers ship).
GLOBAL_ARIA_ATTRS = frozenset(
    """
    aria-atomic aria-braillelabel aria-brailleroledescription aria-busy aria-controls
    aria-current aria-describedby aria-description aria-details aria-disabled aria-dropeffect
    aria-errormessage aria-flowto aria-grabbed aria-haspopup aria-hidden aria-invalid
    aria-keyshortcuts aria-label aria-labelledby aria-live aria-owns aria-relevant
    aria-roledescription aria-actions
    """.split()
)

#: Attributes whose value is one or more ID references.
IDREF_ATTRS = frozenset(
    """
    aria-activedescendant aria-controls aria-describedby aria-details aria-errormessage
    aria-flowto aria-labelledby aria-owns aria-actions
    """.split()
)

#: Roles whose accessible name may come from their content (WAI-ARIA 1.2 "Name From: contents").
NAME_FROM_CONTENT_ROLES = frozenset(
    """
    button cell checkbox columnheader gridcell heading link menuitem menuitemcheckbox
    menuitemradio option radio row rowheader sectionhead switch tab tooltip treeitem
    doc-backlink doc-biblioref doc-glossref doc-noteref comment suggestion
    """.split()
)

#: Roles for which WAI-ARIA 1.2 requires an accessible name ("Accessible Name Required: True").
NAME_REQUIRED_ROLES = frozenset(
    """
    alertdialog button checkbox combobox dialog form grid heading img image link listbox menuitem
    menuitemcheckbox menuitemradio meter option progressbar radio radiogroup region row
    rowheader scrollbar searchbox slider spinbutton switch tab table textbox tree treegrid
    treeitem doc-abstract doc-biblioref doc-glossref doc-noteref doc-backlink doc-cover
    graphics-document graphics-symbol
    """.split()
)

#: Roles whose name would be their current value (never named from content).
CONTROL_VALUE_ROLES = frozenset("textbox combobox listbox slider spinbutton progressbar scrollbar searchbox".split())

#: HTML elements whose content is not text for naming ("embedded content").
EMBEDDED_TAGS = frozenset("img iframe video audio canvas embed object svg math picture".split())

#: Phrasing (inline) elements: their text joins the surrounding text without a space when an
#: accessible name is computed from content. Everything else is treated as a block.
PHRASING_TAGS = frozenset(
    """
    a abbr b bdi bdo big button cite code data del dfn em font i img input ins kbd label mark
    meter nobr object output picture progress q ruby rp rt s samp select small span strike strong
    sub sup svg textarea time tt u var wbr audio video canvas embed iframe math
    """.split()
)


def is_valid_role_token(token: str) -> bool:
    return token in CONCRETE_ROLES
