"""The TT 02 statistics page, its Excel and the records behind a figure, and the same over the API: for the
issuer's reviewer only (another unit's clerk 403, unknown issuer 404), a bad year refused in Vietnamese, the
page's statements flat in the number of records."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from nominations.models import Membership, Role
from nominations.statistics import columns_of

from .world import START, build_statistics_world


@pytest.fixture
def world(db):
    w = build_statistics_world()
    # The province's emulation office reads its statistics; the city's clerk may not.
    Membership.objects.create(user=w.r4, unit=w.prov, role=Role.REVIEWER, valid_from=START)
    Membership.objects.create(user=w.r5, unit=w.city, role=Role.UNIT_CLERK, valid_from=START)
    return w


def page(client, user, name, pk, **query):
    client.force_login(user)
    return client.get(reverse(f"decisions:{name}", args=[pk]), query)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_page_shows_each_form_with_links_to_the_records(client, world):
    response = page(client, world.r4, "statistics", world.prov.pk, year=2024)
    html = response.content.decode()
    assert response.status_code == 200
    for form in ("0601", "0602", "0603", "0604", "0605"):
        assert f"Biểu số {form}.N/BNV-TĐKT" in html
    records = reverse("decisions:statistics_records", args=[world.prov.pk])
    assert f"{records}?year=2024&amp;form=0603&amp;row=all&amp;col=women" in html
    cell = {"year": 2024, "form": "0603", "row": "all", "col": "women"}
    listing = page(client, world.r4, "statistics_records", world.prov.pk, **cell)
    assert "Hoàng Thị A" in listing.content.decode() and "Trần Thị C" not in listing.content.decode()


def test_the_excel_holds_the_same_figures(client, world):
    response = page(client, world.r4, "statistics_export", world.prov.pk, year=2024)
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:3] == ["0601", "0602", "0603"]
    sheet = book["0603"]
    assert sheet["A1"].value == "Biểu số 0603.N/BNV-TĐKT"
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in rows if r[0] == "Hình thức khen thưởng")
    total = next(r for r in rows if r[0] == "Tổng số")
    assert dict(zip(header, total, strict=True))["Trong đó: nữ"] == 1
    assert dict(zip(header, total, strict=True))["Tổng số"] == 3
    movements = [[c.value for c in row] for row in book["0601"].iter_rows()]
    assert next(r for r in movements if r[0] == "Tổng số")[1] == 3


def test_the_api_gives_the_figures_and_the_records(world):
    data = api(world.r4).get(reverse("api:statistics", args=[world.prov.pk]), {"year": 2024}).json()
    rows = {row["key"]: row["cells"] for row in data["awards"]["0603"]["by_form"]}
    assert rows["all"]["total"] == 3 and rows["all"]["direct"] == 1
    url = reverse("api:statistics-records", args=[world.prov.pk])
    listed = api(world.r4).get(url, {"year": 2024, "form": "local", "row": "all", "col": "household"}).json()
    assert [r["candidate"] for r in listed] == ["Hộ H"]
    export = api(world.r4).get(reverse("api:statistics-export", args=[world.prov.pk]), {"year": 2024})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_wrong_role_403_unknown_issuer_404_anonymous_refused(client, world):
    for name in ("statistics", "statistics_export", "statistics_records"):
        assert page(client, world.r5, name, world.prov.pk).status_code == 403
        assert page(client, world.r4, name, 999999).status_code == 404
    for name in ("statistics", "statistics-export", "statistics-records"):
        assert api(world.r5).get(reverse(f"api:{name}", args=[world.prov.pk])).status_code == 403
        assert APIClient().get(reverse(f"api:{name}", args=[world.prov.pk])).status_code == 401


def test_a_bad_year_or_cell_is_refused_in_vietnamese(client, world):
    response = api(world.r4).get(reverse("api:statistics", args=[world.prov.pk]), {"year": "năm"})
    assert response.status_code == 400 and response.json()["year"][0].startswith("Năm báo cáo phải là một số")
    url = reverse("api:statistics-records", args=[world.prov.pk])
    bad = api(world.r4).get(url, {"year": 2024, "form": "0603", "row": "all", "col": "x"})
    assert bad.status_code == 400 and "Không có số liệu" in bad.json()["detail"]
    shown = page(client, world.r4, "statistics", world.prov.pk, year="1800")
    assert shown.status_code == 200 and "Năm báo cáo phải là một số" in shown.content.decode()


def test_the_page_statements_are_flat_in_the_number_of_records(client, world):
    client.force_login(world.r4)
    url = reverse("decisions:statistics", args=[world.prov.pk])
    client.get(url, {"year": 2024})
    with CaptureQueriesContext(connection) as small:
        client.get(url, {"year": 2024})
    for n in range(30):
        record = world.records[3]
        record.pk, record.decision_number = None, f"y{n}"
        record.save()
    with CaptureQueriesContext(connection) as large:
        client.get(url, {"year": 2024})
    assert len(small.captured_queries) == len(large.captured_queries)


def test_the_excel_is_written_once_for_the_same_figures_and_follows_a_raw_revocation(client, world, monkeypatch):
    """The workbook is kept under a digest of the figures it shows, which are read afresh each time: the
    same figures are not written again, and a decision revoked by a raw write leaves the next file at once."""
    from django.core.cache import cache

    from nominations import statistics_xlsx
    from nominations.models import Decision

    cache.clear()
    from .world import sign_record_7

    decision = sign_record_7(world)
    written = []
    original = statistics_xlsx.tt02_xlsx
    monkeypatch.setattr(statistics_xlsx, "tt02_xlsx", lambda report: written.append(1) or original(report))

    def local_leaders():
        content = page(client, world.r4, "statistics_export", world.prov.pk, year=2024).content
        rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(content)).worksheets[3].iter_rows()]
        header = next(r for r in rows if r[0] == "Hình thức khen thưởng")
        return dict(zip(header, next(r for r in rows if r[0] == "Tổng số"), strict=True))

    column = next(label for key, label in columns_of("local") if key == "leader_unit")
    assert local_leaders()[column] == 1  # record 7: a commune-level leader, under the signed decision
    assert local_leaders()[column] == 1
    assert len(written) == 1  # the same figures: the file kept
    Decision.objects.filter(pk=decision.pk).update(status=Decision.Status.REVOKED)
    assert local_leaders()[column] == 0
    assert len(written) == 2
    api_file = api(world.r4).get(reverse("api:statistics-export", args=[world.prov.pk]), {"year": 2024})
    assert api_file.status_code == 200 and len(written) == 2  # the API's file: the same figures, the same file


def test_the_award_tables_escape_their_labels(client, world):
    """The tables are written in one loop of f-strings (no tag per cell): the award type's name is escaped, a
    figure's link keeps its query string escaped as a template writes it."""
    world.bk.name = "<b>Bằng & khen</b>"
    world.bk.save()
    html = page(client, world.r4, "statistics", world.prov.pk, year=2024).content.decode()
    assert "<td>&lt;b&gt;Bằng &amp; khen&lt;/b&gt;</td>" in html and "<b>Bằng" not in html
    records = reverse("decisions:statistics_records", args=[world.prov.pk])
    assert f'<a href="{records}?year=2024&amp;form=0603&amp;row=form%3A{world.bk.pk}&amp;col=total"' in html


# The template's loops the page had before they were written in Python (workflow.views.statistics.
# small_tables_html): the reference text, byte for byte.
FORMER_SMALL_TABLES = {
    "years": """{% for y in years %}<option value="{{ y }}"{% if y == year %} selected{% endif %}>{{ y }}</option>{% endfor %}""",  # noqa: E501
    "movement_headings": """{% for h in movement_headings %}<th>{{ h }}</th>{% endfor %}""",
    "movements": """{% for label, values in movements %}<tr><td>{{ label }}</td>{% for v in values %}<td>{{ v }}</td>{% endfor %}</tr>{% endfor %}""",  # noqa: E501
    "offices": """{% for row in report.offices %}<tr><td>{{ row.label }}</td><td>{{ row.cells.total }}</td></tr>{% endfor %}""",  # noqa: E501
    "staff": """{% for row in report.staff %}<tr><td>{{ row.label }}</td><td>{{ row.cells.total }}</td></tr>{% endfor %}""",  # noqa: E501
}


def test_the_small_tables_are_the_former_templates_text_with_hostile_labels(world):
    from types import SimpleNamespace

    from django.template import Context, Template

    from nominations.statistics import Row, tt02_report
    from workflow.views.statistics import small_tables_html

    report = tt02_report(world.prov, 2024)
    hostile = Row("x", "<i>\"Cấp\" & 'xã'</i>", {"total": 12345})
    report = SimpleNamespace(offices=[*report.offices, hostile], staff=[hostile, *report.staff])
    context = {
        "year": 2024,
        "years": range(2027, 1999, -1),
        "movement_headings": ["Tổng số", "<b>Dài hạn</b>", "Chuyên đề & đợt"],
        "movements": [("<Tổng>", [1, 0, 23456]), ("Cấp tỉnh", [0, 0, 0])],
        "report": report,
    }
    html = small_tables_html(
        context["year"], context["years"], context["movement_headings"], context["movements"], report
    )
    for key, template in FORMER_SMALL_TABLES.items():
        assert html[key] == Template(template).render(Context(context)), key
    assert "&lt;i&gt;&quot;Cấp&quot; &amp; &#x27;xã&#x27;&lt;/i&gt;" in html["offices"]
    assert '<option value="2024" selected>2024</option>' in html["years"]
