"""The supply side: providers (innovation centers, public service platforms), their services and equipment.

Bilingual text is stored per field (`*_zh`, `*_en`); properties without the suffix (`title`, `name`)
pick the active language and fall back to Chinese, the platform's primary language.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.languages import pick
from marketplace.organizations.models import Organization
from marketplace.storage import private_storage


def rating_average(total: int, count: int) -> float | None:
    """Average of 1-5 ratings to one decimal place, or None before the first review."""
    return round(total / count, 1) if count else None


class IndustryField(models.Model):
    slug = models.SlugField(unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("industry field")
        verbose_name_plural = _("industry fields")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_en)


class ServiceCategory(models.Model):
    """A two-level tree: top-level kinds of service (inspection and testing, ...) and sub-categories."""

    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    slug = models.SlugField(unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Public services in this category and its sub-categories, maintained by catalog.counters.
    public_service_count = models.PositiveIntegerField(_("public services"), default=0, editable=False)

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["position", "slug"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="category_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_en)

    @property
    def description(self) -> str:
        return pick(self.description_zh, self.description_en)

    def get_absolute_url(self) -> str:
        return reverse("catalog:category-detail", kwargs={"slug": self.slug})


class Provider(models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", _("National manufacturing innovation center")
        PROVINCIAL = "provincial", _("Provincial manufacturing innovation center")
        MUNICIPAL = "municipal", _("Municipal manufacturing innovation center")
        PLATFORM = "platform", _("Public service platform")

    class Verification(models.TextChoices):
        PENDING = "pending", _("Pending review")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        SUSPENDED = "suspended", _("Suspended")

    organization = models.OneToOneField(
        Organization, on_delete=models.PROTECT, related_name="provider", verbose_name=_("organization")
    )
    slug = models.SlugField(unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    fields = models.ManyToManyField(IndustryField, related_name="providers", blank=True, verbose_name=_("fields"))
    lead_organization = models.CharField(_("lead organization"), max_length=200, blank=True)
    lead_organization_en = models.CharField(_("lead organization (English)"), max_length=200, blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    province = models.CharField(_("province"), max_length=50)
    city = models.CharField(_("city"), max_length=50)
    address = models.CharField(_("address"), max_length=300, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_name_en = models.CharField(_("contact person (English)"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="providers/logos/", blank=True)
    verification = models.CharField(
        _("verification"), max_length=20, choices=Verification.choices, default=Verification.PENDING
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    # Maintained by the review service (orders), so pages show averages without aggregating reviews.
    rating_count = models.PositiveIntegerField(_("number of reviews"), default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    # Published services, maintained by catalog.counters (public pages show it only for verified providers).
    public_service_count = models.PositiveIntegerField(_("public services"), default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["name_zh"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=["national", "provincial", "municipal", "platform"]),
                name="provider_level_valid",
            ),
            models.CheckConstraint(
                condition=Q(verification__in=["pending", "verified", "rejected", "suspended"]),
                name="provider_verification_valid",
            ),
            models.CheckConstraint(
                condition=~Q(verification="verified") | Q(verified_at__isnull=False),
                name="provider_verified_has_date",
            ),
            models.CheckConstraint(condition=~Q(name_zh=""), name="provider_name_required"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_en)

    @property
    def description(self) -> str:
        return pick(self.description_zh, self.description_en)

    @property
    def lead_organization_display(self) -> str:
        return pick(self.lead_organization, self.lead_organization_en)

    @property
    def address_display(self) -> str:
        return pick(self.address, self.address_en)

    @property
    def contact_name_display(self) -> str:
        return pick(self.contact_name, self.contact_name_en)

    @property
    def is_verified(self) -> bool:
        return self.verification == self.Verification.VERIFIED

    @property
    def rating_average(self) -> float | None:
        return rating_average(self.rating_sum, self.rating_count)

    def get_absolute_url(self) -> str:
        return reverse("catalog:provider-detail", kwargs={"slug": self.slug})


class Accreditation(models.Model):
    class Scheme(models.TextChoices):
        CNAS = "CNAS", _("CNAS laboratory accreditation")
        CMA = "CMA", _("CMA inspection body qualification")
        CNAS_IB = "CNAS-IB", _("CNAS inspection body accreditation")
        ISO9001 = "ISO9001", _("ISO 9001 quality management")
        OTHER = "other", _("Other")

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="accreditations")
    scheme = models.CharField(_("scheme"), max_length=20, choices=Scheme.choices)
    number = models.CharField(_("certificate number"), max_length=100)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    certificate = models.FileField(
        _("certificate"), storage=private_storage, upload_to="catalog/accreditations/%Y/%m/", blank=True
    )
    # Set when the 30-day expiry reminder went out, so the daily task sends it once per validity period.
    expiry_reminder_sent_at = models.DateTimeField(_("expiry reminder sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        ordering = ["scheme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "scheme", "number"], name="accreditation_unique"),
            models.CheckConstraint(condition=~Q(number=""), name="accreditation_number_required"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.number}"

    @property
    def is_expired(self) -> bool:
        """Past its validity date: flagged on the public page and in the operator console."""
        return self.valid_until is not None and self.valid_until < timezone.localdate()


class Equipment(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="equipment")
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    model = models.CharField(_("model"), max_length=100, blank=True)
    manufacturer = models.CharField(_("manufacturer"), max_length=200, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    bookable = models.BooleanField(_("bookable by the hour"), default=False)
    min_notice_hours = models.PositiveIntegerField(_("minimum notice (hours)"), default=24)
    max_slot_hours = models.PositiveIntegerField(
        _("maximum slot length (hours)"), default=8, validators=[MinValueValidator(1), MaxValueValidator(24 * 14)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        ordering = ["name_zh"]
        constraints = [
            models.CheckConstraint(condition=Q(max_slot_hours__gte=1), name="equipment_slot_at_least_one_hour"),
            models.CheckConstraint(condition=Q(max_slot_hours__lte=24 * 14), name="equipment_slot_at_most_two_weeks"),
            models.CheckConstraint(condition=~Q(name_zh=""), name="equipment_name_required"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_en)


class ServiceQuerySet(models.QuerySet["Service"]):
    def public(self) -> "ServiceQuerySet":
        """Published services of verified providers: the only ones anonymous visitors may see."""
        return self.filter(status=Service.Status.PUBLISHED, provider__verification=Provider.Verification.VERIFIED)


class Service(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class PricingMode(models.TextChoices):
        FIXED = "fixed", _("Fixed price")
        PER_UNIT = "per_unit", _("Per unit (sample, specimen, item)")
        PER_HOUR = "per_hour", _("Per hour")
        QUOTE_ONLY = "quote_only", _("On quotation")

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="services")
    category = models.ForeignKey(
        ServiceCategory, on_delete=models.PROTECT, related_name="services", verbose_name=_("category")
    )
    field = models.ForeignKey(
        IndustryField,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services",
        verbose_name=_("industry field"),
    )
    slug = models.SlugField(max_length=120)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_zh = models.CharField(_("summary (Chinese)"), max_length=500, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=500, blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    standards = models.JSONField(
        _("standards"),
        default=list,
        blank=True,
        help_text=_('Standard codes, e.g. "GB/T 228.1-2021", "ISO 6892-1".'),
    )
    sample_requirements_zh = models.TextField(_("sample requirements (Chinese)"), blank=True)
    sample_requirements_en = models.TextField(_("sample requirements (English)"), blank=True)
    pricing_mode = models.CharField(_("pricing"), max_length=20, choices=PricingMode.choices)
    price = models.DecimalField(
        _("price (CNY)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    price_unit = models.CharField(_("price unit"), max_length=50, blank=True, help_text=_('e.g. "per specimen"'))
    turnaround_days = models.PositiveSmallIntegerField(
        _("turnaround (working days)"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    equipment = models.ManyToManyField(Equipment, related_name="services", blank=True, verbose_name=_("equipment"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    rating_count = models.PositiveIntegerField(_("number of reviews"), default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["status", "provider"], name="service_status_provider"),
            # The public lists of a category and of a provider, newest first (services_public's ordering).
            models.Index(fields=["category", "status", "-published_at", "id"], name="service_category_newest"),
            models.Index(fields=["provider", "status", "-published_at", "id"], name="service_provider_newest"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["provider", "slug"], name="service_unique_slug_per_provider"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "archived"]), name="service_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(pricing_mode__in=["fixed", "per_unit", "per_hour", "quote_only"]),
                name="service_pricing_mode_valid",
            ),
            models.CheckConstraint(
                condition=Q(pricing_mode="quote_only") | Q(price__isnull=False),
                name="service_price_required_unless_quote_only",
            ),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=0), name="service_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(turnaround_days__gte=1) & Q(turnaround_days__lte=365),
                name="service_turnaround_range",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="service_published_has_date",
            ),
            models.CheckConstraint(condition=~Q(title_zh=""), name="service_title_required"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        # The same rule as service_price_required_unless_quote_only, reported on the field.
        if self.pricing_mode and self.pricing_mode != self.PricingMode.QUOTE_ONLY and self.price is None:
            raise ValidationError({"price": _("Enter a price, or choose “On quotation”.")})

    @property
    def title(self) -> str:
        return pick(self.title_zh, self.title_en)

    @property
    def summary(self) -> str:
        return pick(self.summary_zh, self.summary_en)

    @property
    def description(self) -> str:
        return pick(self.description_zh, self.description_en)

    @property
    def sample_requirements(self) -> str:
        return pick(self.sample_requirements_zh, self.sample_requirements_en)

    @property
    def rating_average(self) -> float | None:
        return rating_average(self.rating_sum, self.rating_count)

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.provider.is_verified

    @property
    def has_bookable_equipment(self) -> bool:
        return any(e.bookable for e in self.equipment.all())

    def price_or_none(self) -> Decimal | None:
        return None if self.pricing_mode == self.PricingMode.QUOTE_ONLY else self.price

    def get_absolute_url(self) -> str:
        return reverse("catalog:service-detail", kwargs={"provider": self.provider.slug, "slug": self.slug})


class ServiceImport(models.Model):
    """One uploaded CSV/XLSX file of services: validated first (dry run), then committed all-or-nothing.

    The file is the provider's catalog, so it lives in the private storage (never under MEDIA_ROOT,
    no public URL) that a Celery worker on another machine can read too; members download it only
    through `dashboard_views.import_file`. The first row errors of the dry run are kept here (with
    the count of all of them) so the preview survives a reload.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be checked")
        VALIDATING = "validating", _("Checking")
        VALID = "valid", _("Ready to import")
        INVALID = "invalid", _("Has errors")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="imports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to="catalog/imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    to_create = models.PositiveIntegerField(_("new services"), default=0)
    to_update = models.PositiveIntegerField(_("updated services"), default=0)
    row_errors = models.JSONField(_("row errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    # Rows whose service changed on the platform after the file was exported (the first ones, and how many).
    stale_rows = models.JSONField(_("rows changed since the export"), default=list, blank=True)
    stale_count = models.PositiveIntegerField(_("rows changed since the export"), default=0)
    message = models.TextField(_("message"), blank=True)
    # The uploader's page language: row errors and messages are stored in it.
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("service import")
        verbose_name_plural = _("service imports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "validating", "valid", "invalid", "importing", "done", "failed"]),
                name="service_import_status_valid",
            ),
            models.CheckConstraint(condition=Q(format__in=["csv", "xlsx"]), name="service_import_format_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.PENDING, self.Status.VALIDATING, self.Status.IMPORTING}

    @property
    def errors_total(self) -> int:
        """All row errors found, of which `row_errors` holds the first ones."""
        return max(self.error_count, len(self.row_errors or []))

    @property
    def errors_not_shown(self) -> int:
        return self.errors_total - len(self.row_errors or [])
