"""The dossier flow's step pages: template and context only (what they do is in workflow.steps.dossier)."""

from django.utils.translation import gettext_lazy as _

from nominations.services.review import missing_documents

from .. import audit
from .base import StepView
from .dossier_rounds import dossier_extras


class StartView(StepView):
    template_name = "workflow/start_form.html"
    success_message = _("Đã lập hồ sơ đề nghị {process}.")


class DossierStepView(StepView):
    """A step on one dossier: the page shows its nominations, files and timeline next to the form."""

    template_name = "workflow/task_form.html"
    editable = False
    reviewing = False

    @property
    def submission(self):
        return self.activation.process.artifact

    def get_context_data(self, **kwargs):
        submission = self.submission
        if self.editable:
            kwargs.update(editable=True, missing=missing_documents(submission))
        return super().get_context_data(
            submission=submission,
            nominations=submission.nominations.select_related("candidate", "award_type"),
            attachments=submission.attachments.select_related("nomination__candidate"),
            timeline=audit.timeline(f"submission:{submission.pk}"),
            **dossier_extras(submission, reviewing=self.reviewing),
            **kwargs,
        )


class PrepareView(DossierStepView):
    editable = True


class HeadApprovalView(DossierStepView):
    pass


class WardReviewView(DossierStepView):
    pass


class ReviewView(DossierStepView):
    reviewing = True


class CompleteView(DossierStepView):
    editable = True
