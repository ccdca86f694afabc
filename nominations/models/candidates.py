"""People and bodies who can be nominated, and what they have received."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..text import fold, person_sort_key, sort_key
from .awards import AwardType, RecipientKind
from .org import OrgUnit


class LeaderLevel(models.TextChoices):
    """Leaders by level as the statistical forms split them; which levels exactly is inferred (domain §14)."""

    PROVINCE = "province", _("Lãnh đạo cấp bộ, tỉnh và tương đương")
    DEPARTMENT = "department", _("Lãnh đạo cấp vụ, sở, huyện và tương đương")
    UNIT = "unit", _("Lãnh đạo cấp phòng, xã và tương đương")


class Candidate(models.Model):
    class Gender(models.TextChoices):
        MALE = "male", _("Nam")
        FEMALE = "female", _("Nữ")

    kind = models.CharField(_("đối tượng"), max_length=12, choices=RecipientKind.choices)
    name = models.CharField(_("họ và tên / tên tập thể"), max_length=255)
    gender = models.CharField(_("giới tính"), max_length=6, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    ethnicity = models.CharField(_("dân tộc"), max_length=64, blank=True)
    position = models.CharField(_("chức vụ, nghề nghiệp"), max_length=255, blank=True)
    unit = models.ForeignKey(
        OrgUnit, models.PROTECT, related_name="candidates", verbose_name=_("đơn vị công tác / nơi cư trú")
    )
    direct_worker = models.BooleanField(_("trực tiếp lao động, sản xuất"), default=False)
    # What the TT 02/2023/TT-BNV statistical forms count individuals by (domain brief §14).
    leader_level = models.CharField(
        _("cán bộ lãnh đạo, quản lý"), max_length=12, choices=LeaderLevel.choices, blank=True, default=""
    )
    business_person = models.BooleanField(_("doanh nhân"), default=False)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    # Links a candidate to a user account so that council members are recused
    # from items about themselves.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("tài khoản")
    )
    search_name = models.CharField(max_length=255, editable=False, db_index=True)
    sort_name = models.CharField(max_length=512, editable=False, db_index=True)

    class Meta:
        verbose_name = _("đối tượng đề nghị")
        verbose_name_plural = _("đối tượng đề nghị")
        ordering = ["sort_name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="individual") | ~models.Q(gender=""),
                name="candidate_individual_has_gender",
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        key = person_sort_key if self.kind == RecipientKind.INDIVIDUAL else sort_key
        self.sort_name = key(self.name)
        renamed = not self._state.adding and self.sort_name != getattr(self, "_loaded_sort_name", None)
        super().save(*args, **kwargs)
        if renamed:
            # The nomination list sorts by a copy of the key (Nomination.sort_name).
            self.nominations.update(sort_name=self.sort_name)
        self._loaded_sort_name = self.sort_name

    @classmethod
    def from_db(cls, db, field_names, values):
        candidate = super().from_db(db, field_names, values)
        candidate._loaded_sort_name = candidate.__dict__.get("sort_name")
        return candidate


class AwardRecord(models.Model):
    candidate = models.ForeignKey(Candidate, models.PROTECT, related_name="awards", verbose_name=_("đối tượng"))
    award_type = models.ForeignKey(AwardType, models.PROTECT, verbose_name=_("hình thức khen thưởng"))
    campaign = models.ForeignKey(
        "nominations.Campaign", models.PROTECT, null=True, blank=True, verbose_name=_("phong trào")
    )
    decision = models.ForeignKey(
        "nominations.Decision",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("quyết định"),
    )
    decision_number = models.CharField(_("số quyết định"), max_length=64)
    decision_date = models.DateField(_("ngày quyết định"))
    issuer = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name=_("cơ quan ban hành"))
    # The unit as it was named on the decision date: units merge and rename.
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="award_records", verbose_name=_("đơn vị"))
    unit_name = models.CharField(_("tên đơn vị tại thời điểm khen"), max_length=255)
    prize_amount = models.PositiveBigIntegerField(_("tiền thưởng (đồng)"), default=0)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoke_reason = models.TextField(_("lý do thu hồi"), blank=True)
    # The recipient as the decision found it, copied by ``services.award_records`` (the one writer): what the
    # TT 02/2023/TT-BNV forms count by. The statistics read this table alone (no join to the candidates over
    # 100,000 records), and a later edit of the candidate does not change what was awarded to whom.
    recipient_kind = models.CharField(_("đối tượng"), max_length=12, choices=RecipientKind.choices)
    gender = models.CharField(_("giới tính"), max_length=6, choices=Candidate.Gender.choices, blank=True)
    ethnicity = models.CharField(_("dân tộc"), max_length=64, blank=True)
    leader_level = models.CharField(
        _("cán bộ lãnh đạo, quản lý"), max_length=12, choices=LeaderLevel.choices, blank=True, default=""
    )
    business_person = models.BooleanField(_("doanh nhân"), default=False)
    direct_worker = models.BooleanField(_("trực tiếp lao động, sản xuất"), default=False)

    class Meta:
        verbose_name = _("lịch sử khen thưởng")
        verbose_name_plural = _("lịch sử khen thưởng")
        ordering = ["-decision_date"]
        indexes = [models.Index(fields=["issuer", "decision_date"], name="awardrecord_issuer_day")]
        constraints = [
            # A record written without the candidate's attributes would be miscounted silently: refuse it.
            models.CheckConstraint(
                condition=models.Q(recipient_kind__in=RecipientKind.values), name="awardrecord_recipient_kind"
            )
        ]

    def __str__(self):
        return f"{self.candidate} – {self.award_type} ({self.decision_number})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # A record saved one by one (a shell, a test) recounts its tally too; the services that write records in
        # bulk (signing, revocation) recount theirs themselves.
        from ..services.award_records import tally_refresh

        tally_refresh([self])


class AwardTally(models.Model):
    """The TT 02/2023 counts of award records, summed ahead: those of one decision, or those an issuer entered
    without a decision in one year. ``services.award_records`` recounts them from the records, with the
    statistics' own filters, whenever it writes records; the statistics then add a few rows per issuer instead
    of counting 100,000 records on every page. Only records not marked revoked are counted; whether the decision
    still stands is asked when the figures are read (``selectors.decision_stands``), so a decision revoked by
    any write leaves the figures at once."""

    issuer = models.ForeignKey(OrgUnit, models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    award_type = models.ForeignKey(AwardType, models.CASCADE, related_name="+")
    campaign = models.ForeignKey("nominations.Campaign", models.CASCADE, null=True, related_name="+")
    decision = models.ForeignKey("nominations.Decision", models.CASCADE, null=True, related_name="+")
    counts = models.JSONField(default=dict)  # column key of statistics.AWARD_COLUMNS → number of records

    class Meta:
        indexes = [models.Index(fields=["issuer", "year"], name="awardtally_issuer_year")]
