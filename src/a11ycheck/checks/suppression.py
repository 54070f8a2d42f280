"""The ``unused-suppression`` rule: inline suppressions that hide nothing.

The engine runs this check after every other rule of the page and hands it, in
``ctx.ledger``, the record of which directives hid which findings (see :mod:`a11ycheck.suppress`).
Run on its own (the rule's examples, the API) it builds that record itself by running the rules
the directives name, so its verdict is the same either way.
"""

from __future__ import annotations

from typing import Iterator

from ..document import Document
from . import Context, Result, check


@check("unused-suppression")
def unused_suppression(doc: Document, ctx: Context) -> Iterator[Result]:
    from ..registry import load_rules
    from ..suppress import Ledger, judge

    ledger = getattr(ctx, "ledger", None) or Ledger(doc)
    if not ledger.suppressions:
        return
    yield from judge(doc, ledger, load_rules(ctx.rule.path.parent))


#: the engine runs checks with this flag after all others, with a ledger in the context
unused_suppression.after_other_rules = True  # type: ignore[attr-defined]
