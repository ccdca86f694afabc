"""Server processes collect garbage less often (config/gc_threshold.py, setting THIDUA_GC_THRESHOLD)."""

import gc
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config import gc_threshold


@pytest.fixture
def thresholds():
    """The test process's thresholds, put back afterwards."""
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)


def test_a_server_process_loading_the_application_takes_the_configured_thresholds():
    """A fresh process, as each gunicorn worker: it imports config.wsgi with the setting in its environment."""
    code = "import gc, config.wsgi; print(','.join(map(str, gc.get_threshold())))"
    env = {**os.environ, "THIDUA_GC_THRESHOLD": "12345,7,9"}
    run = subprocess.run([sys.executable, "-c", code], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "12345,7,9"


def test_the_default_is_a_young_generation_of_ten_thousand():
    assert gc_threshold.parse(settings.THIDUA_GC_THRESHOLD) == (10000, 10, 10)


def test_blank_keeps_pythons_own(thresholds):
    gc.set_threshold(701, 11, 12)
    gc_threshold.apply("  ")
    assert gc.get_threshold() == (701, 11, 12)


@pytest.mark.parametrize("value", ["ten", "10000,x", "0,10,10", "-5", "1,2,3,4", "10000,,10"])
def test_a_wrong_value_stops_the_server_with_a_message_that_names_the_setting(thresholds, value):
    before = gc.get_threshold()
    with pytest.raises(ImproperlyConfigured, match="THIDUA_GC_THRESHOLD"):
        gc_threshold.apply(value)
    assert gc.get_threshold() == before


def _fresh_server_process(freeze: str) -> list[int]:
    """(objects set aside, objects still walked by a full collection, URL patterns loaded) in a fresh process that
    imports config.wsgi as each gunicorn worker does."""
    code = (
        "import gc, sys, config.wsgi; "
        "print(gc.get_freeze_count(), len(gc.get_objects()), int('workflow.views.council' in sys.modules))"
    )
    env = {**os.environ, "THIDUA_GC_FREEZE": freeze}
    run = subprocess.run([sys.executable, "-c", code], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return [int(n) for n in run.stdout.split()]


def test_a_server_process_sets_its_loaded_application_aside_from_full_collections():
    frozen, walked, views_loaded = _fresh_server_process("1")
    assert views_loaded  # the URL patterns, and with them the views, loaded at start, not in the first request
    assert frozen > 100_000  # Django, the URL patterns, every view, form and flow
    assert walked < frozen / 20  # what a full collection still walks


def test_the_freeze_can_be_turned_off():
    frozen, walked, _views_loaded = _fresh_server_process("0")
    assert frozen == 0
    assert walked > 50_000
