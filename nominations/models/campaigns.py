"""Emulation campaigns (phong trào / đợt thi đua) and what they offer."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .awards import AwardType, RecipientKind
from .org import OrgUnit

# A deadline far past the end of the period is almost always a typing error.
MAX_DEADLINE_AFTER_END = datetime.timedelta(days=120)


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        LAUNCHED = "launched", _("Đã phát động")
        CLOSED = "closed", _("Đã kết thúc")
        SUMMARISED = "summarised", _("Đã tổng kết")

    class Method(models.TextChoices):
        REGULAR = "regular", _("Thường xuyên")
        THEMATIC = "thematic", _("Theo đợt, chuyên đề")

    issuer = models.ForeignKey(OrgUnit, models.PROTECT, related_name="campaigns", verbose_name=_("cơ quan phát động"))
    code = models.SlugField(_("mã"), max_length=64, unique=True)
    title = models.CharField(_("tên phong trào"), max_length=500)
    theme = models.TextField(_("chủ đề"), blank=True)
    goal = models.TextField(_("mục tiêu"), blank=True)
    legal_basis = models.TextField(_("căn cứ"), blank=True)
    doc_number = models.CharField(_("số văn bản phát động"), max_length=64, blank=True)
    doc_date = models.DateField(_("ngày văn bản"), null=True, blank=True)
    doc_signer = models.CharField(_("người ký"), max_length=255, blank=True)
    doc_signer_title = models.CharField(_("chức vụ người ký"), max_length=255, blank=True)
    period_start = models.DateField(_("bắt đầu"))
    period_end = models.DateField(_("kết thúc"))
    nomination_deadline = models.DateField(_("hạn nộp hồ sơ đề nghị"))
    registration_deadline = models.DateField(_("hạn đăng ký thi đua"), null=True, blank=True)
    ceremony_date = models.DateField(_("ngày tổng kết, tôn vinh"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    # How form 0601 of TT 02/2023/TT-BNV classes a movement; the seed's campaign is a special, thematic one.
    method = models.CharField(_("hình thức tổ chức"), max_length=10, choices=Method.choices, default=Method.THEMATIC)
    # A token the database draws afresh whenever anything the progress chart counts changes (a plan, a target,
    # a registration's campaign or unit, the campaign itself), by triggers (migration 0021), so a raw write
    # changes it too: the chart's counts are kept in the process under it (``progress.target_counts``).
    progress_version = models.BigIntegerField(default=0, editable=False)
    award_types = models.ManyToManyField(
        AwardType, through="CampaignAward", related_name="campaigns", verbose_name=_("hình thức khen thưởng")
    )

    class Meta:
        verbose_name = _("phong trào thi đua")
        verbose_name_plural = _("phong trào thi đua")
        ordering = ["-period_start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(period_end__gt=models.F("period_start")), name="campaign_period"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.period_start and self.period_end and self.period_end <= self.period_start:
            errors["period_end"] = _("Ngày kết thúc phải sau ngày bắt đầu phong trào.")
        if self.period_start and self.nomination_deadline:
            if self.nomination_deadline < self.period_start:
                errors["nomination_deadline"] = _("Hạn nộp hồ sơ không được trước ngày bắt đầu phong trào.")
            elif self.period_end and self.nomination_deadline > self.period_end + MAX_DEADLINE_AFTER_END:
                errors["nomination_deadline"] = _("Hạn nộp hồ sơ không được quá 120 ngày sau khi kết thúc phong trào.")
        if self.ceremony_date and self.nomination_deadline and self.ceremony_date < self.nomination_deadline:
            errors["ceremony_date"] = _("Ngày tổng kết phải sau hạn nộp hồ sơ.")
        if self.doc_date and self.period_end and self.doc_date > self.period_end:
            errors["doc_date"] = _("Văn bản phát động không thể ban hành sau khi phong trào kết thúc.")
        launched_on = self.doc_date or self.period_start
        if self.status == self.Status.LAUNCHED and self.issuer_id and launched_on:
            # A committee that no longer exists launches nothing (its successor does).
            if not self.issuer.is_valid_on(launched_on):
                errors["issuer"] = _("%(u)s không còn hoạt động ngày %(d)s, không thể phát động phong trào.") % {
                    "u": self.issuer,
                    "d": launched_on.strftime("%d/%m/%Y"),
                }
        if errors:
            raise ValidationError(errors)

    def accepts_nominations_on(self, day: datetime.date) -> bool:
        return self.status == self.Status.LAUNCHED and day <= self.nomination_deadline

    @property
    def audit_scope(self) -> str:
        """The audit trail this object's events belong to: its own."""
        return f"campaign:{self.pk}"


class ContentArea(models.Model):
    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="content_areas", verbose_name=_("phong trào"))
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    title = models.CharField(_("nội dung"), max_length=500)
    body = models.TextField(_("chi tiết"), blank=True)

    class Meta:
        verbose_name = _("nội dung thi đua")
        verbose_name_plural = _("nội dung thi đua")
        ordering = ["campaign", "number"]
        constraints = [models.UniqueConstraint(fields=["campaign", "number"], name="contentarea_unique_number")]

    def __str__(self):
        return f"{self.number}. {self.title}"


class CampaignAward(models.Model):
    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="offers", verbose_name=_("phong trào"))
    award_type = models.ForeignKey(AwardType, models.PROTECT, verbose_name=_("hình thức khen thưởng"))
    default_quota = models.PositiveIntegerField(
        _("chỉ tiêu mỗi đơn vị"), null=True, blank=True, help_text=_("Để trống nếu không giới hạn.")
    )

    class Meta:
        verbose_name = _("hình thức khen thưởng của phong trào")
        verbose_name_plural = _("hình thức khen thưởng của phong trào")
        constraints = [models.UniqueConstraint(fields=["campaign", "award_type"], name="campaignaward_unique")]

    def __str__(self):
        return f"{self.campaign} – {self.award_type}"


class UnitQuota(models.Model):
    offer = models.ForeignKey(CampaignAward, models.CASCADE, related_name="unit_quotas", verbose_name=_("hình thức"))
    unit = models.ForeignKey(OrgUnit, models.PROTECT, verbose_name=_("đơn vị"))
    # Empty: one quota for every kind of recipient; otherwise individuals and collectives are counted apart.
    kind = models.CharField(_("đối tượng"), max_length=12, choices=RecipientKind.choices, blank=True, default="")
    quota = models.PositiveIntegerField(_("chỉ tiêu"))

    class Meta:
        verbose_name = _("chỉ tiêu của đơn vị")
        verbose_name_plural = _("chỉ tiêu của đơn vị")
        constraints = [models.UniqueConstraint(fields=["offer", "unit", "kind"], name="unitquota_unique_kind")]

    def __str__(self):
        return f"{self.unit}: {self.quota}"
