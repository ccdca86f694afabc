"""Decision pages outside the flow's steps: the decision page, documents, certificates, revocation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import generic

from nominations.models import Decision
from nominations.services import decisions, downloads
from nominations.services.decision_documents import certificates_progress
from nominations.services.decision_progress import decision_progress

from .. import audit
from .. import permissions as perms
from ..access import access_decision
from ..downloads import respond
from ..forms import decision as forms
from ..page_rows import decision_rows
from .base import add_errors


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
            decision_rows=decision_rows(decision, show_certificates=True),
            timeline=audit.timeline(decisions.scope_of(decision)),
            may_revoke=decision.status == Decision.Status.SIGNED
            and perms.can(self.request.user, perms.APPROVE, decision.issuer),
            **kwargs,
        )


class DecisionProgressView(generic.TemplateView):
    """After signing: the documents and certificates made so far, and any failure; the page updates itself
    (workflow/static/workflow/progress.js reloads its status region; without scripts, a meta refresh)."""

    template_name = "workflow/decision_progress.html"

    def get_context_data(self, **kwargs):
        decision = access_decision(self.request.user, kwargs["pk"])
        return super().get_context_data(decision=decision, progress=decision_progress(decision), **kwargs)


def decision_file(request, pk, name):
    """The Quyết định or the Tờ trình, to those who may see the decision."""
    return respond(downloads.decision_file(access_decision(request.user, pk), name))


def revocation_file(request, pk, fmt):
    """The Quyết định hủy bỏ of a revoked decision (DOCX or PDF), to those who may see the decision."""
    return respond(downloads.decision_file(access_decision(request.user, pk), f"revocation.{fmt}"))


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
