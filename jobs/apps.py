from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("Việc chạy nền")

    def ready(self):
        # Its signal receivers are connected once the apps are loaded (it reads settings and Celery's app).
        from . import inline

        inline.connect()  # make run: a request's jobs run after its response (jobs/inline.py)
