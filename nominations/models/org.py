"""The organisation tree, dated, with successor links for mergers."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OrgUnitQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class OrgUnit(models.Model):
    class Kind(models.TextChoices):
        PROVINCE = "province", _("Tỉnh")
        CITY = "city", _("Thành phố / huyện")
        WARD = "ward", _("Phường")
        COMMUNE = "commune", _("Xã")
        AGENCY = "agency", _("Cơ quan chuyên môn")
        PUBLIC_SERVICE = "public_service", _("Đơn vị sự nghiệp")
        SCHOOL = "school", _("Trường học")
        RESIDENTIAL = "residential", _("Khối / thôn / tổ dân phố")
        ORGANISATION = "organisation", _("Tổ chức chính trị – xã hội")
        ENTERPRISE = "enterprise", _("Doanh nghiệp")

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Cấp tỉnh")
        DISTRICT = 2, _("Cấp huyện")
        COMMUNE = 3, _("Cấp xã")
        GRASSROOTS = 4, _("Cơ sở")

    # Units whose own People's Committee reviews the dossiers of the units
    # under them before they go up (ward review step of the flow).
    REVIEWING_KINDS = (Kind.WARD, Kind.COMMUNE)

    code = models.SlugField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=64, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(_("cấp"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("đơn vị cấp trên")
    )
    # Materialised path of codes ("ls/tp-ls/p-vinh-trai/"): descendants are
    # one indexed prefix query at any depth.
    path = models.CharField(max_length=1024, editable=False, db_index=True)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("đơn vị kế thừa"),
    )

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]
        permissions = [
            ("propose_nomination", _("Lập hồ sơ đề nghị khen thưởng của đơn vị")),
            ("submit_nomination", _("Trình hồ sơ đề nghị của đơn vị")),
            ("review_nomination", _("Thẩm định hồ sơ đề nghị")),
            ("ward_review_nomination", _("Xét hồ sơ của đơn vị trực thuộc phường, xã")),
            ("record_council_result", _("Ghi kết quả hội đồng thi đua")),
            ("approve_decision", _("Phê duyệt, ký quyết định khen thưởng")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_valid_range",
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        old_path = self.path
        self.path = (self.parent.path if self.parent else "") + self.code + "/"
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # Re-parenting moves the whole subtree: keep descendants' paths true.
            for child in OrgUnit.objects.filter(parent=self):
                child.save(update_fields=["path"])

    def clean(self):
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.")})
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": _("Một đơn vị không thể kế thừa chính nó.")})

    def descendants(self, include_self=False):
        qs = OrgUnit.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    def ancestors(self):
        parts = self.path.strip("/").split("/")[:-1]
        return OrgUnit.objects.filter(code__in=parts).order_by("path")

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    def name_on(self, day: datetime.date) -> str:
        """The name the unit bore on ``day`` (its current one unless it was renamed since)."""
        past = self.past_names.filter(valid_from__lte=day, valid_to__gte=day).first()
        return past.name if past else self.name


class Role(models.TextChoices):
    UNIT_CLERK = "unit_clerk", _("Cán bộ thi đua của đơn vị")
    UNIT_HEAD = "unit_head", _("Thủ trưởng đơn vị")
    REVIEWER = "reviewer", _("Chuyên viên thẩm định (cơ quan thường trực)")
    WARD_REVIEWER = "ward_reviewer", _("Cán bộ thi đua phường, xã")
    COUNCIL_MEMBER = "council_member", _("Thành viên Hội đồng")
    COUNCIL_SECRETARY = "council_secretary", _("Thư ký Hội đồng")
    COUNCIL_CHAIR = "council_chair", _("Chủ tịch Hội đồng")
    CHAIRMAN = "chairman", _("Chủ tịch UBND")
    VICE_CHAIRMAN = "vice_chairman", _("Phó Chủ tịch UBND")
    # Sets up the committee's units, people, roles, council and campaigns in the product.
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships", verbose_name=_("người dùng")
    )
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="memberships", verbose_name=_("đơn vị"))
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    title = models.CharField(_("chức vụ"), max_length=255, blank=True)
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("phân công vai trò")
        verbose_name_plural = _("phân công vai trò")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role", "valid_from"], name="membership_unique"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.unit}"


class OrgUnitName(models.Model):
    """A name a unit bore before a rename: documents of the past keep the past name (``OrgUnit.name_on``)."""

    unit = models.ForeignKey(OrgUnit, models.CASCADE, related_name="past_names", verbose_name=_("đơn vị"))
    name = models.CharField(_("tên"), max_length=255)
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày"))

    class Meta:
        verbose_name = _("tên cũ của đơn vị")
        verbose_name_plural = _("tên cũ của đơn vị")
        ordering = ["unit", "-valid_to"]

    def __str__(self):
        return self.name
