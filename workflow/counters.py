"""The counters every page shows (the side menu's inbox and queue badges, the bell), cached per user for a few
seconds.

Each costs a COUNT over the task or notification table (up to 30 ms for a council member's queue at 100,000
nominations) and appears on every page, while it changes only when a task or a notification of that person
changes. A person's counters live under a version of their own, which moves (``invalidate``) when one of
their tasks is saved (taken, started, completed, assigned to them) or a notification of theirs is written or
marked read: what they do themselves shows on the next page; what others do shows within ``TTL`` seconds.
"""

import time

from django.core.cache import cache
from django.db.models.signals import post_init, post_save
from viewflow.workflow.models import Task

from notifications.models import Notification

TTL = 5  # seconds


def _version_key(user_pk) -> str:
    return f"thidua:counters:v:{user_pk}"


def _key(user_pk, version, name) -> str:
    return f"thidua:counters:{user_pk}:{version}:{name}"


def version(user_pk) -> int:
    """The user's counters version: moves (``invalidate``) with their tasks, notifications and roles."""
    version = cache.get(_version_key(user_pk))
    if version is None:
        version = 1
        cache.add(_version_key(user_pk), version, None)
    return version


def cached_count(user, name: str, count) -> int:
    """``count()`` (a callable), read from the cache when this user's ``name`` counter is fresh."""
    if not getattr(user, "is_authenticated", False):
        return count()
    key = _key(user.pk, version(user.pk), name)
    value = cache.get(key)
    if value is None:
        value = count()
        cache.set(key, value, TTL)
    return value


class Counter:
    """A lazy counter for a template (``{{ user_inbox.count }}``): no query nor cache read unless shown."""

    def __init__(self, user, name, count):
        self.user, self.name, self._count = user, name, count

    @property
    def count(self) -> int:
        if not hasattr(self, "_value"):
            self._value = cached_count(self.user, self.name, self._count)
        return self._value

    def __int__(self):
        return self.count

    def __str__(self):
        return str(self.count)


def invalidate(user_pk) -> None:
    """Move ``user_pk``'s counters on. At once, not after the commit: the user's own next page comes after
    their action's commit anyway; another of their pages read in the instant between (it cannot see the
    uncommitted change yet) may cache the old value, for ``TTL`` seconds at most."""
    if user_pk is None:
        return

    def bump():
        try:
            cache.incr(_version_key(user_pk))
        except ValueError:  # no version yet (or evicted): any new one differs from what a page may still hold
            cache.set(_version_key(user_pk), _fresh_version(), None)

    bump()


def _fresh_version() -> int:
    return int(time.time() * 1000)  # a fresh number, not one a former version may have had


def _task_loaded(sender, instance, **kwargs):
    instance._counters_owner = instance.__dict__.get("owner_id")  # who held it when read (unassigning moves theirs)


def _task_saved(sender, instance, **kwargs):
    invalidate(instance.owner_id)
    former = getattr(instance, "_counters_owner", None)
    if former != instance.owner_id:
        invalidate(former)
    instance._counters_owner = instance.owner_id


def _notification_saved(sender, instance, **kwargs):
    invalidate(instance.user_id)


def connect() -> None:
    post_init.connect(_task_loaded, sender=Task, dispatch_uid="thidua-counters-task-loaded")
    post_save.connect(_task_saved, sender=Task, dispatch_uid="thidua-counters-task")
    post_save.connect(_notification_saved, sender=Notification, dispatch_uid="thidua-counters-notification")
