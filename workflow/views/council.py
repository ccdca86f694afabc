"""Council pages: the flow's steps, and the session page with results and minutes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import generic

from nominations.models import AgendaItem, BallotCast, CouncilMember, CouncilSession
from nominations.services import council

from .. import council_forms as forms
from .. import council_steps
from .. import permissions as perms
from ..access import access_session
from .tasks import StepFormView, add_errors


def session_member(session: CouncilSession, user) -> CouncilMember | None:
    return session.council.members.filter(user=user).exclude(position=CouncilMember.Position.SECRETARY).first()


class CouncilTaskView(StepFormView):
    template_name = "workflow/council_task.html"

    @property
    def session(self) -> CouncilSession:
        return self.request.activation.process.artifact

    def get_context_data(self, **kwargs):
        return super().get_context_data(session=self.session, **kwargs)


class OpenSessionView(CouncilTaskView):
    template_name = "workflow/start_form.html"
    form_class = forms.OpenSessionForm
    success_message = _("Đã mở phiên họp {process}.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return generic.FormView.get_context_data(self, **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        council_steps.open_session(
            self.request.activation,
            actor=self.request.user,
            council=data["council"],
            campaign=data["campaign"],
            title=data["title"],
            held_on=data["held_on"],
            place=data["place"],
            nominations=data["nominations"],
            present=data["present"],
        )


class VoteView(CouncilTaskView):
    form_class = forms.BallotForm

    @cached_property
    def member(self) -> CouncilMember:
        return CouncilMember.objects.get(pk=self.request.activation.task.data["member_id"])

    def get_form_kwargs(self):
        items = council.ballot_rows(council.ballot_items(self.session, self.member))
        return {**super().get_form_kwargs(), "items": items}

    def get_context_data(self, **kwargs):
        recused = AgendaItem.objects.filter(session=self.session, recusals__member=self.member)
        return super().get_context_data(
            ballot=True,
            recused=recused.values_list("number", flat=True),
            member=self.member,
            **kwargs,
        )

    def perform(self, form):
        receipt = council_steps.cast(self.request.activation, member=self.member, choices=form.choices())
        # The code goes to this voter's browser only (a message: the signed messages cookie), shown once by
        # the receipt page; it is never stored with the voter's name.
        messages.info(self.request, receipt, extra_tags=RECEIPT_TAG)

    def get_success_url(self):
        return reverse("sessions:receipt", args=[self.session.pk])


RECEIPT_TAG = "ballot-receipt"


class ReceiptView(generic.TemplateView):
    """Right after voting: the voter's receipt code, on screen, once."""

    template_name = "workflow/ballot_receipt.html"

    def get_context_data(self, **kwargs):
        session = access_session(self.request.user, kwargs["pk"])
        shown = [m for m in messages.get_messages(self.request) if RECEIPT_TAG in m.tags.split()]
        return super().get_context_data(session=session, receipts=[m.message for m in shown], **kwargs)


class CloseVotingView(CouncilTaskView):
    """Closing early, after a confirmation that names the present members who have not voted yet."""

    form_class = forms.CloseVotingForm

    def get_context_data(self, **kwargs):
        session = self.session
        voted = BallotCast.objects.filter(session=session, round=session.round, written=False).values("member")
        present = session.attendance.filter(present=True).select_related("member__user").order_by("member__pk")
        return super().get_context_data(
            closing=True,
            voted=voted.count(),
            present=len(present),
            not_voted=[a.member for a in present.exclude(member__in=voted)],
            **kwargs,
        )

    def perform(self, form):
        """Closing early: the flow's join sees this task done and cancels the ballots not cast."""


class SecondRoundView(CouncilTaskView):
    form_class = forms.RevoteForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(undecided=council.undecided_items(self.session), **kwargs)

    def perform(self, form):
        council_steps.decide_revote(
            self.request.activation, actor=self.request.user, revote=form.cleaned_data["decision"] == "revote"
        )


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
        return super().get_context_data(
            session=session,
            items=session.items.select_related("nomination__candidate", "nomination__submission__unit"),
            attendance=session.attendance.select_related("member__user"),
            receipts=session.receipts.order_by("round", "code") if closed else [],
            manager=perms.can(self.request.user, perms.RECORD_COUNCIL, session.council.issuer),
            member=session_member(session, self.request.user),
            **kwargs,
        )


class RecusalView(generic.FormView):
    template_name = "workflow/council_form_page.html"
    form_class = forms.RecusalForm

    def dispatch(self, request, *args, **kwargs):
        self.item = get_object_or_404(AgendaItem.objects.select_related("session__council"), pk=kwargs["pk"])
        self.member = session_member(self.item.session, request.user)
        if self.member is None or not self.item.session.attendance.filter(member=self.member).exists():
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

    def _member(self):
        member_id = self.request.POST.get("member")
        return CouncilMember.objects.filter(pk=member_id).first() if member_id else None

    def get_form_kwargs(self):
        absent = CouncilMember.objects.filter(pk__in=self.session.attendance.filter(present=False).values("member"))
        member = self._member()
        items = council.ballot_rows(
            council.ballot_items(self.session, member)
            if member
            else self.session.items.filter(round=self.session.round, result="pending")
        )
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
    session = access_session(request.user, pk)
    if session.status != CouncilSession.Status.CLOSED or fmt not in ("docx", "pdf"):
        raise Http404
    from nominations.services.minutes import minutes_docx, minutes_pdf  # the document libraries load on demand

    render, mime = (
        (minutes_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        if (fmt == "docx")
        else (minutes_pdf, "application/pdf")
    )
    response = HttpResponse(render(session), content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="bien-ban-hop-hoi-dong-{session.pk}.{fmt}"'
    return response
