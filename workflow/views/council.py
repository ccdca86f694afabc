"""The council flow's step pages: template and context only (what they do is in workflow.steps.council)."""

from django.contrib import messages
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nominations.models import AgendaItem, BallotCast, CouncilSession
from nominations.services.council import undecided_items

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
        return super().get_context_data(
            ballot=True, recused=recused.values_list("number", flat=True), member=member, **kwargs
        )

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
