"""Forms parse and display input; the rules live in services.py and the models."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from marketplace.organizations.forms import RegionFields
from marketplace.regions import display_name

from .models import Equipment, IndustryField, Provider, Service, ServiceCategory
from .rules import EQUIPMENT_EDITABLE_FIELDS, PROVIDER_PROFILE_FIELDS, SERVICE_EDITABLE_FIELDS, normalize_standards


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.parent.name} / {obj.name}" if obj.parent_id else str(obj.name)


class ServiceForm(forms.ModelForm):
    category = CategoryChoiceField(
        label=_("category"), queryset=ServiceCategory.objects.select_related("parent").order_by("position", "slug")
    )
    standards = forms.CharField(
        label=_("standards"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One standard code per line, e.g. GB/T 228.1-2021."),
    )

    class Meta:
        model = Service
        fields = [*SERVICE_EDITABLE_FIELDS, "equipment"]
        widgets = {
            "equipment": forms.CheckboxSelectMultiple,
            "description_zh": forms.Textarea(attrs={"rows": 5}),
            "description_en": forms.Textarea(attrs={"rows": 5}),
            "sample_requirements_zh": forms.Textarea(attrs={"rows": 3}),
            "sample_requirements_en": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"slug": _("Part of the web address; derived from the English title when left empty.")}

    def __init__(self, *args: Any, provider: Provider, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        equipment = self.fields["equipment"]
        assert isinstance(equipment, forms.ModelMultipleChoiceField)
        equipment.queryset = Equipment.objects.filter(provider=provider)
        if not self.is_bound:
            self.initial["standards"] = "\n".join(self.instance.standards or [])

    def clean_standards(self) -> list[str]:
        return normalize_standards(self.cleaned_data.get("standards") or "")

    def clean_slug(self) -> str:
        return (self.cleaned_data.get("slug") or "").strip()


class EquipmentForm(forms.ModelForm):
    class Meta:
        model = Equipment
        fields = list(EQUIPMENT_EDITABLE_FIELDS)


class ProviderProfileForm(RegionFields, forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Provider
        fields = list(PROVIDER_PROFILE_FIELDS)
        widgets = {"fields": forms.CheckboxSelectMultiple}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("Use the columns of the export. Rows with a known slug update that service; others are added."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class DirectoryFilterForm(forms.Form):
    level = forms.ChoiceField(label=_("level"), required=False)
    field = forms.ChoiceField(label=_("industry field"), required=False)
    province = forms.ChoiceField(label=_("province"), required=False)
    city = forms.ChoiceField(label=_("city"), required=False)

    def __init__(self, *args: Any, fields: list[IndustryField], regions: dict[str, list[str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anything = [("", _("All"))]
        self._set_choices("level", anything + list(Provider.Level.choices))
        self._set_choices("field", anything + [(f.slug, f.name) for f in fields])
        self._set_choices("province", anything + [(p, display_name(p)) for p in regions])
        cities = sorted({c for cs in regions.values() for c in cs})
        self._set_choices("city", anything + [(c, display_name(c)) for c in cities])

    def _set_choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def filters(self) -> dict[str, str]:
        """The chosen filters; invalid values (e.g. an edited URL) are ignored rather than failing the page."""
        if not self.is_valid():
            return {name: "" for name in self.fields}
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}


def apply_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field when the form has it, else at the top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)
