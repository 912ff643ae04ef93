"""The Wagtail admin's sign-in form with a translated password label.

Wagtail declares the password field without a label, so Django shows its field name ("Password") in English
on the Chinese admin. The form is Wagtail's; only the label is ours.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm


class AdminLoginForm(LoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
