import pytest
from celery import Task
from kombu.exceptions import OperationalError


class FakeBroker:
    """Stands for Redis: takes messages when up (and runs them at once, as an idle worker would), refuses when down."""

    def __init__(self):
        self.down = False
        self.sent = []  # (task name, task id) of every message taken


@pytest.fixture
def broker(monkeypatch):
    """Sends go to a broker the test can take down, instead of running inline."""
    from config.celery import app

    fake = FakeBroker()

    def apply_async(task, args=None, kwargs=None, task_id=None, **options):
        if fake.down:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        fake.sent.append((task.name, task_id))
        return task.apply(args, kwargs, task_id=task_id)

    monkeypatch.setattr(Task, "apply_async", apply_async)
    # One message per job: this fake is the broker alone, without the Redis key of the notices' bursts (tested
    # with their own fake, tests/notifications/test_burst.py).
    from jobs import outbox

    monkeypatch.setattr(outbox, "BURST_WINDOW", 0)
    old = app.conf.CELERY_TASK_ALWAYS_EAGER
    app.conf.CELERY_TASK_ALWAYS_EAGER = False
    yield fake
    app.conf.CELERY_TASK_ALWAYS_EAGER = old
