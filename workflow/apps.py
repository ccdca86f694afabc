from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("Quy trình")

    def ready(self):
        from . import auth_events, checks, signals  # noqa: F401  (checks registers the deploy checks)
        from .api import tokens

        auth_events.connect()
        signals.connect()
        tokens.connect()
