"""Council pages outside the flow's steps: sessions, the receipt, recusal, written votes, minutes."""

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views import generic

from nominations.models import AgendaItem, CouncilMember, CouncilSession
from nominations.services import council, downloads

from .. import permissions as perms
from ..access import access_session
from ..downloads import respond
from ..forms import council as forms
from .base import add_errors
from .council import RECEIPT_TAG

session_member = council.session_member


class ReceiptView(generic.TemplateView):
    """Right after voting: the voter's receipt code, on screen, once."""

    template_name = "workflow/ballot_receipt.html"

    def get_context_data(self, **kwargs):
        session = access_session(self.request.user, kwargs["pk"])
        shown = [m for m in messages.get_messages(self.request) if RECEIPT_TAG in m.tags.split()]
        return super().get_context_data(session=session, receipts=[m.message for m in shown], **kwargs)


class SessionListView(generic.ListView):
    template_name = "workflow/session_list.html"
    context_object_name = "sessions"

    def get_queryset(self):
        return perms.visible_sessions(self.request.user).select_related("council").order_by("-held_on", "-pk")


class SessionDetailView(generic.TemplateView):
    template_name = "workflow/session_detail.html"

    def get_context_data(self, **kwargs):
        session = access_session(self.request.user, kwargs["pk"])
        closed = session.status == CouncilSession.Status.CLOSED
        member = session_member(session, self.request.user)
        # The written-vote link is offered only while voting with written votes allowed: the right (the roles
        # in force) is read only then.
        written = session.status == CouncilSession.Status.VOTING and session.written_votes_allowed
        return super().get_context_data(
            session=session,
            agenda_block=agenda_block(session, member),
            attendance=attendance_rows(session),
            receipts=session.receipts.order_by("round", "code") if closed else [],
            manager=written and perms.can(self.request.user, perms.RECORD_COUNCIL, session.council.issuer),
            member=member,
            **kwargs,
        )


def attendance_rows(session) -> list[tuple]:
    """(the member as CouncilMember's str writes it, present) per seat on the roll, in the roll's order: plain
    values, no model instance per member."""
    positions = dict(CouncilMember.Position.choices)
    rows = session.attendance.order_by("pk").values_list(
        "member__user__first_name", "member__user__last_name", "member__user__username", "member__position", "present"
    )
    return [
        (f"{f'{first} {last}'.strip() or username} – {positions.get(position, position)}", present)
        for first, last, username, position, present in rows
    ]


# How long an agenda's HTML is kept. Its results change only with the session's status or round (a count closes
# the round, a second round opens the next: the key holds both), so this bounds only what no service of the
# session changes: a candidate's or a unit's name edited meanwhile.
AGENDA_CACHE_SECONDS = 60


def agenda_block(session, member) -> str:
    """The agenda's rows as one HTML string, the same for every council member of the session (and, without the
    recusal column, for everyone else): a 500-item agenda is read and written out once per session, status,
    round and language, not once per request. Nothing in it is a member's own (the recusal link is offered on
    every pending item to every member; what they chose is on their ballot and receipt, never here)."""
    key = f"thidua:agenda:{session.pk}:{session.status}:{session.round}:{get_language()}:{int(member is not None)}"
    html = cache.get(key)
    if html is None:
        html = "".join(agenda_rows(session, member))
        cache.set(key, html, AGENDA_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 -- escaped by agenda_rows before it was kept


def agenda_rows(session, member) -> list:
    """The agenda's rows as HTML, one string each (issue 18): one query of plain values, each result's label
    translated once, no model instance, tag or URL lookup per item (a 500-item agenda took ~250 ms)."""
    results = {value: escape(str(label)) for value, label in AgendaItem.Result.choices}
    recusal_open = member is not None and session.status == CouncilSession.Status.VOTING
    recusal_url = reverse("sessions:recusal", args=[0]).replace("/0/", "/{}/")
    recusal_word = escape(str(_("Không tham gia biểu quyết")))
    rows = []
    for pk, number, candidate, unit, agree, disagree, abstain, base, result in session.items.order_by(
        "number"
    ).values_list(
        "pk",
        "number",
        "nomination__candidate__name",
        "nomination__submission__unit__name",
        "agree",
        "disagree",
        "abstain",
        "base",
        "result",
    ):
        last = ""
        if member is not None:
            link = ""
            if recusal_open and result == AgendaItem.Result.PENDING:
                link = f'<a href="{recusal_url.format(pk)}" data-turbo="false">{recusal_word}</a>'
            last = f"<td>{link}</td>"
        rows.append(
            mark_safe(  # noqa: S308 -- the names are escaped, the rest are numbers and our own words
                f"<tr><td>{number}</td><td>{escape(candidate)} — {escape(unit)}</td><td>{agree}</td>"
                f"<td>{disagree}</td><td>{abstain}</td><td>{base}</td><td>{results.get(result, escape(result))}</td>"
                f"{last}</tr>"
            )
        )
    return rows


class RecusalView(generic.FormView):
    template_name = "workflow/council_form_page.html"
    form_class = forms.RecusalForm

    def dispatch(self, request, *args, **kwargs):
        self.item = get_object_or_404(AgendaItem.objects.select_related("session__council"), pk=kwargs["pk"])
        self.member = council.attending_member(self.item.session, request.user)
        if self.member is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Không tham gia biểu quyết: %(i)s") % {"i": self.item}, session=self.item.session, **kwargs
        )

    def form_valid(self, form):
        try:
            council.recusal_declare(item=self.item, member=self.member, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã ghi nhận việc không tham gia biểu quyết."))
        return redirect("sessions:detail", pk=self.item.session_id)


class WrittenVoteView(generic.FormView):
    template_name = "workflow/council_form_page.html"
    form_class = forms.WrittenBallotForm

    def dispatch(self, request, *args, **kwargs):
        self.session = access_session(request.user, kwargs["pk"])
        if not perms.can(request.user, perms.RECORD_COUNCIL, self.session.council.issuer):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        absent, items = council.written_ballot(self.session, self.request.POST.get("member"))
        return {**super().get_form_kwargs(), "absent": absent, "items": items}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Nhập phiếu bằng văn bản"), session=self.session, **kwargs)

    def form_valid(self, form):
        try:
            council.ballot_cast(
                session=self.session,
                member=form.cleaned_data["member"],
                choices=form.choices(),
                written=True,
                entered_by=self.request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã ghi phiếu bằng văn bản."))
        return redirect("sessions:detail", pk=self.session.pk)


def minutes_download(request, pk, fmt):
    """The minutes (biên bản) of a closed session, as DOCX or PDF."""
    return respond(downloads.minutes(access_session(request.user, pk), fmt))
