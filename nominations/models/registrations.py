"""A campaign's measurable targets and the units' registrations (đăng ký thi đua): commitments per content
area, dedicated works (công trình, phần việc chào mừng), planned values, and progress reports."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .campaigns import Campaign, ContentArea
from .org import OrgUnit


class Target(models.Model):
    """A measurable target of a campaign (chỉ tiêu), e.g. the share of dossiers handled online."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Càng cao càng tốt")
        LOWER = "lower", _("Càng thấp càng tốt")

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="targets", verbose_name=_("phong trào"))
    name = models.CharField(_("chỉ tiêu"), max_length=500)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=32)
    direction = models.CharField(_("chiều đánh giá"), max_length=8, choices=Direction.choices, default="higher")
    assigned_value = models.DecimalField(_("mức được giao"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu thi đua")
        verbose_name_plural = _("chỉ tiêu thi đua")
        ordering = ["campaign", "id"]

    def __str__(self):
        return self.name

    def reached(self, value, plan) -> bool:
        """Has ``value`` reached ``plan`` in this target's direction?"""
        return value >= plan if self.direction == self.Direction.HIGHER else value <= plan


class Registration(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        SIGNED = "signed", _("Thủ trưởng đã ký")
        ACCEPTED = "accepted", _("Đã chấp thuận")
        RETURNED = "returned", _("Trả lại để sửa")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="registrations", verbose_name=_("phong trào"))
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="registrations", verbose_name=_("đơn vị"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    review_comment = models.TextField(_("ý kiến của cơ quan thường trực"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    signed_at = models.DateTimeField(_("ngày ký"), null=True, blank=True)

    class Meta:
        verbose_name = _("đăng ký thi đua")
        verbose_name_plural = _("đăng ký thi đua")
        ordering = ["campaign", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="registration_unique")]

    def __str__(self):
        return f"{self.unit} – {self.campaign}"

    @property
    def audit_scope(self) -> str:
        return f"registration:{self.pk}"


class Commitment(models.Model):
    registration = models.ForeignKey(Registration, models.CASCADE, related_name="commitments")
    area = models.ForeignKey(ContentArea, models.PROTECT, verbose_name=_("nội dung thi đua"))
    text = models.TextField(_("nội dung đăng ký"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "area"], name="commitment_unique")]

    @property
    def audit_scope(self) -> str:
        return f"registration:{self.registration_id}"


class Work(models.Model):
    """A dedicated work (công trình, phần việc chào mừng)."""

    registration = models.ForeignKey(Registration, models.CASCADE, related_name="works")
    title = models.CharField(_("tên công trình, phần việc"), max_length=500)
    description = models.TextField(_("mô tả"), blank=True)
    responsible_unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name=_("đơn vị chủ trì"))
    due_date = models.DateField(_("thời hạn hoàn thành"))
    expected_result = models.TextField(_("kết quả dự kiến"), blank=True)

    class Meta:
        ordering = ["registration", "due_date", "id"]

    def __str__(self):
        return self.title

    @property
    def audit_scope(self) -> str:
        return f"registration:{self.registration_id}"


class TargetPlan(models.Model):
    """The value a unit plans to reach on one of the campaign's targets."""

    registration = models.ForeignKey(Registration, models.CASCADE, related_name="plans")
    target = models.ForeignKey(Target, models.PROTECT, related_name="plans", verbose_name=_("chỉ tiêu"))
    planned_value = models.DecimalField(_("mức đăng ký"), max_digits=14, decimal_places=2)
    # The latest report on this target (the greatest day, then the greatest id), kept here by the database's
    # trigger on the reports (migration 0021: any write, raw SQL included) so the progress table and its chart
    # read one row per plan instead of ranking every report (bench/campaign_stats.py: 5,000 plans, 60,000).
    latest_value = models.DecimalField(_("giá trị mới nhất"), max_digits=14, decimal_places=2, null=True, blank=True)
    latest_day = models.DateField(_("ngày báo cáo mới nhất"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "target"], name="targetplan_unique")]


class ProgressReport(models.Model):
    """A dated report of a value reached on a target, or of progress on a work (exactly one of the two)."""

    registration = models.ForeignKey(Registration, models.CASCADE, related_name="reports")
    work = models.ForeignKey(Work, models.CASCADE, null=True, blank=True, related_name="reports")
    target = models.ForeignKey(Target, models.PROTECT, null=True, blank=True, related_name="reports")
    day = models.DateField(_("ngày báo cáo"))
    value = models.DecimalField(_("giá trị đạt được"), max_digits=14, decimal_places=2)
    done = models.BooleanField(_("đã hoàn thành"), default=False)
    evidence = models.FileField(_("minh chứng"), upload_to="progress/%Y/", blank=True)
    comment = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day", "id"]
        indexes = [models.Index(fields=["registration", "target", "day"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(work__isnull=True, target__isnull=False)
                | models.Q(work__isnull=False, target__isnull=True),
                name="progressreport_one_subject",
            )
        ]

    @property
    def audit_scope(self) -> str:
        return f"registration:{self.registration_id}"


class SelfAssessment(models.Model):
    """At the campaign's end, the unit's own assessment of one commitment, work or target of its registration
    (exactly one of the three); the dossier it then sends is read next to it."""

    class Result(models.TextChoices):
        EXCEEDED = "exceeded", _("Hoàn thành vượt mức")
        DONE = "done", _("Hoàn thành")
        PARTLY = "partly", _("Hoàn thành một phần")
        NOT_DONE = "not_done", _("Không hoàn thành")

    registration = models.ForeignKey(Registration, models.CASCADE, related_name="assessments")
    commitment = models.ForeignKey(Commitment, models.CASCADE, null=True, blank=True, related_name="+")
    work = models.ForeignKey(Work, models.CASCADE, null=True, blank=True, related_name="+")
    plan = models.ForeignKey(TargetPlan, models.CASCADE, null=True, blank=True, related_name="+")
    result = models.CharField(_("tự đánh giá"), max_length=10, choices=Result.choices)
    comment = models.TextField(_("nhận xét"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["registration", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(commitment__isnull=False, work__isnull=True, plan__isnull=True)
                | models.Q(commitment__isnull=True, work__isnull=False, plan__isnull=True)
                | models.Q(commitment__isnull=True, work__isnull=True, plan__isnull=False),
                name="selfassessment_one_subject",
            ),
            models.UniqueConstraint(fields=["commitment"], name="selfassessment_unique_commitment"),
            models.UniqueConstraint(fields=["work"], name="selfassessment_unique_work"),
            models.UniqueConstraint(fields=["plan"], name="selfassessment_unique_plan"),
        ]

    @property
    def audit_scope(self) -> str:
        return f"registration:{self.registration_id}"


class NominationBasis(models.Model):
    """A collective nomination rests on works and targets of its unit's registration for the same campaign."""

    nomination = models.ForeignKey("nominations.Nomination", models.CASCADE, related_name="basis")
    work = models.ForeignKey(Work, models.CASCADE, null=True, blank=True, related_name="+")
    plan = models.ForeignKey(TargetPlan, models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["nomination", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(work__isnull=False, plan__isnull=True)
                | models.Q(work__isnull=True, plan__isnull=False),
                name="nominationbasis_one_subject",
            ),
            models.UniqueConstraint(fields=["nomination", "work"], name="nominationbasis_unique_work"),
            models.UniqueConstraint(fields=["nomination", "plan"], name="nominationbasis_unique_plan"),
        ]
