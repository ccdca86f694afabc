"""The transactional outbox: one row per background job that a committed state change needs."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxJob(models.Model):
    """A Celery task call recorded in the transaction of the change that needs it (jobs/outbox.py).

    Sent after that commit, sent again by the relay until the task reports it done. The row's id is the
    Celery task id of every send, so a task knows its row without any extra argument.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task = models.CharField(_("tác vụ"), max_length=200)
    args = models.JSONField(_("tham số"), default=list)
    kwargs = models.JSONField(_("tham số đặt tên"), default=dict)
    created_at = models.DateTimeField(_("ghi lúc"), default=timezone.now)
    # When the job was recorded, or last handed (or offered) to the broker: the relay waits from here.
    tried_at = models.DateTimeField(_("gửi thử lúc"), default=timezone.now)
    sent_at = models.DateTimeField(_("gửi được lúc"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("số lần gửi được"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    done_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("việc chạy nền")
        verbose_name_plural = _("các việc chạy nền")
        ordering = ["created_at"]
        # The relay reads only the pending rows, a handful among the done ones.
        indexes = [models.Index(fields=["tried_at"], name="jobs_outbox_pending", condition=Q(done_at__isnull=True))]

    def __str__(self):
        return f"{self.task}{tuple(self.args)}"
