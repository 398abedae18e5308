"""User-visible text of the pure workflow layer, which imports no Flask and translates nothing.

The labels and messages here are Simplified Chinese source strings. `N_` marks a fixed one
for `pybabel extract`; `Text` and `Listing` are messages with variable parts that read as the
Chinese string but keep their pieces, so the web layer (`webapp.i18n.translate`) can render
them in the UI's language at display time.
"""

from collections.abc import Iterable


def N_(message: str) -> str:
    """Mark a message for extraction and return it unchanged; the web layer translates it."""
    return message


class Text(str):
    """A message formatted from a marked template and named values (`%(name)s`)."""

    template: str
    params: dict[str, object]

    def __new__(cls, template: str, /, **params: object) -> "Text":
        """Format `template` with `params`; keep both for translation."""
        self = super().__new__(cls, template % params if params else template)
        self.template = template
        self.params = params
        return self


class Listing(str):
    """Labels joined by a separator (、 by default); keeps the labels for translation."""

    items: tuple[str, ...]
    separator: str

    def __new__(cls, items: Iterable[str], separator: str = N_("、")) -> "Listing":
        """Join `items` with `separator`."""
        items = tuple(items)
        self = super().__new__(cls, separator.join(items))
        self.items = items
        self.separator = separator
        return self
