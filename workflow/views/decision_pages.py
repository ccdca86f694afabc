"""Decision pages outside the flow's steps: the decision page, documents, certificates, revocation."""

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
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
            decision_rows=decision_block(decision, done),
            timeline=audit.timeline(decisions.scope_of(decision)),
            may_revoke=decision.status == Decision.Status.SIGNED
            and perms.can(self.request.user, perms.APPROVE, decision.issuer),
            **kwargs,
        )


# How long a signed decision's table is kept: its rows change only with its status (revoked) and with each
# certificate made (``done`` is in the key); this bounds what no step of the decision changes (a name edited).
DECISION_CACHE_SECONDS = 60


def decision_block(decision, done: int) -> list:
    """The awardees' table rows as one HTML string (in a list: workflow/_decision.html loops over its rows). A
    signed or revoked decision's rows are the same for every reader: kept once per decision, status, certificates
    made so far and language (270 rows were read and written out on every request); a draft's are read each
    time (the secretary redrafts it)."""
    if decision.status not in (Decision.Status.SIGNED, Decision.Status.REVOKED):
        return decision_rows(decision, show_certificates=True)
    key = f"thidua:decision-rows:{decision.pk}:{decision.status}:{done}:{get_language()}"
    html = cache.get(key)
    if html is None:
        html = "".join(decision_rows(decision, show_certificates=True))
        cache.set(key, html, DECISION_CACHE_SECONDS)
    return [mark_safe(html)]  # noqa: S308 -- escaped by decision_rows before it was kept


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
