"""The restricted rich-text feature set and the sanitiser that enforces it on every save.

Draftail already drops anything outside `BODY_FEATURES` when an editor submits the admin form,
but bodies also arrive through code (demo loader, imports, the API). Cleaning in the model's
`clean()` makes the guarantee independent of the entry point: no script, event handler,
style or foreign element is ever stored, so nothing unsafe can be rendered.

The parsing is nh3 (the Rust html5ever/ammonia sanitizer), never a hand-written one: an HTML
sanitizer that does not parse exactly like a browser is bypassed by inputs such as
`<![CDATA[><img onerror=...>]]>`, which the previous BeautifulSoup whitelist passed through.
What nh3 keeps is an allow-list derived from the enabled features, in Wagtail's database
format: `<a linktype="page|document" id="..">` for internal links, `<embed embedtype=..>` for
images and media, and the `data-block-key` Draftail stores on blocks to anchor comments.
"""

import functools
import re
from collections.abc import Callable, Iterable

import nh3

BODY_FEATURES: list[str] = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]

# Always allowed: paragraphs and the soft line breaks Draftail stores inside them.
_BASE_TAGS = frozenset({"p", "br"})

# Elements each Wagtail rich-text feature stores in the database format
# (wagtail/admin/wagtail_hooks.py, wagtail/images and wagtail/embeds `register_rich_text_features`).
_FEATURE_TAGS: dict[str, frozenset[str]] = {
    **{f"h{level}": frozenset({f"h{level}"}) for level in range(1, 7)},
    "bold": frozenset({"b", "strong"}),
    "italic": frozenset({"i", "em"}),
    "ol": frozenset({"ol", "li"}),
    "ul": frozenset({"ul", "li"}),
    "blockquote": frozenset({"blockquote"}),
    "hr": frozenset({"hr"}),
    "code": frozenset({"code"}),
    "superscript": frozenset({"sup"}),
    "subscript": frozenset({"sub"}),
    "strikethrough": frozenset({"s"}),
    "link": frozenset({"a"}),
    "document-link": frozenset({"a"}),
    "image": frozenset({"embed"}),
    "embed": frozenset({"embed"}),
}
# The `linktype` / `embedtype` values each feature introduces.
_FEATURE_LINKTYPES = {"link": "page", "document-link": "document"}
_FEATURE_EMBEDTYPES = {"image": "image", "embed": "media"}

# Removed together with their content (their text is code or markup, not prose);
# every other element outside the allow-list is unwrapped and its text kept.
_DROPPED_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "template",
        "noscript",
        "noembed",
        "noframes",
        "svg",
        "math",
        "textarea",
        "select",
        "title",
        "xmp",
    }
)

# External links: web, e-mail and phone. Relative URLs (`/services/`, `#part`) pass unchanged.
_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

_DIGITS = re.compile(r"\d{1,18}")
_BLOCK_KEY = re.compile(r"[A-Za-z0-9_-]{1,32}")
_IMAGE_FORMAT = re.compile(r"[A-Za-z0-9_-]{1,64}")
_HTTP_URL = re.compile(r"https?://\S+", re.IGNORECASE)
# nh3 serialises void elements as `<embed ...>`; Wagtail's rewriter only expands `<embed .../>`.
# Safe to match with `[^>]*`: nh3 escapes `<` and `>` inside attribute values.
_EMBED_TAG = re.compile(r"<embed\b([^>]*?)/?>")


def _matching(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda value: pattern.fullmatch(value) is not None


def _attribute_filter(linktypes: frozenset[str], embedtypes: frozenset[str]) -> Callable[[str, str, str], str | None]:
    """Keep an allowed attribute only when its value has the shape Wagtail writes (None drops it)."""
    checks: dict[tuple[str, str], Callable[[str], bool]] = {
        ("a", "linktype"): linktypes.__contains__,
        ("a", "id"): _matching(_DIGITS),
        ("embed", "embedtype"): embedtypes.__contains__,
        ("embed", "id"): _matching(_DIGITS),
        ("embed", "format"): _matching(_IMAGE_FORMAT),
        ("embed", "url"): _matching(_HTTP_URL),
    }

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "data-block-key":
            return value if _BLOCK_KEY.fullmatch(value) else None
        check = checks.get((tag, attribute))
        if check is None:  # href (scheme-checked by nh3), alt
            return value
        return value if check(value) else None

    return keep


@functools.cache
def _cleaner(features: tuple[str, ...]) -> nh3.Cleaner:
    tags = set(_BASE_TAGS)
    for feature in features:
        tags |= _FEATURE_TAGS.get(feature, frozenset())
    linktypes = frozenset(_FEATURE_LINKTYPES[f] for f in features if f in _FEATURE_LINKTYPES)
    embedtypes = frozenset(_FEATURE_EMBEDTYPES[f] for f in features if f in _FEATURE_EMBEDTYPES)
    attributes: dict[str, set[str]] = {"*": {"data-block-key"}}
    if "a" in tags:
        attributes["a"] = {"linktype", "id"} | ({"href"} if "link" in features else set())
    if "embed" in tags:
        attributes["embed"] = {"embedtype", "id", "format", "alt", "url"}
    return nh3.Cleaner(
        tags=tags,
        clean_content_tags=set(_DROPPED_WITH_CONTENT - tags),
        attributes=attributes,
        attribute_filter=_attribute_filter(linktypes, embedtypes),
        url_schemes=set(_URL_SCHEMES),
        # Stored in the database format; rel is a rendering decision, not content.
        link_rel=None,
        strip_comments=True,
    )


def sanitize_body(html: str, features: Iterable[str] = BODY_FEATURES) -> str:
    """`html` reduced to the elements and attributes that `features` store, parsed as a browser would."""
    if not html:
        return html
    clean = _cleaner(tuple(features)).clean(html)
    return _EMBED_TAG.sub(r"<embed\1/>", clean) if "<embed" in clean else clean
