"""The cyclic garbage collector in a server process: its thresholds (setting THIDUA_GC_THRESHOLD) and the
application's own objects set aside once loaded (setting THIDUA_GC_FREEZE).

Python collects its youngest generation every 700 new container objects by default. A request that builds
thousands of objects (a 500-item ballot, a list page) runs it many times, each run moving the objects still alive
into older generations, so the full collections that scan every object of the process (Django, the URL patterns,
the compiled statements, the templates) come often too: a ballot cost 13.5 ms of CPU on average against 8 ms for
most ballots, the difference being those collections. With 10,000 the young generation holds a request's
short-lived objects until most are gone (freed by their reference counts, as almost all are), and the mean
ballot costs ~10 ms (bench/README.md, stop 28). Memory is unchanged in practice: only objects in reference cycles
wait for the collector, and it still runs.

A full collection still came now and then, and it walked every object the process holds: ~220,000 once the URL
patterns have loaded every view, form and flow, 66–114 ms of CPU inside whichever request triggered it (stop 29:
two per gunicorn worker in a council load of 20 s, one of them at the end of the timed ballots).
``freeze_loaded`` loads those patterns when the worker starts, collects once, and moves everything then alive to
the collector's permanent generation (``gc.freeze``): the application's modules, classes and patterns live as long
as the process anyway, and a full collection then walks only what requests have left since (none came in the
same council load with it).
"""

import gc

from django.core.exceptions import ImproperlyConfigured


def parse(value: str) -> tuple[int, ...] | None:
    """``"10000,10,10"`` → (10000, 10, 10); blank → None (Python's own thresholds kept)."""
    if not value.strip():
        return None
    try:
        thresholds = tuple(int(part) for part in value.split(","))
    except ValueError:
        thresholds = ()
    if not 1 <= len(thresholds) <= 3 or any(t < 1 for t in thresholds):
        raise ImproperlyConfigured(
            f"THIDUA_GC_THRESHOLD={value!r}: one to three positive integers separated by commas, e.g. 10000,10,10"
        )
    return thresholds


def apply(value: str) -> None:
    """Set the collector's thresholds from the setting's text (nothing when it is blank)."""
    thresholds = parse(value)
    if thresholds is not None:
        gc.set_threshold(*thresholds)


def freeze_loaded() -> None:
    """Load every URL pattern (and with them the views, forms and flows) now rather than in the first request,
    collect once (no garbage is set aside), then set aside every object alive: later full collections skip them."""
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 (the property loads every URLconf, included ones too)
    gc.collect()
    gc.freeze()
