from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "marketplace.operations"
    label = "operations"
    verbose_name = _("Platform operations")
