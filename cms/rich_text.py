"""The restricted rich-text feature set and the sanitiser that enforces it on every save.

Draftail already drops anything outside `BODY_FEATURES` when an editor submits the admin form,
but bodies also arrive through code (demo loader, imports, the API). Cleaning in the model's
`clean()` makes the guarantee independent of the entry point: no script, event handler,
style or foreign element is ever stored, so nothing unsafe can be rendered.
"""

from typing import Any

from wagtail.whitelist import Whitelister, allow_without_attributes, attribute_rule, check_url

BODY_FEATURES: list[str] = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]

# Elements removed together with their content; every other unknown element is unwrapped.
_DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template", "noscript"})

_PLAIN = ("p", "h2", "h3", "b", "strong", "i", "em", "ol", "ul", "li", "br")


class BodyWhitelister(Whitelister):
    """Database-format HTML limited to `BODY_FEATURES` (links keep Wagtail's `linktype`/`id`)."""

    element_rules = {
        "[document]": allow_without_attributes,
        **dict.fromkeys(_PLAIN, allow_without_attributes),
        "a": attribute_rule({"href": check_url, "linktype": True, "id": True}),
    }

    def clean_tag_node(self, doc: Any, tag: Any) -> None:
        if tag.name in _DROPPED_WITH_CONTENT:
            tag.decompose()
            return
        super().clean_tag_node(doc, tag)


def sanitize_body(html: str) -> str:
    """`html` reduced to the allowed elements and attributes."""
    if not html:
        return html
    return BodyWhitelister().clean(html)
