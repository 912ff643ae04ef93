from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.regions import normalize_city, province_choices

from .models import Organization
from .uscc import normalize_uscc


class RegionFields(forms.Form):
    """Province chosen from the official list, city normalised: "浙江"/"浙江省" and "宁波"/"宁波市" never become
    two filter values. Mixed into the model forms that edit a `province` and a `city`."""

    province = forms.ChoiceField(label=_("province"), choices=province_choices)
    city = forms.CharField(label=_("city"), max_length=50)

    def clean_city(self) -> str:
        return normalize_city(self.cleaned_data.get("city", ""), self.cleaned_data.get("province", ""))


class OrganizationForm(RegionFields, forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["kind", "name", "uscc", "province", "city"]
        help_texts = {"uscc": _("18 characters, as printed on the business licence, e.g. 91330200MA0000042U.")}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Platform operator organizations are created by staff in the admin only.
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [c for c in Organization.Kind.choices if c[0] != Organization.Kind.PLATFORM]

    def clean_uscc(self) -> str:
        return normalize_uscc(self.cleaned_data["uscc"])


class JoinForm(forms.Form):
    invite_code = forms.CharField(label=_("Invite code"), max_length=32)
