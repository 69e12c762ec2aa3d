"""Side-by-side differences between two revisions, as they would be exported (front matter + answer)."""
from __future__ import annotations

import difflib

from markupsafe import Markup, escape

from .content import Content
from .files import to_text
from .models import FaqRevision

CONTEXT_LINES = 3


def revision_diff(slug: str, old: FaqRevision, new: FaqRevision) -> Markup:
    """An HTML table (difflib escapes every line it shows; the labels are escaped here)."""
    old_lines = to_text(slug, Content.of(old), "-").splitlines()
    new_lines = to_text(slug, Content.of(new), "-").splitlines()
    table = difflib.HtmlDiff(wrapcolumn=70).make_table(
        old_lines, new_lines, str(escape(f"#{old.number}")), str(escape(f"#{new.number}")),
        context=True, numlines=CONTEXT_LINES,
    )
    return Markup(table)  # noqa: S704 difflib escaped every line and the labels are escaped above
