"""Registration pages (đăng ký thi đua): the unit's form, signature and progress reports; the standing body's
review and progress table. The rules are the services'; who may act is checked here (wrong unit 404 through
``access_registration``, wrong role 403)."""

from html import escape

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import get_format, localize
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import generic

from nominations import compiled
from nominations.access import ACCEPT_REGISTRATION, REGISTER, SIGN_REGISTRATION
from nominations.models import Campaign, Nomination, OrgUnit, Registration
from nominations.progress import (
    BEHIND,
    DONE,
    ON_TRACK,
    STATUS_LABELS,
    ProgressPages,
    progress_table,
    progress_xlsx,
    rows_counted,
    target_counts,
)
from nominations.services import evaluations, registrations, reminders
from nominations.services.downloads import XLSX, Download
from nominations.text import safe_file_name

from .. import permissions as perms
from .. import roles
from ..access import access_progress, access_registration
from ..downloads import respond
from ..forms import registration as forms
from ..permissions import can


def _require(user, perm, unit):
    if not can(user, perm, unit):
        raise PermissionDenied


class RegistrationListView(generic.TemplateView):
    """The user's units' registrations, the campaigns they may register for, and the campaigns they follow."""

    template_name = "workflow/registration_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        units = roles.units_with(user, REGISTER, SIGN_REGISTRATION)
        reviewed = roles.units_with(user, ACCEPT_REGISTRATION)
        launched = Campaign.objects.filter(status=Campaign.Status.LAUNCHED).select_related("issuer")
        return super().get_context_data(
            registrations=Registration.objects.filter(unit_id__in=units).select_related("campaign", "unit"),
            open_campaigns=launched if roles.units_with(user, REGISTER) else [],
            followed=Campaign.objects.filter(issuer_id__in=reviewed).order_by("-period_start"),
            **kwargs,
        )


class RegistrationFormView(generic.FormView):
    """Create (``campaign``) or edit (``pk``) a registration: the unit's clerk only."""

    template_name = "workflow/registration_form.html"
    form_class = forms.RegistrationForm

    def dispatch(self, request, *args, **kwargs):
        if "pk" in kwargs:
            self.registration = access_registration(request.user, kwargs["pk"])
            self.campaign, self.unit = self.registration.campaign, self.registration.unit
            _require(request.user, REGISTER, self.unit)
        else:
            self.registration = None
            self.campaign = get_object_or_404(Campaign.objects.select_related("issuer"), pk=kwargs["campaign"])
            units = roles.units_with(request.user, REGISTER)
            if not units:
                raise PermissionDenied
            self.unit = OrgUnit.objects.filter(pk__in=units).order_by("path").first()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "campaign": self.campaign, "registration": self.registration}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            campaign=self.campaign, unit=self.unit, registration=self.registration, **kwargs
        )

    def form_valid(self, form):
        fields = form.service_kwargs(self.unit)
        try:
            if self.registration is None:
                registration = registrations.registration_create(
                    campaign=self.campaign, unit=self.unit, actor=self.request.user, **fields
                )
            else:
                registration = registrations.registration_update(
                    registration=self.registration, actor=self.request.user, **fields
                )
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã lưu đăng ký thi đua."))
        return redirect("registrations:detail", registration.pk)


class RegistrationDetailView(generic.TemplateView):
    template_name = "workflow/registration_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        registration = access_registration(user, kwargs["pk"])
        editable = registration.status in Registration.EDITABLE
        return super().get_context_data(
            registration=registration,
            commitments=registration.commitments.select_related("area"),
            plans=registration.plans.select_related("target"),
            works=registration.works.select_related("responsible_unit"),
            reports=registration.reports.select_related("target", "work"),
            may_edit=editable and can(user, REGISTER, registration.unit),
            may_sign=editable and can(user, SIGN_REGISTRATION, registration.unit),
            may_review=registration.status == Registration.Status.SIGNED
            and can(user, ACCEPT_REGISTRATION, registration.campaign.issuer),
            may_report=registration.status == Registration.Status.ACCEPTED and can(user, REGISTER, registration.unit),
            assessments=registration.assessments.select_related("commitment__area", "work", "plan__target"),
            review_form=forms.ReviewForm(),
            **kwargs,
        )


def _post_only(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


def _done(request, registration, action, success):
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("registrations:detail", registration.pk)


def sign(request, pk):
    """The unit head signs (POST)."""
    registration = access_registration(request.user, pk)
    if refused := _post_only(request):
        return refused
    _require(request.user, SIGN_REGISTRATION, registration.unit)
    return _done(
        request,
        registration,
        lambda: registrations.registration_sign(registration=registration, actor=request.user),
        _("Thủ trưởng đã ký đăng ký thi đua."),
    )


def review(request, pk):
    """The standing body accepts, or returns with a comment (POST)."""
    registration = access_registration(request.user, pk)
    if refused := _post_only(request):
        return refused
    _require(request.user, ACCEPT_REGISTRATION, registration.campaign.issuer)
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Chọn chấp thuận hoặc trả lại."))
        return redirect("registrations:detail", registration.pk)
    comment = form.cleaned_data["comment"]
    if form.cleaned_data["decision"] == "accept":
        return _done(
            request,
            registration,
            lambda: registrations.registration_accept(registration=registration, actor=request.user, comment=comment),
            _("Đã chấp thuận đăng ký thi đua."),
        )
    return _done(
        request,
        registration,
        lambda: registrations.registration_return(registration=registration, actor=request.user, comment=comment),
        _("Đã trả lại đăng ký thi đua."),
    )


class UnitRegistrationFormView(generic.FormView):
    """A form the unit's clerk fills on its registration; ``save`` calls the one service the page stands for."""

    success_message = ""

    def save(self, **kwargs):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.registration = access_registration(request.user, kwargs["pk"])
        _require(request.user, REGISTER, self.registration.unit)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "registration": self.registration}

    def get_context_data(self, **kwargs):
        return super().get_context_data(registration=self.registration, **kwargs)

    def form_valid(self, form):
        try:
            self.save(registration=self.registration, actor=self.request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect("registrations:detail", self.registration.pk)


class ProgressReportView(UnitRegistrationFormView):
    """The unit's clerk reports progress on one of its targets or works."""

    template_name = "workflow/registration_progress_form.html"
    form_class = forms.ProgressForm
    success_message = gettext_lazy("Đã ghi báo cáo tiến độ.")

    def save(self, **kwargs):
        registrations.progress_report(**kwargs)


def _unit_filter(request):
    try:
        return int(request.GET["unit"])
    except (KeyError, ValueError):
        return None


CHART_WIDTH, BAR_X, BAR_HEIGHT, ROW_HEIGHT = 720, 300, 18, 30
# Fill colours only (attributes, no style): the page's Content-Security-Policy allows no inline style.
CHART_COLOURS = {DONE: "#1b5e20", ON_TRACK: "#90caf9", BEHIND: "#e65100"}


def progress_chart(lines: list[dict]) -> dict:
    """A stacked bar per target: how many units are done, on track, behind, scaled to the widest target.
    Drawn on the server as SVG (no script); the same figures are in the table beneath it for screen readers."""
    top = max([line["units"] for line in lines] or [1])
    scale = (CHART_WIDTH - BAR_X - 10) / top
    bars = []
    for index, line in enumerate(lines):
        x, segments = BAR_X, []
        for status in (DONE, ON_TRACK, BEHIND):
            width = line[status] * scale
            if line[status]:
                segments.append(
                    {
                        "x": round(x, 1),
                        "width": round(width, 1),
                        "fill": CHART_COLOURS[status],
                        "count": line[status],
                        "label": STATUS_LABELS[status],
                    }
                )
            x += width
        bars.append({"y": index * ROW_HEIGHT + 20, "label": line["target"], "segments": segments})
    legend = [
        {"fill": CHART_COLOURS[s], "label": STATUS_LABELS[s], "x": 10 + i * 160}
        for i, s in enumerate((DONE, ON_TRACK, BEHIND))
    ]
    return {
        "bars": bars,
        "legend": legend,
        "width": CHART_WIDTH,
        "height": len(lines) * ROW_HEIGHT + 50,
        "bar_height": BAR_HEIGHT,
        "legend_y": len(lines) * ROW_HEIGHT + 30,
    }


def chart_html(chart: dict, lines: list[dict]) -> dict:
    """The chart's bars, its legend and the rows of its data table as HTML, built in one loop each: the same
    text the template's loops wrote (``truncatechars:44`` is Django's ``Truncator``; numbers as a template
    prints them), at a fraction of the cost of about 150 variables and filters."""
    number = str if not settings.USE_THOUSAND_SEPARATOR else localize
    labels = {str(label): escape(str(label)) for label in STATUS_LABELS.values()}
    bars = "".join(
        f'<text x="0" y="{number(bar["y"] + 13)}" font-size="12">{escape(Truncator(bar["label"]).chars(44))}</text>\n'
        + "".join(
            f'<rect x="{seg["x"]}" y="{number(bar["y"])}" width="{seg["width"]}" height="{number(chart["bar_height"])}"'
            f' fill="{seg["fill"]}"><title>{labels[str(seg["label"])]}: {number(seg["count"])}</title></rect>\n'
            for seg in bar["segments"]
        )
        for bar in chart["bars"]
    )
    legend_y = chart["legend_y"]
    legend = "".join(
        f'<rect x="{number(item["x"])}" y="{number(legend_y)}" width="12" height="12" fill="{item["fill"]}"></rect>'
        f'<text x="{number(item["x"] + 16)}" y="{number(legend_y + 11)}" font-size="12">'
        f"{labels[str(item['label'])]}</text>"
        for item in chart["legend"]
    )
    rows = "".join(
        f"<tr><td>{escape(line['target'])} ({escape(line['unit_of_measure'])})</td><td>{number(line['units'])}</td>"
        f"<td>{number(line[DONE])}</td><td>{number(line[ON_TRACK])}</td><td>{number(line[BEHIND])}</td></tr>"
        for line in lines
    )
    return {"bars": mark_safe(bars), "legend": mark_safe(legend), "rows": mark_safe(rows)}


# The chart drawn (its figures, then its HTML), per figures and language: the same counts draw the same chart.
_drawn: dict[tuple, tuple[dict, dict]] = {}


def drawn_chart(lines: list[dict]) -> tuple[dict, dict]:
    """``progress_chart(lines)`` and ``chart_html`` of it, drawn once for the same figures, language and
    number format (the figures are the key: a new count draws a new chart)."""
    key = (
        get_language(),
        settings.USE_THOUSAND_SEPARATOR,
        *(
            (line["target"], line["unit_of_measure"], line["units"], line[DONE], line[ON_TRACK], line[BEHIND])
            for line in lines
        ),
    )
    drawn = _drawn.get(key)
    if drawn is None:
        if len(_drawn) >= 64:
            _drawn.clear()  # a bound on the memory
        chart = progress_chart(lines)
        drawn = _drawn[key] = (chart, chart_html(chart, lines))
    return drawn


def _status_filter(request) -> str:
    status = request.GET.get("status", "")
    return status if status in STATUS_LABELS else ""


def decimal_text():
    """A decimal as a template prints it in the active language (its decimal separator; no grouping unless
    the settings ask for it), without the per-value cost of ``localize``."""
    if settings.USE_THOUSAND_SEPARATOR:
        return localize
    separator = get_format("DECIMAL_SEPARATOR")
    return lambda value: f"{value:f}".replace(".", separator)


def table_rows_html(rows: list) -> str:
    """The table's rows as HTML, built in one loop (a template, or format_html, spends more on 200 rows than
    the rest of the page): every value escaped (``html.escape``, what Django's ``escape`` does), decimals
    written as a template would. A page repeats a few units' and targets' names and report days: each is
    escaped or formatted once (``__missing__``), not once a row."""
    link = reverse("registrations:detail", args=[0])[: -len("0/")]
    number = decimal_text()
    labels = {status: escape(str(label)) for status, label in STATUS_LABELS.items()}
    text, days = _Memo(escape), _Memo(lambda day: "—" if day is None else day.strftime("%d/%m/%Y"))
    return mark_safe(
        "\n".join(
            f'<tr><td><a href="{link}{row.registration_id}/" data-turbo="false">{text[row.unit]}</a></td>'
            f"<td>{text[row.target]} ({text[row.unit_of_measure]})</td><td>{number(row.planned)}</td>"
            f"<td>{'—' if row.latest is None else number(row.latest)}</td>"
            f"<td>{days[row.latest_day]}</td>"
            f'<td class="status-{row.status}">{labels[row.status]}</td></tr>'
            for row in rows
        )
    )


class _Memo(dict):
    """``function(key)`` computed once a key."""

    def __init__(self, function):
        super().__init__()
        self.function = function

    def __missing__(self, key):
        value = self[key] = self.function(key)
        return value


# The unit filter's options as HTML, per list of (id, name) read: the list is read each time (so a unit renamed
# or registered shows at once), its HTML written once for the same list.
_unit_options: dict[tuple, str] = {}


def unit_options_html(units, selected: int | None) -> str:
    """The unit filter's options (500 at the bench), escaped, built in one loop; the selected one marked."""
    units = tuple(units)
    options = _unit_options.get(units)
    if options is None:
        if len(_unit_options) >= 64:
            _unit_options.clear()  # a bound on the memory
        options = _unit_options[units] = "".join(f'<option value="{pk}">{escape(name)}</option>' for pk, name in units)
    if selected is not None:
        options = options.replace(f'<option value="{selected}">', f'<option value="{selected}" selected>', 1)
    return mark_safe(options)


class ProgressTableView(generic.TemplateView):
    """The registered units × targets by pages of 20 units (200 rows), filterable by unit and status, the
    filters kept from page to page; above it the chart of the figures per target over the whole table (how
    many units done, on track, behind), counted by the database; the Excel export holds every row."""

    template_name = "workflow/progress_table.html"
    rows_per_page = 200

    def get_context_data(self, **kwargs):
        campaign = access_progress(self.request.user, kwargs["pk"])
        unit_id, status = _unit_filter(self.request), _status_filter(self.request)
        # The filter's units (500 at the bench): compiled once per campaign, read each time.
        units = compiled.rows(
            ("progress-units", campaign.pk),
            lambda: OrgUnit.objects.filter(registrations__campaign=campaign).order_by("path").values_list("pk", "name"),
        )
        day = timezone.localdate()  # one day for the chart and the rows, so the chart's counts are the rows'
        lines = target_counts(campaign, unit_id=unit_id, day=day, kept=True)
        # The chart counted the rows under the same filters (day, unit): no count statement for the pager.
        count = rows_counted(lines, status)
        pages = ProgressPages(campaign, unit_id=unit_id, day=day, status=status, count=count)
        page = Paginator(pages, self.rows_per_page).get_page(self.request.GET.get("page"))
        chart, drawn = drawn_chart(lines)
        filters = urlencode({key: value for key, value in (("unit", unit_id or ""), ("status", status)) if value})
        return super().get_context_data(
            campaign=campaign,
            rows=page.object_list,
            rows_html=table_rows_html(page.object_list),
            page_obj=page,
            lines=lines,
            chart=chart,
            chart_html=drawn,
            units=unit_options_html(units, unit_id),
            statuses=[(key, str(label)) for key, label in STATUS_LABELS.items()],
            unit_id=unit_id,
            status=status,
            filters=filters,
            **kwargs,
        )


def progress_export(request, pk):
    campaign = access_progress(request.user, pk)
    rows = progress_table(campaign, unit_id=_unit_filter(request), status=_status_filter(request))
    return respond(Download(progress_xlsx(campaign, rows), safe_file_name("tien-do", campaign.code, ext="xlsx"), XLSX))


class ReminderView(generic.FormView):
    """The standing body reminds a unit (đôn đốc) of its registration or progress; recorded, then delivered."""

    template_name = "workflow/registration_remind.html"
    form_class = forms.ReminderForm

    def dispatch(self, request, *args, **kwargs):
        self.campaign = access_progress(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"unit": _unit_filter(self.request)}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "campaign": self.campaign}

    def get_context_data(self, **kwargs):
        return super().get_context_data(campaign=self.campaign, **kwargs)

    def form_valid(self, form):
        try:
            reminders.registration_remind(
                campaign=self.campaign, unit=form.cleaned_data["unit"], actor=self.request.user,
                message=form.cleaned_data["message"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã gửi đôn đốc tới %(u)s.") % {"u": form.cleaned_data["unit"]})
        return redirect("registrations:table", self.campaign.pk)


class EvaluationView(UnitRegistrationFormView):
    """The unit's clerk assesses each commitment, work and target of its accepted registration."""

    template_name = "workflow/registration_evaluation.html"
    form_class = forms.EvaluationForm
    success_message = gettext_lazy("Đã lưu kết quả tự đánh giá.")

    def save(self, **kwargs):
        evaluations.evaluation_save(**kwargs)


class BasisView(generic.FormView):
    """The dossier's editor links a collective nomination to the works and targets it rests on."""

    template_name = "workflow/nomination_basis.html"
    form_class = forms.BasisForm

    def dispatch(self, request, *args, **kwargs):
        self.nomination = get_object_or_404(
            Nomination.objects.select_related("candidate", "submission__unit"), pk=kwargs["pk"]
        )
        if not perms.can_view_submission(request.user, self.nomination.submission):
            raise Http404
        if not perms.can_edit_submission(request.user, self.nomination.submission):
            raise PermissionDenied
        self.registration = evaluations.evaluation_of(self.nomination.submission)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "registration": self.registration}

    def get_initial(self):
        basis = self.nomination.basis.all()
        return {"works": [b.work_id for b in basis if b.work_id], "plans": [b.plan_id for b in basis if b.plan_id]}

    def get_context_data(self, **kwargs):
        return super().get_context_data(nomination=self.nomination, registration=self.registration, **kwargs)

    def form_valid(self, form):
        try:
            evaluations.nomination_basis_set(nomination=self.nomination, actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã gắn công trình, chỉ tiêu làm căn cứ đề nghị."))
        return redirect("dossiers:nomination", self.nomination.pk)
