"""What a person is told (in the app, and by e-mail at once or in a daily digest).

A separate app: notifications are about people and tasks across every flow,
and they read the workflow layer (who holds a task), which the nominations
domain must not import.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("Việc mới")
        RETURNED = "returned", _("Hồ sơ trả lại để bổ sung, hoàn thiện")
        RESULT = "result", _("Kết quả")
        REMINDER = "reminder", _("Nhắc hạn xử lý")
        ESCALATION = "escalation", _("Báo cáo việc quá hạn")
        CAMPAIGN = "campaign", _("Phong trào thi đua mới")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications", verbose_name=_("người nhận")
    )
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    # The job that writes a notification may run twice: the second finds the key taken and writes nothing.
    dedup_key = models.CharField(max_length=200, unique=True)
    # Null while an e-mail is still owed (digest) or none can be sent (no address); set once mailed, or
    # at once when the person was mailed by other means (the outcome notice).
    emailed_at = models.DateTimeField(_("đã gửi thư lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.title


class NotificationPreference(models.Model):
    """A person's choice of e-mail: one message per notification, or one digest a day."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notification_preference", verbose_name=_("người dùng")
    )
    daily_digest = models.BooleanField(_("gộp thư thông báo mỗi ngày một lần"), default=False)

    class Meta:
        verbose_name = _("tùy chọn nhận thông báo")
        verbose_name_plural = _("tùy chọn nhận thông báo")

    def __str__(self):
        return str(self.user)
