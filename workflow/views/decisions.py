"""Decision pages: the flow's steps, the decision page, documents, certificates, revocation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import generic

from nominations.models import Decision
from nominations.services import decisions, downloads
from nominations.services.decision_documents import certificates_progress

from .. import audit, decision_steps
from .. import decision_forms as forms
from .. import permissions as perms
from ..access import access_decision
from ..downloads import respond
from .tasks import StepFormView, add_errors


class DecisionTaskView(StepFormView):
    template_name = "workflow/decision_task.html"

    @property
    def decision(self) -> Decision:
        return self.request.activation.process.artifact

    def get_context_data(self, **kwargs):
        return super().get_context_data(decision=self.decision, items=self._items(), **kwargs)

    def _items(self):
        return self.decision.items.select_related("nomination__candidate", "nomination__submission__unit")


class DraftDecisionView(DecisionTaskView):
    template_name = "workflow/start_form.html"
    form_class = forms.DraftDecisionForm
    success_message = _("Đã lập dự thảo quyết định {process}.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return generic.FormView.get_context_data(self, **kwargs)

    def perform(self, form):
        decision_steps.draft(self.request.activation, actor=self.request.user, **form.cleaned_data)


class SignView(DecisionTaskView):
    form_class = forms.SignForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "items": self._items()}

    def perform(self, form):
        data = form.cleaned_data
        if data["decision"] == "sign":
            decision_steps.sign(
                self.request.activation,
                actor=self.request.user,
                password=data["password"],
                struck=form.struck(),
                comment=data["comment"],
            )
        else:
            decision_steps.give_back(self.request.activation, actor=self.request.user, comment=data["comment"])


class RedraftView(DecisionTaskView):
    form_class = forms.RedraftForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "items": self._items()}

    def perform(self, form):
        decision_steps.redraft(
            self.request.activation,
            actor=self.request.user,
            remove=[int(pk) for pk in form.cleaned_data["remove"]],
            comment=form.cleaned_data["comment"],
        )


class DecisionListView(generic.ListView):
    template_name = "workflow/decision_list.html"
    context_object_name = "decisions"

    def get_queryset(self):
        return perms.visible_decisions(self.request.user).select_related("campaign", "award_type")


class DecisionDetailView(generic.TemplateView):
    template_name = "workflow/decision_detail.html"

    def get_context_data(self, **kwargs):
        decision = access_decision(self.request.user, kwargs["pk"])
        done, total = certificates_progress(decision)
        return super().get_context_data(
            decision=decision,
            done=done,
            total=total,
            items=decision.items.select_related("nomination__candidate", "nomination__submission__unit", "certificate"),
            show_certificates=True,
            timeline=audit.timeline(decisions.scope_of(decision)),
            may_revoke=decision.status == Decision.Status.SIGNED
            and perms.can(self.request.user, perms.APPROVE, decision.issuer),
            **kwargs,
        )


def decision_file(request, pk, name):
    """The Quyết định or the Tờ trình, to those who may see the decision."""
    return respond(downloads.decision_file(access_decision(request.user, pk), name))


def draft_preview(request, pk, name):
    """The unnumbered draft of the Quyết định or the Tờ trình, for the chairman to read before signing."""
    return respond(downloads.draft_preview(access_decision(request.user, pk), name))


def certificates_zip(request, pk):
    """Every certificate of the decision in one zip file."""
    return respond(downloads.certificates_zip(access_decision(request.user, pk)))


class RevokeView(generic.FormView):
    """Revoking a signed decision: a page that says what will happen, the reason and the password again."""

    template_name = "workflow/decision_revoke.html"
    form_class = forms.RevokeForm

    def dispatch(self, request, *args, **kwargs):
        self.decision = access_decision(request.user, kwargs["pk"])
        if not perms.can(request.user, perms.APPROVE, self.decision.issuer):
            raise PermissionDenied
        if self.decision.status != Decision.Status.SIGNED:
            return redirect("decisions:detail", pk=self.decision.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        done, _total = certificates_progress(self.decision)
        return super().get_context_data(
            decision=self.decision,
            awarded=self.decision.items.filter(struck=False).count(),
            certificates=done,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            decisions.decision_revoke(decision=self.decision, actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã hủy bỏ quyết định."))
        return redirect("decisions:detail", pk=self.decision.pk)
