"""Jobs with no broker (``make run``): run in this process, after the response, one thread per queue.

A job recorded during a request is held until the response has been sent (``request_finished``, which the WSGI
server sends once the body is written), then handed to the thread of its queue: the chairman's signing answers at
once and the documents follow, as with a worker. Outside a request (``manage.py`` commands, the shell, a test's own
calls) it runs at once, as before.

Nothing is lost if the process dies: the job's row (jobs/outbox.py) is only marked done by the task itself, so a
job in a thread's queue, or running, when the process stops is still pending; the first thread started by the
next server relays it (``relay()``, every THIDUA_OUTBOX_RETRY_AFTER seconds while idle). A job that fails is
counted as a send and noted with its error, so the relay tries it again up to MAX_ATTEMPTS times.

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
            close_old_connections()
            try:
                if job_id is None:
                    if self.relays:
                        self._relay()
                else:
                    run_job(job_id)
            finally:
                connections.close_all()
                if job_id is not None:
                    self.jobs.task_done()

    def _relay(self) -> None:
        # outbox imports this module to hold a request's jobs: loaded when the thread first relays.
        from .outbox import relay

        try:
            relay()
        except Exception:
            logger.exception("inline relay: a pending job failed again")


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
