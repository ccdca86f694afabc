"""The TT 02/2023/TT-BNV statistical forms of an issuer for a year: page, Excel, and the records behind a
figure. Computed by ``nominations.statistics``; who may read them is ``access_statistics``."""

from html import escape
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import generic

from nominations.models import Campaign
from nominations.services.downloads import XLSX, Download
from nominations.statistics import DURATIONS, FORMS, OFFICE_NOTE, UnknownCell, cell_records, columns_of, tt02_report
from nominations.statistics_xlsx import TITLES, tt02_xlsx_cached
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
        # Reversed once, not in each of the tables' cells.
        records_url = reverse("decisions:statistics_records", args=[issuer.pk])
        headings = {"by_form": _("Hình thức khen thưởng"), "by_method": _("Loại hình khen thưởng")}
        award_tables = []
        for form in FORMS:
            columns, link = columns_of(form), f"{records_url}?year={year}&form={form}&row="
            tables = {k: award_table_html(report.awards[form][k], columns, link, h) for k, h in headings.items()}
            award_tables.append({"form": form, "title": TITLES[form], **tables})
        movement_keys = ["total", *DURATIONS, *Campaign.Method.values]
        movements = [(row.label, [row.cells[key] for key in movement_keys]) for row in report.movements]
        movement_headings = [_("Tổng số"), *DURATIONS.values(), *Campaign.Method.labels]
        years = range(timezone.localdate().year + 1, FIRST_YEAR - 1, -1)
        return super().get_context_data(
            issuer=issuer,
            year=year,
            report=report,
            titles=TITLES,
            award_tables=award_tables,
            movement_headings=movement_headings,
            movements=movements,
            office_note=OFFICE_NOTE,
            records_url=records_url,
            years=years,
            html=small_tables_html(year, years, movement_headings, movements, report),
            **kwargs,
        )


def small_tables_html(year, years, movement_headings, movements, report) -> dict:
    """The year's options, form 0601's table and the rows of 0604 and 0605, written in one loop each: the same
    text the template's loops wrote (about 250 variables and tags: a fifth of the page's own time)."""
    number = localize if settings.USE_THOUSAND_SEPARATOR else str  # what a template prints for an integer

    def totals(rows):
        return "".join(
            f"<tr><td>{escape(str(row.label))}</td><td>{number(row.cells['total'])}</td></tr>" for row in rows
        )

    return {
        "years": mark_safe(
            "".join(
                f'<option value="{number(y)}"{" selected" if y == year else ""}>{number(y)}</option>' for y in years
            )
        ),
        "movement_headings": mark_safe("".join(f"<th>{escape(str(heading))}</th>" for heading in movement_headings)),
        "movements": mark_safe(
            "".join(
                f"<tr><td>{escape(str(label))}</td>{''.join(f'<td>{number(v)}</td>' for v in values)}</tr>"
                for label, values in movements
            )
        ),
        "offices": mark_safe(totals(report.offices)),
        "staff": mark_safe(totals(report.staff)),
    }


def award_table_html(rows, columns: list[tuple[str, str]], link: str, heading: str) -> str:
    """One award table of the page, built in one loop over its rows and cells (as a template with a tag per
    cell it was most of the page's time: about 2,400 cells): each figure but a zero links to the records it
    counts (``link`` ends with ``row=``; the row's key and the column are added). Every text escaped with
    ``html.escape`` (what Django's ``escape`` does) in f-strings: ``format_html`` per cell cost more than the
    rest of the table."""
    number = localize if settings.USE_THOUSAND_SEPARATOR else str  # what a template prints for an integer
    head = "".join(f"<th>{escape(str(label))}</th>" for _key, label in columns)
    if not rows:
        body = f'<tr><td colspan="{len(columns) + 1}">{escape(_("Không có khen thưởng."))}</td></tr>'
    else:
        lines = []
        for row in rows:
            row_link = escape(link + quote(row.key, safe="/") + "&col=")
            cells = "".join(
                f'<td><a href="{row_link}{escape(key)}" data-turbo="false">{number(value)}</a></td>'
                if (value := row.cells[key])
                else "<td>0</td>"
                for key, _label in columns
            )
            lines.append(f"<tr><td>{escape(str(row.label))}</td>{cells}</tr>")
        body = "\n".join(lines)
    return mark_safe(
        f'<table class="thidua-table"><thead><tr><th>{escape(str(heading))}</th>{head}</tr></thead>\n'
        f"<tbody>{body}</tbody></table>"
    )


def statistics_export(request, pk):
    issuer = access_statistics(request.user, pk)
    year = _year(request)
    content = tt02_xlsx_cached(tt02_report(issuer, year))
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
