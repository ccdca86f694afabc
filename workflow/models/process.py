"""The process row of the nomination flow; gateway conditions read these."""

from django.utils.translation import gettext_lazy as _
from viewflow import jsonstore
from viewflow.workflow.models import Process


class SubmissionProcess(Process):
    """One unit's dossier (``artifact`` = nominations.Submission) moving through the flow.

    Step decisions are stored as jsonstore fields so that the flow's gateways
    read named properties, never the ORM.
    """

    head_decision = jsonstore.CharField(max_length=10, blank=True)
    ward_decision = jsonstore.CharField(max_length=10, blank=True)
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
        return self.head_decision == "submit"

    @property
    def needs_ward_review(self) -> bool:
        return self.artifact.needs_ward_review

    @property
    def ward_endorsed(self) -> bool:
        return self.ward_decision == "endorse"

    @property
    def completion_requested(self) -> bool:
        return self.review_decision == "complete"

    @property
    def has_accepted(self) -> bool:
        return self.artifact.nominations.filter(status="accepted").exists()

    @property
    def has_council_passed(self) -> bool:
        return self.artifact.nominations.filter(status="council_passed").exists()


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
        return self.artifact.items.filter(round=self.artifact.round, result__in=["tie", "no_quorum"]).exists()


class DecisionProcess(Process):
    """One award decision (``artifact`` = nominations.Decision) from draft to issue."""

    class Meta:
        proxy = True
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = _("quyết định khen thưởng")

    @property
    def signed(self) -> bool:
        return self.artifact.status == "signed"
