"""A unit's dossier for a campaign: the submission and its nominations."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .awards import AwardType, DocumentKind
from .campaigns import Campaign
from .candidates import Candidate
from .org import OrgUnit


class Submission(models.Model):
    """Tờ trình đề nghị: one proposing unit, one campaign, many nominations."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        SUBMITTED = "submitted", _("Đã trình")
        IN_REVIEW = "in_review", _("Đang thẩm định")
        IN_COUNCIL = "in_council", _("Hội đồng xét")
        AT_CHAIRMAN = "at_chairman", _("Trình Chủ tịch")
        DECIDED = "decided", _("Đã có kết quả")

    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="submissions", verbose_name=_("phong trào"))
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="submissions", verbose_name=_("đơn vị đề nghị"))
    title = models.CharField(_("trích yếu"), max_length=500)
    letter_number = models.CharField(_("số tờ trình"), max_length=64, blank=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    review_rounds = models.PositiveSmallIntegerField(_("số lần yêu cầu bổ sung"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("ngày trình"), null=True, blank=True)
    notified_at = models.DateTimeField(_("đã thông báo kết quả lúc"), null=True, blank=True)
    # The day the standing body first received the dossier: the rules of that day (documents, criteria,
    # completion limit) judge it to the end, also after it is returned and completed (transitional rule:
    # a file received before a change stays under the old rules).
    received_on = models.DateField(_("ngày cơ quan thường trực nhận hồ sơ"), null=True, blank=True)

    class Meta:
        verbose_name = _("tờ trình đề nghị")
        verbose_name_plural = _("tờ trình đề nghị")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["unit", "campaign"])]

    def __str__(self):
        return self.title

    @property
    def audit_scope(self) -> str:
        """The audit trail this object's events belong to: its own."""
        return f"submission:{self.pk}"

    @property
    def rules_day(self):
        """The day whose rule set judges this dossier: the day it was received, or today until then."""
        return self.received_on or timezone.localdate()

    @property
    def needs_ward_review(self) -> bool:
        """A unit under a ward or commune (a residential group, a school…) is reviewed there first, unless that
        ward or commune issues the campaign: its own standing body appraises the dossier next anyway."""
        parent = self.unit.parent
        return parent is not None and parent.kind in OrgUnit.REVIEWING_KINDS and parent.pk != self.campaign.issuer_id


class Nomination(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        SUBMITTED = "submitted", _("Đã trình")
        NEEDS_COMPLETION = "needs_completion", _("Yêu cầu bổ sung")
        ACCEPTED = "accepted", _("Đạt thẩm định")
        REJECTED = "rejected", _("Không đạt thẩm định")
        COUNCIL_PASSED = "council_passed", _("Hội đồng thông qua")
        COUNCIL_FAILED = "council_failed", _("Hội đồng không thông qua")
        AWARDED = "awarded", _("Được khen thưởng")
        NOT_AWARDED = "not_awarded", _("Không được khen thưởng")
        REVOKED = "revoked", _("Bị hủy bỏ khen thưởng")

    class Review(models.TextChoices):
        """The standing body's appraisal of one nomination."""

        ACCEPT = "accept", _("Đạt")
        COMPLETE = "complete", _("Yêu cầu bổ sung")
        REJECT = "reject", _("Không đạt")

    submission = models.ForeignKey(Submission, models.CASCADE, related_name="nominations", verbose_name=_("tờ trình"))
    candidate = models.ForeignKey(Candidate, models.PROTECT, related_name="nominations", verbose_name=_("đối tượng"))
    award_type = models.ForeignKey(AwardType, models.PROTECT, verbose_name=_("hình thức đề nghị"))
    achievement = models.TextField(_("tóm tắt thành tích"))
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    missing_items = models.TextField(_("nội dung cần bổ sung"), blank=True)
    outcome_reason = models.TextField(_("lý do"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The candidate's sort key, copied here so that the nomination list sorts and pages over an index of
    # (sort_name, id) without joining the candidates. Kept in step by save() here and by Candidate.save().
    sort_name = models.CharField(max_length=512, editable=False, db_default="")

    class Meta:
        verbose_name = _("đề nghị khen thưởng")
        verbose_name_plural = _("đề nghị khen thưởng")
        ordering = ["submission", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "candidate", "award_type"], name="nomination_unique"),
        ]
        indexes = [models.Index(fields=["sort_name", "id"], name="nomination_sort_name_idx")]

    def __str__(self):
        return f"{self.candidate} – {self.award_type}"

    def save(self, *args, **kwargs):
        if self._state.adding or self.candidate_id != getattr(self, "_loaded_candidate_id", None):
            self.sort_name = self.candidate.sort_name
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "sort_name"}
        super().save(*args, **kwargs)
        self._loaded_candidate_id = self.candidate_id

    @property
    def audit_scope(self) -> str:
        """The audit trail this object's events belong to: its dossier's."""
        return f"submission:{self.submission_id}"

    @classmethod
    def from_db(cls, db, field_names, values):
        nomination = super().from_db(db, field_names, values)
        nomination._loaded_candidate_id = nomination.__dict__.get("candidate_id")
        return nomination


def _private_upload_path(instance, filename):
    # Non-guessable, extension-free name: the original name is kept in a column.
    return f"dossiers/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}"


class CurrentAttachments(models.Manager):
    """The files a dossier holds now: a removed or replaced file stays only in ``Attachment.history``."""

    def get_queryset(self):
        return super().get_queryset().filter(removed_at__isnull=True)


class Attachment(models.Model):
    nomination = models.ForeignKey(
        Nomination, models.CASCADE, related_name="attachments", null=True, blank=True, verbose_name=_("đề nghị")
    )
    submission = models.ForeignKey(Submission, models.CASCADE, related_name="attachments", verbose_name=_("tờ trình"))
    kind = models.CharField(_("loại tài liệu"), max_length=32, choices=DocumentKind.choices)
    file = models.FileField(_("tệp"), upload_to=_private_upload_path, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Removing or replacing a file during preparation or completion keeps its row and its bytes: the reviewer
    # and the trail can still open what was there (nominations.services.attachments).
    removed_at = models.DateTimeField(_("gỡ lúc"), null=True, blank=True)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self", models.SET_NULL, related_name="replaces", null=True, blank=True, verbose_name=_("thay bằng")
    )

    # Every row, the removed ones too (downloads from the history, the trail's links, deletion).
    history = models.Manager()
    # The default manager (Meta), which related managers (``submission.attachments``) use too: current files.
    objects = CurrentAttachments()

    class Meta:
        verbose_name = _("tài liệu đính kèm")
        verbose_name_plural = _("tài liệu đính kèm")
        ordering = ["uploaded_at"]
        base_manager_name = "history"
        default_manager_name = "objects"

    def __str__(self):
        return self.original_name

    @property
    def audit_scope(self) -> str:
        """The audit trail this object's events belong to: its dossier's."""
        return f"submission:{self.submission_id}"
