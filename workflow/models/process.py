"""The process row of the nomination flow; gateway conditions read these."""

from django.utils.translation import gettext_lazy as _
from viewflow import jsonstore
from viewflow.workflow.models import Process

from nominations.models import AgendaItem, Decision, Nomination, Submission


class SubmissionProcess(Process):
    """One unit's dossier (``artifact`` = nominations.Submission) moving through the flow.

    The gateways read named properties. A decision is stored once: the head's
    and the ward's are the dossier's status (the step hands the fresh dossier
    back to the process, so reading it costs no query); the appraisal's result,
    which no single row holds, is kept in the jsonstore.
    """

    review_decision = jsonstore.CharField(max_length=10, blank=True)
    last_reviewer_id = jsonstore.IntegerField(null=True, blank=True)

    class Meta:
        proxy = True
        verbose_name = _("quy trình xét khen thưởng")
        verbose_name_plural = _("quy trình xét khen thưởng")

    @property
    def submission(self):
        return self.artifact

    @property
    def head_approved(self) -> bool:
        """The head submitted: the dossier left the draft (a return leaves it there)."""
        return self.artifact.status == Submission.Status.SUBMITTED

    @property
    def needs_ward_review(self) -> bool:
        return self.artifact.needs_ward_review

    @property
    def ward_endorsed(self) -> bool:
        """The ward endorsed: the dossier is still submitted (a return puts it back in draft)."""
        return self.artifact.status == Submission.Status.SUBMITTED

    @property
    def completion_requested(self) -> bool:
        return self.review_decision == Nomination.Review.COMPLETE

    @property
    def has_accepted(self) -> bool:
        return self.artifact.nominations.filter(status=Nomination.Status.ACCEPTED).exists()

    @property
    def has_council_passed(self) -> bool:
        return self.artifact.nominations.filter(status=Nomination.Status.COUNCIL_PASSED).exists()


class CouncilProcess(Process):
    """One council session (``artifact`` = nominations.CouncilSession) from opening to conclusion."""

    revote = jsonstore.BooleanField(default=False)

    class Meta:
        proxy = True
        verbose_name = _("phiên họp hội đồng")
        verbose_name_plural = _("phiên họp hội đồng")

    @property
    def session(self):
        return self.artifact

    @property
    def has_undecided(self) -> bool:
        return self.artifact.items.filter(
            round=self.artifact.round, result__in=[AgendaItem.Result.TIE, AgendaItem.Result.NO_QUORUM]
        ).exists()


class DecisionProcess(Process):
    """One award decision (``artifact`` = nominations.Decision) from draft to issue."""

    class Meta:
        proxy = True
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = _("quyết định khen thưởng")

    @property
    def signed(self) -> bool:
        return self.artifact.status == Decision.Status.SIGNED
