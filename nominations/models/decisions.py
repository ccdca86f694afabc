"""Award decisions (Quyết định khen thưởng), their numbering, delegation and certificates."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from .awards import AwardType
from .org import Membership, OrgUnit, Role


class DelegationQuerySet(models.QuerySet):
    def in_force_on(self, day):
        """Delegations whose power holds on ``day``: within their dates, not ended early on or before it, and
        held by someone who is still a vice-chairman of the issuer that day (a role in force, like any right)."""
        vice = Membership.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
            user=OuterRef("delegate"),
            unit=OuterRef("issuer"),
            role=Role.VICE_CHAIRMAN,
            valid_from__lte=day,
        )
        return self.filter(Exists(vice), valid_from__lte=day, valid_to__gte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=day)
        )


class Delegation(models.Model):
    """A dated, recorded delegation: a vice-chairman may sign for the chairman ("KT. CHỦ TỊCH").

    Ending it early keeps the dates granted and records ``ended_on``: from that day on it gives no power.
    """

    issuer = models.ForeignKey(OrgUnit, models.PROTECT, related_name="delegations", verbose_name=_("cơ quan"))
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="delegations", verbose_name=_("người được ủy quyền")
    )
    delegate_title = models.CharField(_("chức vụ"), max_length=128, default="PHÓ CHỦ TỊCH")
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày"))
    basis = models.CharField(_("căn cứ phân công"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Empty: every award type of the issuer.
    award_types = models.ManyToManyField(
        AwardType, blank=True, related_name="+", verbose_name=_("hình thức khen thưởng được ký")
    )
    ended_on = models.DateField(_("chấm dứt từ ngày"), null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    end_reason = models.CharField(_("lý do chấm dứt"), max_length=255, blank=True)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("ủy quyền ký")
        verbose_name_plural = _("ủy quyền ký")
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__gte=models.F("valid_from")), name="delegation_valid_range")
        ]

    def __str__(self):
        return f"{self.delegate} ({self.valid_from:%d/%m/%Y} – {self.valid_to:%d/%m/%Y})"

    @property
    def audit_scope(self) -> str:
        """The audit trail this object's events belong to: the issuer's delegations."""
        return f"delegation:{self.issuer_id}"

    def in_force_on(self, day) -> bool:
        return self.valid_from <= day <= self.valid_to and (self.ended_on is None or self.ended_on > day)


class DocumentCounter(models.Model):
    """The running number of one document type of one issuer in one year (Decree 30: restarts each 1 January)."""

    issuer = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+")
    doc_type = models.CharField(max_length=8)  # "QĐ", "TTr"
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "doc_type", "year"], name="counter_unique")]


class Decision(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        RETURNED = "returned", _("Chủ tịch trả lại")
        SIGNED = "signed", _("Đã ký ban hành")
        REVOKED = "revoked", _("Đã hủy bỏ")

    issuer = models.ForeignKey(OrgUnit, models.PROTECT, related_name="decisions", verbose_name=_("cơ quan ban hành"))
    campaign = models.ForeignKey(
        "nominations.Campaign", models.PROTECT, related_name="decisions", verbose_name=_("phong trào")
    )
    award_type = models.ForeignKey(AwardType, models.PROTECT, verbose_name=_("hình thức khen thưởng"))
    subject = models.CharField(_("trích yếu"), max_length=500)
    funding_source = models.CharField(
        _("nguồn kinh phí"), max_length=255, default="Quỹ Thi đua, khen thưởng của thành phố"
    )
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    symbol = models.CharField(_("ký hiệu"), max_length=32, default="QĐ-UBND")
    decision_date = models.DateField(_("ngày ký"), null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    delegation = models.ForeignKey(Delegation, models.PROTECT, null=True, blank=True, related_name="+")
    return_comment = models.TextField(_("ý kiến trả lại"), blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(_("hủy bỏ lúc"), null=True, blank=True)
    revoke_reason = models.TextField(_("lý do hủy bỏ"), blank=True)
    # The revocation is itself a decision of the issuer: numbered in the same register (Quyết định hủy bỏ).
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    revocation_number = models.PositiveIntegerField(_("số quyết định hủy bỏ"), null=True, blank=True)
    revocation_year = models.PositiveSmallIntegerField(_("năm quyết định hủy bỏ"), null=True, blank=True)
    revocation_notified_at = models.DateTimeField(_("đã thông báo hủy bỏ lúc"), null=True, blank=True)
    # What the Quyết định hủy bỏ prints: its date and, when a deputy signed it, the delegation used.
    revocation_date = models.DateField(_("ngày quyết định hủy bỏ"), null=True, blank=True)
    revocation_delegation = models.ForeignKey(Delegation, models.PROTECT, null=True, blank=True, related_name="+")
    revocation_docx = models.FileField(upload_to="decisions/", blank=True)
    revocation_pdf = models.FileField(upload_to="decisions/", blank=True)
    # The Tờ trình's entry in the standing body's register, taken once when the draft is submitted.
    letter_number = models.PositiveIntegerField(_("số tờ trình"), null=True, blank=True)
    letter_year = models.PositiveSmallIntegerField(_("năm tờ trình"), null=True, blank=True)
    letter_date = models.DateField(_("ngày tờ trình"), null=True, blank=True)
    letter_unit = models.ForeignKey(OrgUnit, models.PROTECT, null=True, blank=True, related_name="+")
    docx = models.FileField(upload_to="decisions/", blank=True)
    pdf = models.FileField(upload_to="decisions/", blank=True)
    letter_docx = models.FileField(upload_to="decisions/", blank=True)
    letter_pdf = models.FileField(upload_to="decisions/", blank=True)
    # Set when the stored PDF carries the issuer's digital signature (PAdES); empty without a signing token.
    pdf_signer = models.CharField(_("người ký số"), max_length=255, blank=True)
    pdf_signed_at = models.DateTimeField(_("ký số lúc"), null=True, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 của tệp PDF đã ký số"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = _("quyết định khen thưởng")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "symbol", "year", "number"],
                name="decision_number_unique",
                condition=Q(number__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.reference} – {self.subject}"

    @property
    def audit_scope(self) -> str:
        """The audit trail this object's events belong to: its own."""
        return f"decision:{self.pk}"

    @property
    def reference(self) -> str:
        """ "123/QĐ-UBND", "01/QĐ-UBND" (Decree 30: numbers below 10 take a zero), or "/QĐ-UBND" while unnumbered."""
        return f"{self.number:02d}/{self.symbol}" if self.number else f"/{self.symbol}"

    @property
    def revocation_reference(self) -> str:
        """The number of the decision that revoked this one, e.g. "07/QĐ-UBND"; empty if not revoked."""
        return f"{self.revocation_number:02d}/{self.symbol}" if self.revocation_number else ""


class DecisionItem(models.Model):
    decision = models.ForeignKey(Decision, models.CASCADE, related_name="items")
    nomination = models.OneToOneField("nominations.Nomination", models.PROTECT, related_name="decision_item")
    prize_amount = models.PositiveBigIntegerField(_("tiền thưởng"), default=0)
    struck = models.BooleanField(_("gạch tên"), default=False)
    strike_reason = models.TextField(_("lý do gạch tên"), blank=True)

    class Meta:
        ordering = ["decision", "pk"]


class Certificate(models.Model):
    """One printed certificate; ``code`` is what the QR code's verification link carries."""

    item = models.OneToOneField(DecisionItem, models.CASCADE, related_name="certificate")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    pdf = models.FileField(upload_to="certificates/", blank=True)
    generated_at = models.DateTimeField(null=True, blank=True)
