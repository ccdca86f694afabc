"""The TT 02/2023/TT-BNV statistical forms of an issuer for a year: page, Excel, and the records behind a
figure. Computed by ``nominations.statistics``; who may read them is ``access_statistics``."""

from django.contrib import messages
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import generic

from nominations.models import Campaign
from nominations.services.downloads import XLSX, Download
from nominations.statistics import DURATIONS, FORMS, OFFICE_NOTE, UnknownCell, cell_records, columns_of, tt02_report
from nominations.statistics_xlsx import TITLES, tt02_xlsx
from nominations.text import safe_file_name

from ..access import access_statistics
from ..downloads import respond

FIRST_YEAR = 2000


class BadYear(ValueError):
    pass


def year_of(value) -> int:
    """The report's year from the query string; this year when absent."""
    if value in (None, ""):
        return timezone.localdate().year
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise BadYear from None
    if not FIRST_YEAR <= year <= timezone.localdate().year + 1:
        raise BadYear
    return year


def bad_year_message() -> str:
    return _("Năm báo cáo phải là một số từ %(a)s đến %(b)s.") % {
        "a": FIRST_YEAR,
        "b": timezone.localdate().year + 1,
    }


def _year(request) -> int:
    try:
        return year_of(request.GET.get("year"))
    except BadYear:
        messages.error(request, bad_year_message())
        return timezone.localdate().year


class StatisticsView(generic.TemplateView):
    template_name = "workflow/statistics.html"

    def get_context_data(self, **kwargs):
        issuer = access_statistics(self.request.user, kwargs["pk"])
        year = _year(self.request)
        report = tt02_report(issuer, year)
        award_tables = []
        for form in FORMS:
            columns = columns_of(form)

            def lines(rows, columns=columns):
                return [(row.key, row.label, [(key, row.cells[key]) for key, _label in columns]) for row in rows]

            award_tables.append(
                {
                    "form": form,
                    "title": TITLES[form],
                    "columns": columns,
                    "by_form": lines(report.awards[form]["by_form"]),
                    "by_method": lines(report.awards[form]["by_method"]),
                }
            )
        movement_keys = ["total", *DURATIONS, *Campaign.Method.values]
        movements = [(row.label, [row.cells[key] for key in movement_keys]) for row in report.movements]
        return super().get_context_data(
            issuer=issuer,
            year=year,
            report=report,
            titles=TITLES,
            award_tables=award_tables,
            movement_headings=[_("Tổng số"), *DURATIONS.values(), *Campaign.Method.labels],
            movements=movements,
            office_note=OFFICE_NOTE,
            # Reversed once, not in each of the tables' cells.
            records_url=reverse("decisions:statistics_records", args=[issuer.pk]),
            years=range(timezone.localdate().year + 1, FIRST_YEAR - 1, -1),
            **kwargs,
        )


def statistics_export(request, pk):
    issuer = access_statistics(request.user, pk)
    year = _year(request)
    content = tt02_xlsx(tt02_report(issuer, year))
    return respond(Download(content, safe_file_name("thong-ke-tt02", issuer.code, str(year), ext="xlsx"), XLSX))


class StatisticsRecordsView(generic.TemplateView):
    """The award records behind one figure (form, row, column), each as the figure counted it."""

    template_name = "workflow/statistics_records.html"

    def get_context_data(self, **kwargs):
        issuer = access_statistics(self.request.user, kwargs["pk"])
        year = _year(self.request)
        params = self.request.GET
        try:
            records = cell_records(
                issuer, year, form=params.get("form", ""), row=params.get("row", ""), column=params.get("col", "")
            )
        except UnknownCell:
            raise Http404 from None
        return super().get_context_data(issuer=issuer, year=year, records=records, **kwargs)
