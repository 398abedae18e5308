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


def to_data(value: object) -> object:
    """Return a message as JSON-ready data (template and parts), so it can be stored."""
    if isinstance(value, Text):
        return {"t": value.template, "p": {k: to_data(v) for k, v in value.params.items()}}
    if isinstance(value, Listing):
        return {"l": [to_data(item) for item in value.items], "s": value.separator}
    return value if isinstance(value, int | float) or value is None else str(value)


def from_data(data: object) -> object:
    """Rebuild a stored message (see `to_data`); it reads as Chinese and translates again."""
    if isinstance(data, dict) and "t" in data:
        return Text(data["t"], **{k: from_data(v) for k, v in data.get("p", {}).items()})
    if isinstance(data, dict) and "l" in data:
        return Listing((from_data(item) for item in data["l"]), data.get("s", N_("、")))
    return data
