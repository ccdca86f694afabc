"""The emulation & commendation council, its sessions and its (secret) ballots.

Secrecy rests on keeping facts apart: ``BallotCast`` says *that* a member
voted in a round; while the round is open, what they chose exists only as a
``SealedBallot``, encrypted to the round's ``BallotKey``. When the round
closes, the sealed ballots are opened and written out as ``SecretVote`` rows
(what was chosen on one item, under a random id, with no member, no time, no
sequence and no grouping by ballot) and ``BallotReceipt`` rows (the receipt
codes handed out), all in one batch in random order; then the key and the
sealed ballots are deleted. See README, "Threat model of the secret ballot".
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .org import OrgUnit


class Council(models.Model):
    issuer = models.OneToOneField(OrgUnit, models.PROTECT, related_name="council", verbose_name=_("cơ quan"))
    name = models.CharField(_("tên hội đồng"), max_length=255)

    class Meta:
        verbose_name = _("hội đồng thi đua – khen thưởng")
        verbose_name_plural = _("hội đồng thi đua – khen thưởng")

    def __str__(self):
        return self.name

    @property
    def audit_scope(self) -> str:
        """The audit trail of its setting up: its issuer's administration trail."""
        return f"administration:{self.issuer_id}"


class CouncilMember(models.Model):
    class Position(models.TextChoices):
        CHAIR = "chair", _("Chủ tịch Hội đồng")
        VICE_CHAIR = "vice_chair", _("Phó Chủ tịch Hội đồng")
        STANDING = "standing", _("Ủy viên thường trực")
        MEMBER = "member", _("Ủy viên")
        SECRETARY = "secretary", _("Thư ký")

    council = models.ForeignKey(Council, models.CASCADE, related_name="members", verbose_name=_("hội đồng"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="council_seats")
    position = models.CharField(_("chức danh"), max_length=12, choices=Position.choices)
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("thành viên hội đồng")
        verbose_name_plural = _("thành viên hội đồng")
        ordering = ["council", "pk"]
        constraints = [models.UniqueConstraint(fields=["council", "user", "valid_from"], name="councilmember_unique")]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.username} – {self.get_position_display()}"

    @property
    def audit_scope(self) -> str:
        """The audit trail of its setting up: its council's issuer's administration trail."""
        return f"administration:{self.council.issuer_id}"

    @property
    def votes(self) -> bool:
        """The secretary keeps the minutes; everyone else votes."""
        return self.position != self.Position.SECRETARY


class CouncilSession(models.Model):
    class Status(models.TextChoices):
        PREPARING = "preparing", _("Chuẩn bị")
        VOTING = "voting", _("Đang biểu quyết")
        CLOSED = "closed", _("Đã kết thúc")

    council = models.ForeignKey(Council, models.PROTECT, related_name="sessions", verbose_name=_("hội đồng"))
    campaign = models.ForeignKey("nominations.Campaign", models.PROTECT, verbose_name=_("phong trào"))
    title = models.CharField(_("tên phiên họp"), max_length=255)
    held_on = models.DateField(_("ngày họp"))
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PREPARING)
    round = models.PositiveSmallIntegerField(_("vòng biểu quyết"), default=1)
    secret = models.BooleanField(_("bỏ phiếu kín"), default=True)
    written_votes_allowed = models.BooleanField(_("cho phép phiếu bằng văn bản"), default=False)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    # The minutes' entry in the council's yearly register (BB), taken when voting first closes, never again.
    minutes_number = models.PositiveIntegerField(_("số biên bản"), null=True, blank=True)
    minutes_year = models.PositiveSmallIntegerField(_("năm biên bản"), null=True, blank=True)

    class Meta:
        verbose_name = _("phiên họp hội đồng")
        verbose_name_plural = _("phiên họp hội đồng")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return self.title

    @property
    def audit_scope(self) -> str:
        """The audit trail this object's events belong to: its own."""
        return f"council_session:{self.pk}"


class Attendance(models.Model):
    session = models.ForeignKey(CouncilSession, models.CASCADE, related_name="attendance")
    member = models.ForeignKey(CouncilMember, models.PROTECT, related_name="+")
    present = models.BooleanField(_("có mặt"), default=False)

    class Meta:
        verbose_name = _("điểm danh")
        verbose_name_plural = _("điểm danh")
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="attendance_unique")]


class AgendaItem(models.Model):
    class Result(models.TextChoices):
        PENDING = "pending", _("Chưa biểu quyết")
        PASSED = "passed", _("Thông qua")
        FAILED = "failed", _("Không thông qua")
        TIE = "tie", _("Số phiếu ngang nhau")
        NO_QUORUM = "no_quorum", _("Không đủ số phiếu hợp lệ")

    session = models.ForeignKey(CouncilSession, models.CASCADE, related_name="items")
    nomination = models.ForeignKey("nominations.Nomination", models.PROTECT, related_name="agenda_items")
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    round = models.PositiveSmallIntegerField(default=1)
    result = models.CharField(_("kết quả"), max_length=10, choices=Result.choices, default=Result.PENDING)
    agree = models.PositiveSmallIntegerField(_("tán thành"), default=0)
    disagree = models.PositiveSmallIntegerField(_("không tán thành"), default=0)
    abstain = models.PositiveSmallIntegerField(_("không biểu quyết"), default=0)
    base = models.PositiveSmallIntegerField(_("cơ sở tính"), default=0)

    class Meta:
        verbose_name = _("nội dung biểu quyết")
        verbose_name_plural = _("nội dung biểu quyết")
        ordering = ["session", "number"]
        constraints = [models.UniqueConstraint(fields=["session", "nomination"], name="agendaitem_unique")]

    def __str__(self):
        return f"{self.number}. {self.nomination}"

    @property
    def audit_scope(self) -> str:
        """The audit trail this object's events belong to: its session's."""
        return f"council_session:{self.session_id}"

    @property
    def share(self) -> float:
        return self.agree / self.base if self.base else 0.0


class Recusal(models.Model):
    item = models.ForeignKey(AgendaItem, models.CASCADE, related_name="recusals")
    member = models.ForeignKey(CouncilMember, models.PROTECT, related_name="+")
    automatic = models.BooleanField(default=False)
    reason = models.CharField(_("lý do"), max_length=255)

    class Meta:
        verbose_name = _("không tham gia biểu quyết")
        verbose_name_plural = _("không tham gia biểu quyết")
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="recusal_unique")]


class BallotCast(models.Model):
    """That a member voted in a round — never what they chose (when the ballot is secret)."""

    session = models.ForeignKey(CouncilSession, models.CASCADE, related_name="casts")
    round = models.PositiveSmallIntegerField()
    member = models.ForeignKey(CouncilMember, models.PROTECT, related_name="+")
    written = models.BooleanField(_("phiếu bằng văn bản"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "round", "member"], name="ballotcast_once_per_round"),
        ]


class BallotKey(models.Model):
    """The key pair a secret round's ballots are sealed to (nominations.services.ballot_box).

    The private half is stored encrypted under a key derived from ``SECRET_KEY``, which the database does not
    hold; the row is deleted once the round is counted, and the ballots can no longer be opened."""

    session = models.ForeignKey(CouncilSession, models.CASCADE, related_name="+")
    round = models.PositiveSmallIntegerField()
    public_key = models.BinaryField()
    wrapped_private_key = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "round"], name="ballotkey_once_per_round")]


class SealedBallot(models.Model):
    """One ballot of an open secret round: the choices and the receipt code, sealed to the round's key.
    No member and no time: the ``BallotCast`` written with it says who voted, and nothing here says what."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(CouncilSession, models.CASCADE, related_name="+")
    round = models.PositiveSmallIntegerField()
    ciphertext = models.BinaryField()


class BallotReceipt(models.Model):
    """A receipt code given to a voter, written (shuffled) only when the round closes; tied to no vote and no voter."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(CouncilSession, models.CASCADE, related_name="receipts")
    round = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=16, unique=True)


class BallotChoice(models.TextChoices):
    """A member's choice on one agenda item (the ballot page writes these values, workflow/_ballot_form.html)."""

    AGREE = "agree", _("Tán thành")
    DISAGREE = "disagree", _("Không tán thành")
    ABSTAIN = "abstain", _("Không biểu quyết")


class SecretVote(models.Model):
    """One anonymous choice on one item. Votes are not grouped into ballots: a
    ballot that skips a recused item would otherwise point at its voter."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(AgendaItem, models.CASCADE, related_name="secret_votes")
    round = models.PositiveSmallIntegerField()
    choice = models.CharField(max_length=10)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(choice__in=BallotChoice.values), name="secretvote_choice"),
        ]


class OpenVote(models.Model):
    """An attributable vote, used when the rule set asks for an open ballot."""

    item = models.ForeignKey(AgendaItem, models.CASCADE, related_name="open_votes")
    round = models.PositiveSmallIntegerField()
    member = models.ForeignKey(CouncilMember, models.PROTECT, related_name="+")
    choice = models.CharField(max_length=10)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "round", "member"], name="openvote_once"),
            models.CheckConstraint(condition=Q(choice__in=BallotChoice.values), name="openvote_choice"),
        ]
