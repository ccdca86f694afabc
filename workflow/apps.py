from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("Quy trình")

    def ready(self):
        # ready(): the app registry is loaded only now (checks registers the deploy checks)
        from . import auth_events, checks, counters, signals  # noqa: F401
        from .api import tokens  # ready(): the API's models and signals need the loaded app registry

        auth_events.connect()
        counters.connect()
        signals.connect()
        tokens.connect()
