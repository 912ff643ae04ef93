"""The weighted texts of a service, shared by the database engines (PostgreSQL weights A-D, SQLite columns)."""

from ..text import code_tokens, find_codes
from .base import ServiceData


def text_fields(doc: ServiceData) -> dict[str, str]:
    """Title A, standards and summary B, description C, provider name D (its own field, lowest weight)."""
    return {
        "A": f"{doc.title_zh} {doc.title_en}",
        "B": " ".join([*doc.standards, doc.summary_zh, doc.summary_en]),
        "C": f"{doc.description_zh} {doc.description_en}",
        "D": f"{doc.provider_name_zh} {doc.provider_name_en}",
    }


def codes_in(weight: str, text: str, doc: ServiceData) -> list[str]:
    """Normalised codes a text mentions (every listed standard, for the standards text)."""
    listed = code_tokens(doc.standards) if weight == "B" else []
    return list(dict.fromkeys([*listed, *(t for m in find_codes(text) for t in m.tokens)]))
