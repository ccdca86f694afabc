"""Award types and their dated rule sets; the base salary table.

Legal rules changed twice between 2024 and 2026 (domain brief §1), so every
number that law sets is data with a validity period, never code.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RecipientKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Cá nhân")
    COLLECTIVE = "collective", _("Tập thể")
    HOUSEHOLD = "household", _("Hộ gia đình")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")


class DocumentKind(models.TextChoices):
    ACHIEVEMENT_REPORT = "achievement_report", _("Báo cáo thành tích")
    REVIEW_MINUTES = "review_minutes", _("Biên bản họp xét khen thưởng của đơn vị")
    SUBMISSION_LETTER = "submission_letter", _("Tờ trình đề nghị")
    INITIATIVE_CERTIFICATE = "initiative_certificate", _("Giấy chứng nhận sáng kiến")
    OTHER = "other", _("Tài liệu khác")


class AwardType(models.Model):
    class Form(models.TextChoices):
        CERTIFICATE_OF_MERIT = "giay_khen", _("Giấy khen")
        TITLE = "danh_hieu", _("Danh hiệu thi đua")
        HONOUR = "ton_vinh", _("Tôn vinh")

    class Level(models.TextChoices):
        STATE = "state", _("Khen thưởng cấp Nhà nước")
        PROVINCE = "province", _("Khen thưởng cấp bộ, ban, ngành, tỉnh")
        LOCAL = "local", _("Khen thưởng cấp huyện, xã, cơ sở")

    code = models.SlugField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên hình thức"), max_length=255)
    form = models.CharField(_("loại"), max_length=20, choices=Form.choices)
    description = models.TextField(_("mô tả"), blank=True)
    # Which TT 02/2023/TT-BNV form counts it: 0602 state awards, 0603 ministry/province awards; the rest
    # (district, commune, agency heads) are reported beside them, outside the official forms.
    level = models.CharField(_("cấp khen thưởng"), max_length=10, choices=Level.choices, default=Level.LOCAL)

    class Meta:
        verbose_name = _("hình thức khen thưởng")
        verbose_name_plural = _("hình thức khen thưởng")
        ordering = ["name"]

    def __str__(self):
        return self.name


class AwardRuleSet(models.Model):
    class VoteBase(models.TextChoices):
        PRESENT = "present", _("Số thành viên có mặt")
        ALL = "all", _("Tổng số thành viên")

    class Ballot(models.TextChoices):
        SECRET = "secret", _("Bỏ phiếu kín")
        OPEN = "open", _("Biểu quyết công khai")

    class Rounding(models.TextChoices):
        UP = "up", _("Làm tròn lên")
        NEAREST = "nearest", _("Làm tròn gần nhất")
        NONE = "none", _("Không làm tròn")

    award_type = models.ForeignKey(
        AwardType, models.CASCADE, related_name="rule_sets", verbose_name=_("hình thức khen thưởng")
    )
    valid_from = models.DateField(_("áp dụng từ"))
    valid_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    recipient_kinds = models.JSONField(_("đối tượng"), default=list)
    authority_level = models.PositiveSmallIntegerField(
        _("cấp quyết định"), choices=[(1, _("Cấp tỉnh")), (2, _("Cấp huyện")), (3, _("Cấp xã"))]
    )
    required_documents = models.JSONField(_("thành phần hồ sơ bắt buộc"), default=list)
    completion_requests_limit = models.PositiveSmallIntegerField(
        _("số lần yêu cầu bổ sung tối đa"),
        default=1,
        help_text=_("Quy định một cửa: chỉ yêu cầu bổ sung hồ sơ một lần. 0 = không giới hạn."),
    )
    quorum = models.DecimalField(_("tỷ lệ có mặt tối thiểu"), max_digits=5, decimal_places=4, default=Decimal("0.6667"))
    vote_threshold = models.DecimalField(_("tỷ lệ tán thành"), max_digits=5, decimal_places=4, default=Decimal("0.7"))
    vote_base = models.CharField(
        _("cơ sở tính tỷ lệ"), max_length=10, choices=VoteBase.choices, default=VoteBase.PRESENT
    )
    ballot = models.CharField(_("hình thức biểu quyết"), max_length=10, choices=Ballot.choices, default=Ballot.SECRET)
    written_votes_allowed = models.BooleanField(_("cho phép phiếu bằng văn bản"), default=False)
    prize_coefficient = models.DecimalField(
        _("hệ số tiền thưởng"), max_digits=6, decimal_places=3, default=Decimal("0")
    )
    collective_multiplier = models.DecimalField(
        _("hệ số cho tập thể"), max_digits=5, decimal_places=2, default=Decimal("2")
    )
    household_multiplier = models.DecimalField(
        _("hệ số cho hộ gia đình"), max_digits=5, decimal_places=2, default=Decimal("1.5")
    )
    rounding = models.CharField(_("làm tròn"), max_length=10, choices=Rounding.choices, default=Rounding.UP)
    rounding_unit = models.PositiveIntegerField(_("đơn vị làm tròn (đồng)"), default=10000)

    class Meta:
        verbose_name = _("bộ quy định khen thưởng")
        verbose_name_plural = _("bộ quy định khen thưởng")
        ordering = ["award_type", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["award_type", "valid_from"], name="ruleset_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="ruleset_valid_range",
            ),
            models.CheckConstraint(
                condition=Q(vote_threshold__gt=0, vote_threshold__lte=1, quorum__gt=0, quorum__lte=1),
                name="ruleset_fractions",
            ),
        ]

    def __str__(self):
        end = self.valid_to.strftime("%d/%m/%Y") if self.valid_to else "…"
        return f"{self.award_type} ({self.valid_from:%d/%m/%Y} – {end})"

    def clean(self):
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Ngày kết thúc phải sau ngày bắt đầu áp dụng.")})
        unknown = set(self.recipient_kinds) - set(RecipientKind.values)
        if unknown:
            raise ValidationError({"recipient_kinds": _("Đối tượng không hợp lệ: %(v)s") % {"v": ", ".join(unknown)}})
        if not self.award_type_id:
            return
        overlapping = AwardRuleSet.objects.filter(award_type_id=self.award_type_id).exclude(pk=self.pk)
        if self.valid_to:
            overlapping = overlapping.filter(valid_from__lte=self.valid_to)
        overlapping = overlapping.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        if overlapping.exists():
            raise ValidationError(_("Thời gian áp dụng trùng với một bộ quy định khác của cùng hình thức."))


class BaseSalary(models.Model):
    valid_from = models.DateField(_("áp dụng từ"), unique=True)
    amount = models.PositiveBigIntegerField(_("mức lương cơ sở (đồng/tháng)"))
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("mức lương cơ sở")
        verbose_name_plural = _("mức lương cơ sở")
        ordering = ["valid_from"]

    def __str__(self):
        return f"{self.amount:,} đ từ {self.valid_from:%d/%m/%Y}".replace(",", ".")
