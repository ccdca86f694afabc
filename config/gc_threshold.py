"""The cyclic garbage collector's thresholds for a server process (setting THIDUA_GC_THRESHOLD).

Python collects its youngest generation every 700 new container objects by default. A request that builds
thousands of objects (a 500-item ballot, a list page) runs it many times, each run moving the objects still alive
into older generations, so the full collections that scan every object of the process (Django, the URL patterns,
the compiled statements, the templates) come often too: a ballot cost 13.5 ms of CPU on average against 8 ms for
most ballots, the difference being those collections. With 10,000 the young generation holds a request's
short-lived objects until most are gone (freed by their reference counts, as almost all are), and the mean
ballot costs ~10 ms (bench/README.md, stop 28). Memory is unchanged in practice: only objects in reference cycles
wait for the collector, and it still runs.
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
