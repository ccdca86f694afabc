"""The council flow's step pages: template and context only (what they do is in workflow.steps.council)."""

from django.contrib import messages
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nominations.models import AgendaItem, BallotCast, CouncilSession
from nominations.services.ballot_details import ballot_details, threshold
from nominations.services.council import ballot_items, undecided_items

from ..steps.council import ballot_member
from .base import StepView

RECEIPT_TAG = "ballot-receipt"


class OpenSessionView(StepView):
    template_name = "workflow/start_form.html"
    success_message = _("Đã mở phiên họp {process}.")


class CouncilStepView(StepView):
    template_name = "workflow/council_task.html"

    @property
    def session(self) -> CouncilSession:
        return self.activation.process.artifact

    def get_context_data(self, **kwargs):
        return super().get_context_data(session=self.session, **kwargs)


class VoteView(CouncilStepView):
    def get_context_data(self, **kwargs):
        member = ballot_member(self.activation)
        recused = AgendaItem.objects.filter(session=self.session, recusals__member=member)
        form = kwargs.get("form") or self.get_form()
        details = ballot_details(ballot_items(self.session, member))
        return super().get_context_data(
            ballot=True,
            recused=recused.values_list("number", flat=True),
            member=member,
            # The form's rows and what the council reads about each item, side by side, in agenda order.
            ballot_rows=[(*row, detail) for row, detail in zip(form.rows(), details, strict=True)],
            threshold=threshold(self.session),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        """ "Tán thành tất cả" fills every item with "agree" and shows the ballot again, not yet sent: the member
        reads what she is about to send and sends it (or changes an item) with the ballot's own button."""
        if "agree_all" not in request.POST:
            return super().post(request, *args, **kwargs)
        form_kwargs = self.get_form_kwargs()
        form_kwargs["data"] = {f"item_{row.pk}": "agree" for row in form_kwargs["items"]}
        form = self.get_form_class()(**form_kwargs)
        return self.render_to_response(self.get_context_data(form=form, agree_all=len(form.items)))

    def done(self, result):
        # The code goes to this voter's browser only (a message: the signed messages cookie), shown once by
        # the receipt page; it is never stored with the voter's name.
        messages.info(self.request, result["receipt"], extra_tags=RECEIPT_TAG)

    def get_success_url(self):
        return reverse("sessions:receipt", args=[self.session.pk])


class CloseVotingView(CouncilStepView):
    """Closing early, after a confirmation that names the present members who have not voted yet."""

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


class SecondRoundView(CouncilStepView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(undecided=undecided_items(self.session), **kwargs)
