import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from config import gc_threshold

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
# Each server process (gunicorn's workers import this module) collects garbage less often, and its full
# collections skip the application's own objects: config/gc_threshold.py.
gc_threshold.apply(settings.THIDUA_GC_THRESHOLD)
if settings.THIDUA_GC_FREEZE:
    gc_threshold.freeze_loaded()
