"""Voting in a council session: ballots (secret or open), recusals, closing and counting a round, a second round."""

import functools
import random
import secrets
import uuid
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from workflow import audit

from ..models import (
    AgendaItem,
    Attendance,
    AwardRuleSet,
    BallotCast,
    BallotKey,
    BallotReceipt,
    CouncilMember,
    CouncilSession,
    OpenVote,
    Recusal,
    SealedBallot,
    SecretVote,
)
from ..selectors import rule_set_on
from . import ballot_box
from .rows import insert_rows, update_rows
from .signing import next_number

CHOICES = ballot_box.CHOICES
_CHOICE_SET = frozenset(CHOICES)


R = AgendaItem.Result


def session_rule(session: CouncilSession) -> AwardRuleSet:
    item = session.items.select_related("nomination__award_type").first()
    return rule_set_on(item.nomination.award_type, session.held_on)


def _ratio(part: int, whole: int) -> Decimal:
    """part/whole to the precision rule sets are stored with, so 6/9 meets a 0.6667 (2/3) rule."""
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def ballot_items(session: CouncilSession, member: CouncilMember):
    """The items of the current round this member votes on (not recused)."""
    return (
        session.items.filter(round=session.round, result=R.PENDING)
        .exclude(recusals__member=member)
        .select_related("nomination__candidate", "nomination__award_type", "nomination__submission__unit")
    )


class BallotRow(NamedTuple):
    """One agenda item as a ballot shows it, read without model instances (an agenda may hold 500)."""

    pk: int
    number: int
    candidate: str
    unit: str
    award_type: str

    def __str__(self):  # as AgendaItem's: "number. candidate – award type"
        return f"{self.number}. {self.candidate} – {self.award_type}"

    @property
    def label(self) -> str:
        return f"{self.number}. {self.candidate} – {self.unit}"


def ballot_rows(items) -> list[BallotRow]:
    """BallotRows of a queryset of agenda items, in agenda order."""
    columns = ("pk", "number", "nomination__candidate__name", "nomination__submission__unit__name")
    return [BallotRow._make(row) for row in items.values_list(*columns, "nomination__award_type__name")]


def ballot_item_ids(session: CouncilSession, member: CouncilMember) -> list[int]:
    """The ids of ``ballot_items(session, member)``, in agenda order, in one prepared statement (issue 18): each
    ballot reads them twice (the form, then the service under the session's lock) and the ORM spent more time
    building the query (a recusal subquery) than the database answering it."""
    return _item_ids(session.pk, member.pk, session.round)


def _item_ids(session_pk, member_pk, round_=None) -> list[int]:
    """``ballot_item_ids``; with no ``round_``, the session's current round is read by the statement itself (a ballot
    sent reads no session row before the service locks it: ``BallotRows``)."""
    with connection.cursor() as cursor:
        if round_ is None:
            cursor.execute(_item_ids_sql(current_round=True), [session_pk, session_pk, R.PENDING, member_pk])
        else:
            cursor.execute(_item_ids_sql(), [session_pk, round_, R.PENDING, member_pk])
        return [row[0] for row in cursor.fetchall()]


def _item_ids_sql(*, current_round: bool = False) -> str:
    # The member's recusals with NOT IN: read once into a hash (PostgreSQL's hashed subplan), where NOT EXISTS was
    # an anti join probing them once per item (500 probes; ~0.15 ms of a ballot's 0.4 ms statement). The same in
    # _share_session_sql. ``item_id`` is never NULL: NOT IN means NOT EXISTS here.
    if current_round not in _ITEM_IDS_SQL:
        quote = connection.ops.quote_name
        item, recusal = quote(AgendaItem._meta.db_table), quote(Recusal._meta.db_table)
        session = quote(CouncilSession._meta.db_table)
        round_ = f'(SELECT s."round" FROM {session} s WHERE s."id" = %s)' if current_round else "%s"
        _ITEM_IDS_SQL[current_round] = (
            f'SELECT i."id" FROM {item} i WHERE i."session_id" = %s AND i."round" = {round_} AND i."result" = %s '
            f'AND i."id" NOT IN (SELECT r."item_id" FROM {recusal} r WHERE r."member_id" = %s) '
            'ORDER BY i."number"'
        )
    return _ITEM_IDS_SQL[current_round]


_ITEM_IDS_SQL = {}


KEPT_IDS_SECONDS = 60


def kept_item_ids(session_pk, member_pk) -> list[int]:
    """``ballot_item_ids`` of the session's current round, from what was last read for the whole session and kept
    in the cache for a minute (its pending items with their recusals: one statement for every member's ballot,
    issue 18, instead of one per ballot). They may be out of date (a new round, a recusal, an agenda edited in
    the database): the ballot's form checks what was sent against them, then against the ids read anew if it
    does not match them (``BallotRows.ids``, which forgets them), and the service against the ids it reads with
    the session under its lock (``ballot_cast``): those are the authority, never these."""
    key = _kept_key(session_pk)
    kept = cache.get(key)
    if kept is None:
        kept = _session_items(session_pk)
        cache.set(key, kept, KEPT_IDS_SECONDS)
    ids, recused = kept
    mine = recused.get(member_pk)
    return [pk for pk in ids if pk not in mine] if mine else ids


def forget_item_ids(session_pk) -> None:
    cache.delete(_kept_key(session_pk))


def _kept_key(session_pk) -> str:
    return f"thidua:ballot-ids:{session_pk}"


def _session_items(session_pk) -> tuple[list[int], dict]:
    """(the ids of the session's current round's pending items in agenda order, {member pk: the ids they recused})."""
    quote = connection.ops.quote_name
    item, recusal = quote(AgendaItem._meta.db_table), quote(Recusal._meta.db_table)
    session = quote(CouncilSession._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT i."id", r."member_id" FROM {item} i LEFT JOIN {recusal} r ON r."item_id" = i."id" '
            f'WHERE i."session_id" = %s AND i."round" = (SELECT s."round" FROM {session} s WHERE s."id" = %s) '
            'AND i."result" = %s ORDER BY i."number", i."id"',
            [session_pk, session_pk, R.PENDING],
        )
        rows = cursor.fetchall()
    recused = {}
    for item_pk, member_pk in rows:
        if member_pk is not None:
            recused.setdefault(member_pk, set()).add(item_pk)
    return list(dict.fromkeys(item_pk for item_pk, _member in rows)), recused


class BallotRows:
    """The BallotRows of a member's ballot, read only when shown: a ballot sent is checked against the items'
    ids alone (``ballot_item_ids``), not their candidates, units and award types (four joins × 500 rows).

    ``session``: the session, or a callable giving it (a process's artifact): a ballot sent never reads the
    session's row here, only its id (``session_pk``), the service reading it under its lock (issue 18)."""

    def __init__(self, session, member: CouncilMember, *, session_pk=None):
        self._session, self._member, self._rows = session, member, None
        self._session_pk = session.pk if session_pk is None else session_pk
        self.kept = False  # True once ``kept_ids`` gave the ids kept in the cache (possibly out of date)

    def ids(self) -> list[int]:
        """The items' ids, in agenda order, read now. After ``kept_ids``: those did not do (a ballot sent that does
        not match them), the session's are forgotten and read again by the next ballot."""
        if self.kept:
            self.kept = False
            forget_item_ids(self._session_pk)
        if self._rows is not None:
            return [row.pk for row in self._rows]
        if isinstance(self._session, CouncilSession):
            return ballot_item_ids(self._session, self._member)
        return _item_ids(self._session_pk, self._member.pk)

    def kept_ids(self) -> list[int]:
        """The items' ids as kept in the cache for the session (``kept_item_ids``), to check a ballot sent against
        first: ``ids()`` reads them anew."""
        if self._rows is not None:
            return self.ids()
        self.kept = True
        return kept_item_ids(self._session_pk, self._member.pk)

    def _read(self) -> list[BallotRow]:
        if self._rows is None:
            session = self._session if isinstance(self._session, CouncilSession) else self._session()
            self._rows = ballot_rows(ballot_items(session, self._member))
        return self._rows

    def __iter__(self):
        return iter(self._read())

    def __len__(self):
        return len(self._read())

    def __bool__(self):
        return bool(self._read())


def may_vote(session: CouncilSession, member: CouncilMember, *, written: bool) -> bool:
    attendance = session.attendance.filter(member=member).first()
    if attendance is None:
        return False
    return attendance.present != written and (not written or session.written_votes_allowed)


def session_member(session: CouncilSession, user) -> CouncilMember | None:
    """``user``'s voting seat on the session's council (the secretary has none), or None."""
    return session.council.members.filter(user=user).exclude(position=CouncilMember.Position.SECRETARY).first()


def attending_member(session: CouncilSession, user) -> CouncilMember | None:
    """``user``'s voting seat if it is on the session's roll: who may declare a recusal on its items."""
    member = session_member(session, user)
    return member if member is not None and session.attendance.filter(member=member).exists() else None


def written_ballot(session: CouncilSession, member_id=None) -> tuple:
    """(the absent members, the ballot rows) of the written-ballot form: the rows ``member_id`` votes on, or
    every pending item of the round while no member is chosen."""
    absent = CouncilMember.objects.filter(pk__in=session.attendance.filter(present=False).values("member"))
    member = CouncilMember.objects.filter(pk=member_id).first() if str(member_id or "").isdigit() else None
    items = ballot_items(session, member) if member else session.items.filter(round=session.round, result=R.PENDING)
    return absent, ballot_rows(items)


@transaction.atomic
def ballot_cast(
    *,
    session: CouncilSession,
    member: CouncilMember,
    choices: dict,
    written: bool = False,
    entered_by=None,
    trail=None,
    voter=None,
) -> str:
    """Record one member's ballot for the current round; return the receipt code.

    Refuses a second ballot of the same member in the same round. Runs without the council process's lock: the
    members' ballots are recorded side by side (see ``_share_session``), and the caller takes the process lock
    afterwards only to complete the member's task.

    ``member``: its id is enough (a ballot sent does not read the member's row: the session's statement reads
    the member's user id); ``voter``: the user sending the ballot, named by the audit event when it is the
    member's own user (as it is for a member's task), else the member's user is read.
    """
    session = _share_session(session.pk, member.pk)
    if session.status != CouncilSession.Status.VOTING:
        raise ValidationError(_("Phiên họp không trong thời gian biểu quyết."), code="not_voting")
    present = session.member_present  # may_vote, read with the session
    if present is None or present == written or (written and not session.written_votes_allowed):
        raise ValidationError(_("Thành viên này không được bỏ phiếu ở phiên họp này."), code="not_allowed")
    # The member's items, read with the session under its lock (PostgreSQL), or here.
    ids = session.member_items if session.member_items is not None else ballot_item_ids(session, member)
    expected = set(ids)
    if set(choices) != expected or not _CHOICE_SET.issuperset(choices.values()):
        raise ValidationError(
            _("Phiếu phải có ý kiến cho tất cả và chỉ các nội dung được biểu quyết."), code="invalid_ballot"
        )
    if not _cast_once(session, member, written=written):
        raise ValidationError(_("Thành viên đã bỏ phiếu ở vòng này; mỗi người chỉ có một phiếu."), code="already_voted")
    receipt = secrets.token_hex(5).upper()
    if session.secret:
        # Nothing readable is stored until the round closes: the choices and the receipt go into the box sealed,
        # under a random id, with no member and no time (the voter keeps the receipt code returned here).
        ciphertext = ballot_box.seal(session, receipt, choices, public_key=session.ballot_public_key)
        _insert_sealed(session, ciphertext)
    else:
        insert_rows(
            OpenVote,
            ["item", "round", "member", "choice"],
            [(i, session.round, member.pk, c) for i, c in choices.items()],
        )
    # The trail says who voted, never what a secret ballot chose.
    if entered_by is None:
        entered_by = voter if voter is not None and voter.pk == session.member_user_id else member.user
    audit.record_transition(
        session,
        audit.COUNCIL_BALLOT_CAST,
        actor=entered_by,
        data={
            "round": session.round,
            "member": member.pk,
            "written": written,
            **({} if session.secret else {"choices": {str(k): v for k, v in choices.items()}}),
        },
        trail=trail,
    )
    return receipt


def _insert_sealed(session: CouncilSession, ciphertext: bytes) -> None:
    """The sealed ballot's row under a new random id (uuid4, as the model's default), written as SQL: a model
    instance and its save cost more than the statement (s26ballot)."""
    table = connection.ops.quote_name(SealedBallot._meta.db_table)
    id_ = SealedBallot._meta.pk.get_db_prep_save(uuid.uuid4(), connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} ("id", "session_id", "round", "ciphertext") VALUES (%s, %s, %s, %s)',
            [id_, session.pk, session.round, ciphertext],
        )


def _cast_once(session: CouncilSession, member: CouncilMember, *, written: bool) -> bool:
    """Write that ``member`` voted in this round; False if a ballot of theirs is in already (or being written
    by a concurrent request, which this one waits for). ``ON CONFLICT DO NOTHING`` on the one-cast-per-round
    constraint, instead of an INSERT in a savepoint that an IntegrityError rolls back: two statements fewer."""
    table = connection.ops.quote_name(BallotCast._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} ("session_id", "round", "member_id", "written") VALUES (%s, %s, %s, %s) '
            'ON CONFLICT ("session_id", "round", "member_id") DO NOTHING',
            [session.pk, session.round, member.pk, written],
        )
        return cursor.rowcount == 1


def _share_session(pk, member_pk) -> CouncilSession:
    """The session row under a shared lock (PostgreSQL's FOR SHARE): ballots do not wait for one another, but a
    close or a new round (FOR UPDATE: ``voting_close``, ``ballot_box_check``, ``second_round_open``) waits for
    the ballots under way to commit, and a ballot that waited for them reads the status they left.

    With ``member_present``: the member's attendance (None when not on the roll), read in the same statement
    (``may_vote``'s question; the roll is written when the session opens); and ``ballot_public_key``: the public
    key of the current round's ballot box (None if it has none), which a secret ballot is sealed to (one round
    trip fewer per ballot: under 30 ballots at once every statement waits its turn for the box's two cores).

    ``member_user_id``: the member's user (``ballot_cast`` names it in the audit event without reading the
    member); on PostgreSQL ``member_items``: ``ballot_item_ids`` of the session's current round (in no order), in
    the same statement (an array; None on SQLite, where the caller reads them). A ballot that waited for a close
    or a new round to commit is refused on the status it then reads."""
    postgres = connection.vendor == "postgresql"
    found = list(CouncilSession.objects.raw(_share_session_sql(postgres), _share_session_args(pk, member_pk, postgres)))
    if not found:
        raise CouncilSession.DoesNotExist
    session = found[0]
    if not postgres or session.items_round != session.round:
        # The array is read in the statement's snapshot: a ballot that waited for a new round's lock reads the
        # session's new row but the items as they were; they are then read again (``ballot_cast``).
        session.member_items = None
    return session


def _share_session_args(pk, member_pk, postgres: bool) -> list:
    return ([R.PENDING, member_pk] if postgres else []) + [member_pk, member_pk, pk]


@functools.cache
def _share_session_sql(postgres: bool) -> str:
    tables = (CouncilSession, Attendance, BallotKey, CouncilMember, AgendaItem, Recusal)
    session, attendance, key, member, item, recusal = (connection.ops.quote_name(m._meta.db_table) for m in tables)
    items = ""
    if postgres:
        items = (
            f', ARRAY(SELECT i."id" FROM {item} i WHERE i."session_id" = s."id" AND i."round" = s."round" '
            # In no order: the service compares them as a set (sorting 500 ids was a quarter of the statement).
            f'AND i."result" = %s AND i."id" NOT IN (SELECT r."item_id" FROM {recusal} r WHERE r."member_id" = %s)) '
            'AS "member_items", '
            f'(SELECT o."round" FROM {session} o WHERE o."id" = s."id") AS "items_round"'
        )
    lock = " FOR SHARE OF s" if postgres else ""  # SQLite runs one writer at a time
    return (
        f'SELECT s.*, a."present" AS "member_present", k."public_key" AS "ballot_public_key", '
        f'm."user_id" AS "member_user_id"{items} FROM {session} s '
        f'LEFT JOIN {attendance} a ON a."session_id" = s."id" AND a."member_id" = %s '
        f'LEFT JOIN {member} m ON m."id" = %s '
        f'LEFT JOIN {key} k ON k."session_id" = s."id" AND k."round" = s."round" WHERE s."id" = %s{lock}'
    )


def _lock_session(pk) -> None:
    """The session row under an exclusive lock: no ballot is half-recorded while it is held (``_share_session``)."""
    list(CouncilSession.objects.select_for_update().filter(pk=pk).values_list("pk"))


@transaction.atomic
def recusal_declare(*, item: AgendaItem, member: CouncilMember, reason: str, trail=None) -> Recusal:
    """A member declares a conflict of interest on one item, before voting on it."""
    if not reason.strip():
        raise ValidationError({"reason": _("Cần nêu lý do không tham gia biểu quyết.")})
    if BallotCast.objects.filter(session=item.session, round=item.session.round, member=member).exists():
        raise ValidationError(_("Đã bỏ phiếu thì không thể xin không tham gia biểu quyết."), code="already_voted")
    recusal, _created = Recusal.objects.get_or_create(item=item, member=member, defaults={"reason": reason})
    audit.record_transition(
        item,
        audit.COUNCIL_RECUSAL,
        actor=member.user,
        comment=reason,
        data={"member": member.pk, "automatic": False},
        trail=trail,
    )
    return recusal


def all_voted(session: CouncilSession) -> bool:
    present = session.attendance.filter(present=True).count()
    return BallotCast.objects.filter(session=session, round=session.round, written=False).count() >= present


@transaction.atomic
def voting_close(*, session: CouncilSession, actor=None, trail=None) -> CouncilSession:
    """Close the current round and count it."""
    session = CouncilSession.objects.select_for_update().get(pk=session.pk)
    if session.status != CouncilSession.Status.VOTING:
        return session
    casts = BallotCast.objects.filter(session=session, round=session.round).aggregate(
        total=Count("pk"), written=Count("pk", filter=Q(written=True))
    )
    if session.secret:
        _unseal_ballots(session, casts["total"])
    _tally(session, written=casts["written"])
    session.status = CouncilSession.Status.CLOSED
    session.save(update_fields=["status"])
    minutes_issue(session, timezone.localdate())
    audit.record_transition(
        session,
        audit.COUNCIL_VOTING_CLOSED,
        actor=actor,
        before=CouncilSession.Status.VOTING,
        after=session.status,
        data={
            "round": session.round,
            "results": {
                str(i.pk): [i.result, i.agree, i.disagree, i.abstain, i.base]
                for i in session.items.filter(round=session.round)
            },
        },
        trail=trail,
    )
    return session


def minutes_issue(session: CouncilSession, day) -> None:
    """The minutes exist once voting first closes: they take the next number of the council's register (the
    issuer's "BB", restarting each year) then, and keep it through a second round."""
    if session.minutes_number:
        return
    session.minutes_number = next_number(session.council.issuer, "BB", day.year)
    session.minutes_year = day.year
    session.save(update_fields=["minutes_number", "minutes_year"])


def minutes_reference(session: CouncilSession) -> str:
    """ "01/BB-HĐTĐKT", or "/BB-HĐTĐKT" while voting has not closed."""
    return f"{session.minutes_number:02d}/BB-HĐTĐKT" if session.minutes_number else "/BB-HĐTĐKT"


def ballot_box_check(*, session: CouncilSession, actor=None, trail=None) -> None:
    """Refuse to close a secret round whose sealed ballots fail their integrity check, before anything moves.

    A row edited in the database (it does not open, it is a copy of another ballot, it was moved to another
    round, one was added or removed) would make the count wrong or fail half-way. The round stays open with
    the secretary's close task, nothing is counted or destroyed (the rows are evidence, and a restored backup
    of them can still be opened), and the trail says so with row counts only: a sealed row names no member.
    Not atomic on purpose: the caller's request commits the audit event while refusing the close.
    """
    if session.status != CouncilSession.Status.VOTING:
        return
    if transaction.get_connection().in_atomic_block:
        # Ballots are recorded outside the process lock: wait for those under way, so that casts and sealed
        # rows are counted over the same ballots. Taken first, before the close writes anything (its audit
        # event takes the chain's lock, which a ballot under way takes last): no lock is ever waited for in
        # the other order.
        _lock_session(session.pk)
    if not session.secret:
        return
    casts = BallotCast.objects.filter(session=session, round=session.round).count()
    ballots, unopened = ballot_box.inspect_round(session)
    rejected = unopened + _foreign_ballots(session, ballots)
    sealed = len(ballots) + unopened
    if not rejected and (
        sealed == casts
        # Ballots cast before sealing was deployed were stored in the clear (as _unseal_ballots allows).
        or sealed + BallotReceipt.objects.filter(session=session, round=session.round).count() == casts
    ):
        return
    audit.record_transition(
        session,
        audit.COUNCIL_BALLOT_BOX_FAILED,
        actor=actor,
        trail=trail,
        data={"round": session.round, "casts": casts, "sealed": sealed, "rejected": rejected},
    )
    raise ValidationError(
        _(
            "Hòm phiếu kín không qua được kiểm tra toàn vẹn: %(rejected)s phiếu không hợp lệ, %(sealed)s phiếu "
            "niêm phong cho %(casts)s lượt bỏ phiếu. Dữ liệu phiếu đã bị sửa ngoài hệ thống. Chưa kiểm phiếu, "
            "phiên họp vẫn đang biểu quyết; hãy báo quản trị hệ thống khôi phục dữ liệu phiếu."
        ),
        code="ballot_box_integrity",
        params={"rejected": rejected, "sealed": sealed, "casts": casts},
    )


def _foreign_ballots(session: CouncilSession, ballots) -> int:
    """Opened ballots that cannot be this round's: a receipt seen before (a row copied over another member's)
    or an item that is not on the round's agenda."""
    items = set(session.items.filter(round=session.round).values_list("pk", flat=True))
    seen, foreign = set(), 0
    for ballot in ballots:
        foreign += ballot.receipt in seen or not set(ballot.choices) <= items
        seen.add(ballot.receipt)
    return foreign


def _pending_counted(session: CouncilSession):
    """The round's pending items, each annotated with its recusals and its votes per choice: one query."""
    votes = "secret_votes" if session.secret else "open_votes"
    per_choice = {
        f"n_{choice}": Count(
            votes, filter=Q(**{f"{votes}__round": session.round, f"{votes}__choice": choice}), distinct=True
        )
        for choice in CHOICES
    }
    return session.items.filter(round=session.round, result=R.PENDING).annotate(
        recused=Count("recusals", distinct=True), **per_choice
    )


def _tally(session: CouncilSession, *, written: int) -> None:
    rule = session_rule(session)
    members = session.attendance.count()
    voters = session.attendance.filter(present=True).count() + written
    items = list(_pending_counted(session))
    for item in items:
        recused = item.recused
        item.agree, item.disagree, item.abstain = item.n_agree, item.n_disagree, item.n_abstain
        item.base = (members if rule.vote_base == AwardRuleSet.VoteBase.ALL else voters) - recused
        valid = item.agree + item.disagree + item.abstain
        if item.base <= 0 or members == recused or _ratio(valid, members - recused) < rule.quorum:
            item.result = R.NO_QUORUM
        elif _ratio(item.agree, item.base) >= rule.vote_threshold:
            item.result = R.PASSED
        elif item.agree == item.disagree:
            item.result = R.TIE
        else:
            item.result = R.FAILED
    fields = ["agree", "disagree", "abstain", "base", "result"]
    update_rows(AgendaItem, fields, [(i.pk, *(getattr(i, f) for f in fields)) for i in items])


def _unseal_ballots(session: CouncilSession, casts: int) -> None:
    """Open the round's sealed ballots and write them out, then destroy the round's key and sealed ballots.

    The votes and the receipts are each written in one statement, in random order under new random ids, after
    every cast (in the close's own transaction, or the count's savepoint when the last ballot ends the round):
    neither row order nor transaction id links one of them to a voter.
    """
    ballots = ballot_box.open_round(session)
    if len(ballots) != casts:
        # Ballots cast before sealing was deployed were stored in the clear: they count as sealed ones.
        in_clear = BallotReceipt.objects.filter(session=session, round=session.round).count()
        if len(ballots) + in_clear != casts:
            raise ballot_box.BallotBoxError(f"session {session.pk}: {len(ballots)} sealed ballots for {casts} casts")
    if _foreign_ballots(session, ballots):  # the deadline's count has no page to refuse on: fail, count nothing
        raise ballot_box.BallotBoxError(f"session {session.pk}: a sealed ballot is not one of this round's")
    shuffle = random.SystemRandom().shuffle
    votes = [(item, choice) for ballot in ballots for item, choice in ballot.choices.items()]
    receipts = [ballot.receipt for ballot in ballots]
    shuffle(votes)
    shuffle(receipts)
    _insert_secret_votes(session.round, votes)
    insert_rows(
        BallotReceipt,
        ["id", "session", "round", "code"],
        [(uuid.uuid4(), session.pk, session.round, r) for r in receipts],
    )
    ballot_box.destroy(session)


def _insert_secret_votes(round_: int, votes: list[tuple]) -> None:
    """The round's votes (item, choice), in the order given, each under a new id. On PostgreSQL the ids are made
    by the database (from one ``gen_random_uuid``, a strong random source like ``uuid4``) and the round is one
    parameter: 15,000 ids and rounds were prepared and quoted one by one in Python (a third of a round's close)."""
    if connection.vendor != "postgresql":
        insert_rows(SecretVote, ["id", "item", "round", "choice"], [(uuid.uuid4(), i, round_, c) for i, c in votes])
        return
    if not votes:
        return
    table = connection.ops.quote_name(SecretVote._meta.db_table)
    # Each id: one random uuid drawn for the statement, its last 12 hex digits the vote's place in the shuffled
    # order (which the rows' physical order shows anyway): the ids say nothing more than the shuffle, and 15,000
    # of them go in side by side into the primary key's index, not each into a random page of it (the close's
    # largest statement: 2–4 times the time and 10 times the WAL with ids drawn one by one; s26ballot).
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} ("id", "item_id", "round", "choice") '
            "SELECT overlay(b.u placing lpad(to_hex(t.n), 12, '0') from 25 for 12)::uuid, t.i, %s, t.c "
            "FROM (SELECT gen_random_uuid()::text AS u) b, "
            "unnest(%s::integer[], %s::varchar[]) WITH ORDINALITY AS t(i, c, n) ORDER BY t.n",
            [round_, [int(i) for i, _c in votes], [str(c) for _i, c in votes]],
        )


def undecided_items(session: CouncilSession):
    return session.items.filter(round=session.round, result__in=[R.TIE, R.NO_QUORUM])


@transaction.atomic
def second_round_open(*, session: CouncilSession, actor, trail=None) -> CouncilSession:
    """Vote again on the tied / inquorate items of the last round."""
    session = CouncilSession.objects.select_for_update().get(pk=session.pk)
    items = list(undecided_items(session))
    if not items:
        raise ValidationError(_("Không có nội dung nào cần biểu quyết lại."), code="nothing_to_revote")
    session.round += 1
    session.status = CouncilSession.Status.VOTING
    session.save(update_fields=["round", "status"])
    if session.secret:
        ballot_box.key_create(session)
    for item in items:
        item.round, item.result = session.round, R.PENDING
        item.agree = item.disagree = item.abstain = item.base = 0
        item.save(update_fields=["round", "result", "agree", "disagree", "abstain", "base"])
    audit.record_transition(
        session,
        audit.COUNCIL_SECOND_ROUND,
        actor=actor,
        data={"round": session.round, "items": [i.pk for i in items]},
        trail=trail,
    )
    return session


@translation.override("vi")  # stored in the record and the audit trail: always Vietnamese
def tally_reason(item: AgendaItem) -> str:
    pct = round(item.share * 100, 1)
    return _("Hội đồng: %(a)s tán thành, %(d)s không tán thành, %(ab)s không biểu quyết / %(b)s (%(p)s%%) – %(r)s") % {
        "a": item.agree,
        "d": item.disagree,
        "ab": item.abstain,
        "b": item.base,
        "p": pct,
        # As get_result_display(), without the dict of every choice it builds per call (500 items per close).
        "r": str(R(item.result).label) if item.result in R.values else item.result,
    }
