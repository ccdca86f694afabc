"""Jobs with no broker (``make run``): run in this process, after the response, one thread per queue.

A job recorded during a request is held until the response has been sent (``request_finished``, which the WSGI
server sends once the body is written), then handed to the thread of its queue: the chairman's signing answers at
once and the documents follow, as with a worker. Outside a request (``manage.py`` commands, the shell, a test's own
calls) it runs at once, as before.

Nothing is lost if the process dies: the job's row (jobs/outbox.py) is only marked done by the task itself, so a
job in a thread's queue, or running, when the process stops is still pending; the first thread started by the
next server relays it (``run_due()``, every THIDUA_OUTBOX_RETRY_AFTER seconds while idle). A job that fails is
counted as a send and noted with its error, so the relay tries it again (after THIDUA_OUTBOX_RESEND_AFTER) up to
MAX_ATTEMPTS times. Inline, Celery's own retries do not happen (an eager task's retry is raised, not re-run): the
relay's are the retries. A job that waits in a thread's queue longer than THIDUA_OUTBOX_RETRY_AFTER may also be
run by the relay: the tasks are idempotent (a second run finds the work made).

Why threads and not ``request_finished`` itself: that signal runs in the request's thread while the connection is
still held, and the browser's next request (the redirect after signing) would wait behind the documents.
"""

import logging
import queue
import threading

from celery import current_app
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections
from django.db.models import F
from django.utils import timezone

logger = logging.getLogger(__name__)

_request = threading.local()  # .held: the jobs recorded by this thread's request, or None outside a request
_lock = threading.Lock()
_runners: dict[str, "Runner"] = {}
STOP = object()  # put on a thread's queue: it ends once the jobs before it are done


def enabled() -> bool:
    return settings.THIDUA_INLINE_AFTER_RESPONSE


def in_request() -> bool:
    return getattr(_request, "held", None) is not None


def hold(job) -> None:
    """Keep ``job`` until this thread's response has been sent (called by outbox.send, inline, in a request)."""
    _request.held.append(job)


def queue_of(job) -> str:
    route = current_app.amqp.router.route({}, job.task)
    return route["queue"].name


def dispatch(job) -> None:
    """Hand ``job`` to the thread of its queue (started on first use)."""
    runner_for(queue_of(job)).jobs.put(job.pk)


def runner_for(name: str) -> "Runner":
    with _lock:
        if name not in _runners:
            _runners[name] = Runner(name, relays=not _runners)
            _runners[name].start()
        return _runners[name]


def stop_all(timeout: float = 60) -> None:
    """Let each thread finish what it was given, then stop it (tests; a server just exits)."""
    with _lock:
        runners = list(_runners.values())
        _runners.clear()
    for runner in runners:
        runner.jobs.put(STOP)
    for runner in runners:
        runner.join(timeout)


def _started(**kwargs) -> None:
    _request.held = []
    if enabled() and current_app.conf.task_always_eager:
        # The server's first request starts a thread, which relays what a process that died left pending.
        runner_for(current_app.conf.task_default_queue)


def _finished(**kwargs) -> None:
    held, _request.held = getattr(_request, "held", None) or [], None
    for job in held:
        dispatch(job)


def connect() -> None:
    request_started.connect(_started, dispatch_uid="jobs.inline.started")
    request_finished.connect(_finished, dispatch_uid="jobs.inline.finished")


class Runner(threading.Thread):
    """Runs the jobs of one queue, one at a time, as a worker with one process would."""

    def __init__(self, name: str, *, relays: bool):
        super().__init__(name=f"thidua-jobs-{name}", daemon=True)
        self.jobs = queue.Queue()
        self.relays = relays

    def run(self) -> None:
        while True:
            try:
                job_id = self.jobs.get(timeout=settings.THIDUA_OUTBOX_RETRY_AFTER)
            except queue.Empty:
                job_id = None
            if job_id is STOP:
                return
            close_old_connections()
            try:
                if job_id is None:
                    if self.relays and enabled():
                        self._relay()
                else:
                    run_job(job_id)
            finally:
                connections.close_all()
                if job_id is not None:
                    self.jobs.task_done()

    def _relay(self) -> None:
        try:
            run_due()
        except Exception:
            logger.exception("inline relay failed")


def run_due(**waits) -> int:
    """make run's relay: run here, one by one, the jobs due again (``outbox.pending``: left by a process that died,
    or failed); each failure counts as a send, so a job stops after MAX_ATTEMPTS. Returns how many were run."""
    # outbox imports this module to hold a request's jobs: loaded when the thread relays.
    from .outbox import pending

    ids = list(pending(**waits).order_by("tried_at").values_list("pk", flat=True)[:100])
    for job_id in ids:
        run_job(job_id)
    return len(ids)


def run_job(job_id) -> None:
    """Run one job now, in this thread; a failure is logged and left on the row for the relay."""
    # outbox imports this module to hold a request's jobs, and the models load after the apps: loaded when a job runs.
    from .models import OutboxJob
    from .outbox import _describe, _publish, _update

    job = OutboxJob.objects.filter(pk=job_id, done_at=None).first()
    if job is None:
        return  # done meanwhile (the relay ran it)
    try:
        _publish(job)
    except Exception as exc:
        logger.exception("inline job %s (%s) failed; the relay tries it again", job.pk, job.task)
        now = timezone.now()
        _update(job.pk, tried_at=now, sent_at=now, attempts=F("attempts") + 1, last_error=_describe(exc))
