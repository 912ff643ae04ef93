from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import Period

MONTHS = [(3, _("3 months")), (6, _("6 months")), (12, _("12 months")), (24, _("24 months"))]


class PeriodForm(forms.Form):
    """The months shown: the last N, or one month (`YYYY-MM`) for the bureau's report. Bad values fall back."""

    months = forms.TypedChoiceField(
        label=_("Period"), choices=MONTHS, coerce=int, required=False, empty_value=None, initial=12
    )
    month = forms.RegexField(label=_("Month"), regex=r"^\d{4}-(0[1-9]|1[0-2])$", required=False)

    def period(self) -> Period:
        if not self.is_valid():
            return Period.last_months(12)
        if self.cleaned_data.get("month"):
            year, month = (int(x) for x in self.cleaned_data["month"].split("-"))
            if not 2000 <= year <= 2100:
                return Period.last_months(1)
            start = dt.date(year, month, 1)
            return Period(start=start, end=(start + dt.timedelta(days=32)).replace(day=1))
        return Period.last_months(self.cleaned_data.get("months") or 12)
