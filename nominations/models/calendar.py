"""The working-day calendar's dated exceptions and the step time limits.

Public holidays come from the ``holidays`` package (nominations/workdays.py);
what the government announces each year on top of them (extra Tết days off,
make-up working Saturdays) is data the administrator enters here. Time limits
per step change with the law, so they are dated rows too, never code.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .org import OrgUnit


class CalendarDay(models.Model):
    """One dated exception to the national calendar."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Ngày lễ, Tết")
        DAY_OFF = "day_off", _("Ngày nghỉ theo thông báo")
        MAKE_UP = "make_up", _("Ngày làm việc bù")

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại ngày"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("ghi chú, căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("ngày nghỉ / làm bù")
        verbose_name_plural = _("lịch ngày nghỉ, ngày làm bù")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} – {self.get_kind_display()}"

    @property
    def is_working(self) -> bool:
        return self.kind == self.Kind.MAKE_UP


class StepDeadline(models.Model):
    """How many working days a step of the procedure may take, for a level and a period."""

    step = models.CharField(_("bước"), max_length=64, help_text=_("tên bước của quy trình, ví dụ review"))
    issuer_level = models.PositiveSmallIntegerField(
        _("cấp khen thưởng"),
        choices=OrgUnit.Level.choices,
        null=True,
        blank=True,
        help_text=_("cấp của cơ quan phát động phong trào; để trống: mọi cấp"),
    )
    working_days = models.PositiveSmallIntegerField(_("số ngày làm việc"))
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)
    confirmed = models.BooleanField(
        _("đã xác minh"), default=False, help_text=_("bỏ chọn khi con số là suy luận, chưa có văn bản xác nhận")
    )

    class Meta:
        verbose_name = _("thời hạn xử lý bước")
        verbose_name_plural = _("thời hạn xử lý các bước")
        ordering = ["step", "issuer_level", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="stepdeadline_valid_range",
            ),
        ]

    def __str__(self):
        return f"{self.step}: {self.working_days}"

    def clean(self):
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Ngày kết thúc phải sau ngày bắt đầu áp dụng.")})
