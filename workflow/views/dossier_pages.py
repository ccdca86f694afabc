"""Dossier pages: lists, details, and editing while the clerk holds the dossier."""

import hashlib
import time

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views import generic

from nominations.models import Attachment, Nomination, Submission
from nominations.services import dossiers, evaluations
from nominations.text import fold
from nominations.uploads import download_name

from .. import audit, counters, prepared
from .. import permissions as perms
from ..access import access_dossier
from ..forms import dossier as forms
from .base import add_errors
from .dossier_rounds import dossier_extras


def _editable_submission(user, pk) -> Submission:
    submission = access_dossier(user, pk)
    if not perms.can_edit_submission(user, submission):
        raise PermissionDenied(_("Hồ sơ không ở bước bạn được chỉnh sửa."))
    return submission


class DeferredJoinPaginator(Paginator):
    """Pages that sort and skip only (sort key, id), then load the page's own rows with their relations.

    With the relations joined in, a deep page (OFFSET 100,000) sorts and skips every wide joined row before
    it, on disk. Here the database pages over the index of the ordering (Nomination.sort_name, id) and joins
    only the rows of the page. Pages past the middle are skipped to from the end (``page``). The count is the
    list's (cached a few seconds, workflow.counters): a page read within those seconds after another user's
    change is shifted by that change, as any page of an OFFSET pager read after it.

    ``values``: the page's rows as tuples of these fields (no model instances). ``probe``: the same list written
    to be walked in its order (``permissions.visible_nominations(probe=True)``), used for the page's ids when
    ``walks`` says walking is cheaper than reading every row of the list.
    """

    def __init__(self, object_list, per_page, *, related=(), only=(), values=(), probe=None, count=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.related, self.only, self.values, self.probe = related, only, values, probe
        if count is not None:  # known already (a cached count): no COUNT query
            self.__dict__["count"] = count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        backwards = bottom > self.count - top
        skip = self.count - top if backwards else bottom
        listed = self.object_list
        if self.probe is not None and walks(skip + top - bottom, self.count):
            listed = self.probe
        if backwards:
            # Past the middle: skip from the end over the same index read backwards (the order is total: sort
            # key, then id), so the last page costs what the first does and no page skips more than half the
            # list (issue 18: a deep page ≤ 2× page 1). The same rows as skipping from the start.
            ids = listed.reverse().values("pk")[skip : skip + top - bottom]
        else:
            ids = listed.values("pk")[bottom:top]
        rows = self.object_list.model._default_manager.filter(pk__in=ids)
        if self.values:
            rows = rows.values_list(*self.values).order_by(*self.object_list.query.order_by)
            if prepared.enabled() and top > bottom:  # (an empty page is no statement: the query set's answer)
                # Prepared on the connection (workflow.prepared): its text is the same for every user and page
                # of one filter and position, and PostgreSQL planned its seven tables each time (1.7 ms).
                return self._get_page(prepared.rows(*rows.query.sql_with_params()), number, self)
            return self._get_page(rows, number, self)
        else:
            rows = rows.select_related(*self.related)
            if self.only:
                rows = rows.only(*self.only)
        return self._get_page(rows.order_by(*self.object_list.query.order_by), number, self)


# Reading a row of the (sort key, id) index and probing its dossier costs about a sixth of fetching one of the
# list's rows by its dossier and sorting it (EXPLAIN ANALYZE at 100,000 nominations: 0.14 against 0.7–1.5 µs).
WALK_RATIO = 6
_table = {"rows": None, "read": 0.0}
TABLE_ROWS_TTL = 300  # seconds: the table's size only chooses the plan, never which rows are shown


def walks(read: int, count: int) -> bool:
    """Is it cheaper to walk the list's order index to a page (``read`` = rows skipped + the page's) than to
    read all ``count`` rows of the list? Walking meets a listed row every ``table / count`` index rows, so it
    reads about ``read × table / count`` of them (PostgreSQL only: elsewhere the list is read as always)."""
    if connection.vendor != "postgresql" or count <= 0:
        return False
    table = table_rows()
    return table is not None and read * table <= WALK_RATIO * count * count


def table_rows() -> int | None:
    """PostgreSQL's estimate of the nominations in the table (``pg_class.reltuples``, kept by ANALYZE), read at
    most once every ``TABLE_ROWS_TTL`` seconds per process; None when it has none yet."""
    now = time.monotonic()
    if now - _table["read"] > TABLE_ROWS_TTL:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [Nomination._meta.db_table])
            found = cursor.fetchone()
        _table["rows"] = int(found[0]) if found and found[0] >= 0 else None
        _table["read"] = now
    return _table["rows"]


class NominationListView(generic.ListView):
    template_name = "workflow/nomination_list.html"
    context_object_name = "nominations"
    paginate_by = 50

    def get_paginator(self, queryset, per_page, **kwargs):
        # Only the columns the rows print (nomination_rows), as tuples: not the campaigns' long texts nor the
        # candidates' and units' other columns, and no model instances (six per row).
        values = (
            "pk",
            "status",
            "candidate__name",
            "submission__unit__name",
            "award_type__name",
            "submission__campaign__title",
        )
        # The list's size, counted at most once every few seconds per user and filter (workflow.counters): the
        # COUNT over every visible nomination costs as much as the page itself.
        key = (
            "dossiers:"
            + hashlib.sha256(
                f"{self.request.GET.get('q', '')}|{self.request.GET.get('status', '')}".encode()
            ).hexdigest()[:16]
        )
        count = counters.cached_count(self.request.user, key, queryset.count)
        probe = self._filtered(perms.visible_nominations(self.request.user, probe=True))
        return DeferredJoinPaginator(queryset, per_page, values=values, probe=probe, count=count, **kwargs)

    def get_queryset(self):
        return self._filtered(perms.visible_nominations(self.request.user))

    def _filtered(self, qs):
        query = self.request.GET.get("q", "").strip()
        if query:
            qs = qs.filter(candidate__search_name__contains=fold(query))
        status = self.request.GET.get("status")
        if status in Nomination.Status.values:
            qs = qs.filter(status=status)
        # The candidate's Vietnamese sort key (nominations/text.py), copied onto the nomination and indexed.
        return qs.order_by("sort_name", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            statuses=Nomination.Status.choices,
            q=self.request.GET.get("q", ""),
            status=self.request.GET.get("status", ""),
            **kwargs,
        )
        context["rows"] = nomination_rows(context["nominations"])
        return context


def nomination_rows(nominations) -> list:
    """The list's rows written out once each (issue 18): no URL lookup, filter or status label per row.
    ``nominations``: (id, status, candidate's name, unit's name, award type's name, campaign's title) tuples."""
    url = reverse("dossiers:nomination", args=[0]).replace("/0/", "/{}/")
    labels = {value: escape(str(label)) for value, label in Nomination.Status.choices}
    rows = []
    for pk, status, candidate, unit, award, campaign in nominations:
        campaign = campaign if len(campaign) <= 60 else campaign[:59] + "…"  # the former truncatechars:60
        rows.append(
            mark_safe(  # noqa: S308 -- every name escaped; the status a known choice
                f'<tr><td><a href="{url.format(pk)}" data-turbo="false">{escape(candidate)}</a></td>'
                f"<td>{escape(unit)}</td><td>{escape(award)}</td><td>{escape(campaign)}</td>"
                f'<td class="status-{escape(status)}">{labels.get(status, escape(status))}</td></tr>'
            )
        )
    return rows


class SubmissionDetailView(generic.TemplateView):
    template_name = "workflow/submission_detail.html"

    def get_context_data(self, **kwargs):
        submission = access_dossier(self.request.user, kwargs["pk"])
        return super().get_context_data(
            submission=submission,
            nominations=submission.nominations.select_related("candidate", "award_type"),
            attachments=submission.attachments.select_related("nomination__candidate"),
            timeline=audit.timeline(dossiers.scope_of(submission)),
            editable=perms.can_edit_submission(self.request.user, submission),
            **dossier_extras(submission, reviewing=submission.review_rounds > 0),
            **kwargs,
        )


class NominationDetailView(generic.TemplateView):
    template_name = "workflow/nomination_detail.html"

    def get_context_data(self, **kwargs):
        nomination = get_object_or_404(
            Nomination.objects.select_related("candidate", "award_type", "submission__unit"), pk=kwargs["pk"]
        )
        if not perms.can_view_submission(self.request.user, nomination.submission):
            raise Http404
        timeline = audit.nomination_timeline(nomination)
        # Issue 16: the unit's self-assessment and what a collective nomination rests on, beside it.
        evaluation = evaluations.evaluation_of(nomination.submission)
        return super().get_context_data(
            evaluation=evaluation,
            assessments=evaluations.assessments_of(evaluation),
            basis=evaluations.basis_of(nomination),
            nomination=nomination,
            attachments=nomination.attachments.all(),
            timeline=timeline,
            editable=perms.can_edit_submission(self.request.user, nomination.submission),
            **kwargs,
        )


class NominationFormView(generic.FormView):
    template_name = "workflow/form_page.html"
    form_class = forms.NominationForm

    def dispatch(self, request, *args, **kwargs):
        self.nomination = None
        if "nomination_pk" in kwargs:
            self.nomination = get_object_or_404(Nomination, pk=kwargs["nomination_pk"])
            self.submission = _editable_submission(request.user, self.nomination.submission_id)
        else:
            self.submission = _editable_submission(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return forms.NominationForm.initial_for(self.nomination) if self.nomination else {}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "campaign": self.submission.campaign}

    def get_context_data(self, **kwargs):
        title = _("Sửa đề nghị") if self.nomination else _("Thêm đề nghị khen thưởng")
        return super().get_context_data(title=title, submission=self.submission, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            if self.nomination:
                dossiers.nomination_update(
                    nomination=self.nomination,
                    candidate=form.candidate_data(),
                    award_type=data["award_type"],
                    achievement=data["achievement"],
                    actor=self.request.user,
                )
            else:
                dossiers.nomination_add(
                    submission=self.submission,
                    candidate=form.candidate_data(),
                    award_type=data["award_type"],
                    achievement=data["achievement"],
                    actor=self.request.user,
                )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã lưu đề nghị."))
        return redirect("dossiers:submission", pk=self.submission.pk)


class NominationDeleteView(generic.TemplateView):
    template_name = "workflow/confirm_delete.html"

    def dispatch(self, request, *args, **kwargs):
        self.nomination = get_object_or_404(Nomination.objects.select_related("candidate"), pk=kwargs["pk"])
        self.submission = _editable_submission(request.user, self.nomination.submission_id)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.nomination, submission=self.submission, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            dossiers.nomination_remove(nomination=self.nomination, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Đã rút đề nghị khỏi hồ sơ."))
        return redirect("dossiers:submission", pk=self.submission.pk)


class AttachmentCreateView(generic.FormView):
    template_name = "workflow/form_page.html"
    form_class = forms.AttachmentForm

    def dispatch(self, request, *args, **kwargs):
        self.submission = _editable_submission(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "submission": self.submission}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Đính kèm tài liệu"), submission=self.submission, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            dossiers.attachment_add(
                submission=self.submission,
                nomination=data["nomination"],
                kind=data["kind"],
                upload=data["file"],
                actor=self.request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã đính kèm tài liệu."))
        return redirect("dossiers:submission", pk=self.submission.pk)


def attachment_download(request, pk):
    """Serve a dossier file to those who may see the dossier, never by a public URL."""
    # Removed and replaced files too: the dossier's history keeps them for those who may see it.
    attachment = get_object_or_404(Attachment.history.select_related("submission"), pk=pk)
    if not perms.can_view_submission(request.user, attachment.submission):
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        # A slug of the name plus the id and the sniffed type's extension: the stored
        # name is shown on pages (escaped) but never put into a header.
        filename=download_name(attachment),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
