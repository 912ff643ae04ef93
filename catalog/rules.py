"""Business rules shared by the single-object services and the bulk import."""

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Service

# What providers edit, in the order their forms show it (services.py refuses any other field).
SERVICE_EDITABLE_FIELDS: tuple[str, ...] = (
    "title_zh",
    "title_en",
    "slug",
    "category",
    "field",
    "summary_zh",
    "summary_en",
    "description_zh",
    "description_en",
    "standards",
    "sample_requirements_zh",
    "sample_requirements_en",
    "pricing_mode",
    "price",
    "price_unit",
    "turnaround_days",
)
EQUIPMENT_EDITABLE_FIELDS: tuple[str, ...] = (
    "name_zh",
    "name_en",
    "model",
    "manufacturer",
    "location",
    "description",
    "bookable",
    "min_notice_hours",
    "max_slot_hours",
)
PROVIDER_PROFILE_FIELDS: tuple[str, ...] = (
    "name_zh",
    "name_en",
    "fields",
    "lead_organization",
    "lead_organization_en",
    "description_zh",
    "description_en",
    "province",
    "city",
    "address",
    "address_en",
    "contact_name",
    "contact_name_en",
    "contact_phone",
    "contact_email",
    "website",
    "logo",
)


def normalize_standards(value: Iterable[str] | str | None) -> list[str]:
    """Standard codes as a clean list: split on ; or newlines, trimmed, duplicates dropped, order kept."""
    if value is None:
        return []
    items = value.replace("；", ";").replace("\n", ";").split(";") if isinstance(value, str) else list(value)
    seen: dict[str, None] = {}
    for item in items:
        code = " ".join(str(item).split())
        if code:
            seen.setdefault(code, None)
    return list(seen)


# Translated only when a problem is reported: the bulk import checks thousands of rows.
REQUIRED_TO_PUBLISH = (
    ("title_zh", gettext_lazy("A Chinese title is required to publish.")),
    ("title_en", gettext_lazy("An English title is required to publish.")),
    ("summary_zh", gettext_lazy("A Chinese summary is required to publish.")),
)


def service_publish_problems(service: Service) -> dict[str, list[str]]:
    """Field errors that keep a service from being published (empty when it may be published).

    Shared by `service_publish` and the bulk import, so a row marked "published" obeys the same rules.
    """
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    for name, label in REQUIRED_TO_PUBLISH:
        if not (getattr(service, name) or "").strip():
            add(name, str(label))
    if service.pricing_mode != Service.PricingMode.QUOTE_ONLY:
        if service.price is None:
            add("price", _("Enter a price, or choose “On quotation”."))
        elif service.price <= 0:
            add("price", _("A published price must be greater than zero; use “On quotation” instead."))
        if (
            service.pricing_mode in (Service.PricingMode.PER_UNIT, Service.PricingMode.PER_HOUR)
            and not (service.price_unit or "").strip()
        ):
            add("price_unit", _("Say what the price is per (e.g. “per specimen”)."))
    elif service.price is not None:
        add("price", _("A service on quotation has no list price; leave the price empty."))
    return problems
