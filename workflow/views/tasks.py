"""One view per human step: validate, call the step, execute, redirect."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.views import generic
from viewflow.workflow.flow.views import mixins

from nominations.models import Nomination
from nominations.services.review import missing_documents

from .. import audit, forms, steps


def add_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class StepFormView(mixins.SuccessMessageMixin, mixins.TaskSuccessUrlMixin, generic.FormView):
    """A human step of any flow: validate the form, run the step, execute the activation, redirect.

    A service's ValidationError is shown on the form and nothing moves.
    """

    success_message = _("Đã hoàn thành công việc {task}.")

    @property
    def activation(self):
        return self.request.activation

    def form_valid(self, form):
        try:
            self.perform(form)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        self.activation.execute()
        return super().form_valid(form)

    def perform(self, form):
        raise NotImplementedError


class TaskFormView(StepFormView):
    template_name = "workflow/task_form.html"

    @property
    def submission(self):
        return self.activation.process.artifact

    def get_context_data(self, **kwargs):
        submission = self.submission
        return super().get_context_data(
            submission=submission,
            nominations=submission.nominations.select_related("candidate", "award_type"),
            attachments=submission.attachments.select_related("nomination__candidate"),
            timeline=audit.timeline(f"submission:{submission.pk}"),
            **kwargs,
        )


class StartView(StepFormView):
    template_name = "workflow/start_form.html"
    form_class = forms.StartForm
    success_message = _("Đã lập hồ sơ đề nghị {process}.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        steps.start(self.activation, actor=self.request.user, **form.cleaned_data)


class PrepareView(TaskFormView):
    form_class = forms.CommentForm
    submit_label = _("Trình thủ trưởng đơn vị")

    def get_context_data(self, **kwargs):
        return super().get_context_data(editable=True, missing=missing_documents(self.submission), **kwargs)

    def perform(self, form):
        steps.send_to_head(self.activation, actor=self.request.user, **form.cleaned_data)


class DecisionView(TaskFormView):
    form_class = forms.DecisionForm
    choices: list = []

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "choices": self.choices}


class HeadApprovalView(DecisionView):
    choices = [("submit", _("Ký, trình hồ sơ")), ("return", _("Trả lại cán bộ lập hồ sơ"))]

    def perform(self, form):
        data = form.cleaned_data
        steps.head_decide(
            self.activation, actor=self.request.user, submit=data["decision"] == "submit", comment=data["comment"]
        )


class WardReviewView(DecisionView):
    choices = [("endorse", _("Đồng ý, chuyển Phòng Nội vụ")), ("return", _("Trả lại đơn vị"))]

    def perform(self, form):
        data = form.cleaned_data
        steps.ward_decide(
            self.activation, actor=self.request.user, endorse=data["decision"] == "endorse", comment=data["comment"]
        )


class PerNominationView(TaskFormView):
    statuses: tuple = ()

    def get_form_kwargs(self):
        nominations = steps.dossier_nominations(self.activation, self.statuses)
        return {**super().get_form_kwargs(), "nominations": nominations}


class ReviewView(PerNominationView):
    form_class = forms.ReviewForm
    statuses = (Nomination.Status.SUBMITTED,)

    def perform(self, form):
        steps.appraise(
            self.activation,
            actor=self.request.user,
            decisions=form.per_nomination(),
            comment=form.cleaned_data["comment"],
        )


class CompleteView(TaskFormView):
    form_class = forms.CommentForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(editable=True, missing=missing_documents(self.submission), **kwargs)

    def perform(self, form):
        steps.complete(self.activation, actor=self.request.user, **form.cleaned_data)
