"""The append-only, HMAC-chained audit trail; rows are written only by ``workflow.audit.record``."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflow.events import LABELS


class AuditTrailImmutable(Exception):
    """Raised on any attempt to change or delete an audit event."""


def _refuse(*args, **kwargs):
    raise AuditTrailImmutable("audit trail is append-only")


class AuditEventQuerySet(models.QuerySet):
    """Queryset without bulk writes: a bulk path would bypass the chain."""

    update = _refuse
    delete = _refuse
    bulk_update = _refuse
    bulk_create = _refuse
    update_or_create = _refuse


class AuditEvent(models.Model):
    created_at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    # Snapshot of the username; for a failed login, the name that was tried.
    actor_name = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    event_type = models.CharField(_("loại sự kiện"), max_length=64, db_index=True)
    scope = models.CharField(_("phạm vi"), max_length=64, blank=True, db_index=True)
    target_type = models.CharField(_("loại đối tượng"), max_length=100, blank=True)
    target_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    # Plain integers, not foreign keys, so the trail outlives the flow rows.
    process_id = models.BigIntegerField(_("quy trình"), null=True, blank=True)
    task_id = models.BigIntegerField(_("công việc"), null=True, blank=True)
    step = models.CharField(_("bước"), max_length=64, blank=True)
    from_state = models.CharField(_("trạng thái trước"), max_length=32, blank=True)
    to_state = models.CharField(_("trạng thái sau"), max_length=32, blank=True)
    comment = models.TextField(_("ý kiến"), blank=True)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    prev_hash = models.CharField(_("băm sự kiện trước"), max_length=64)
    hash = models.CharField(_("băm"), max_length=64, unique=True)
    # Which of the settings' keys made ``hash`` (key rotation); empty on rows written before keying.
    key_id = models.CharField(_("mã khoá"), max_length=16, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("sự kiện nhật ký")
        verbose_name_plural = _("sự kiện nhật ký")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["scope", "id"], name="workflow_audit_scope_id"),
            # The latest event about given rows (audit.last_events: the ballot's appraisal opinions), without
            # reading every event of that type (120 ms at 500,000 events).
            models.Index(fields=["target_type", "target_id"], name="workflow_audit_target"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.event_type} {self.actor_name}".strip()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditTrailImmutable("audit trail is append-only")
        super().save(*args, **kwargs)

    save.alters_data = True

    def delete(self, *args, **kwargs):
        raise AuditTrailImmutable("audit trail is append-only")

    delete.alters_data = True

    @property
    def label(self) -> str:
        """The Vietnamese name of the event for timelines."""
        return LABELS.get(self.event_type, self.event_type)
