"""The progress table's chart: a stacked bar per target (units done, on track, behind), drawn on the server as
SVG with fill attributes only (the CSP allows no inline style), named for screen readers and followed by the
same figures as a table."""

import re

import pytest
from django.urls import reverse

from nominations.services import registrations

from .world import build_registration_world, registered


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_registration_world()


def test_the_chart_counts_units_per_status_and_has_a_text_alternative(client, world):
    school = registered(world)
    registered(world, unit=world.ward)
    registrations.progress_report(
        registration=school, actor=world.clerk, target=world.online, value="90", day=world.today
    )
    client.force_login(world.reviewer)
    response = client.get(reverse("registrations:table", args=[world.campaign.pk]))
    html = response.content.decode()
    # Online share: the school done (90 ≥ 85), the ward never reported (behind); late files: both behind.
    online, late = response.context["lines"]
    assert (online["units"], online["done"], online["on_track"], online["behind"]) == (2, 1, 0, 1)
    assert (late["units"], late["done"], late["behind"]) == (2, 0, 2)
    svg = re.search(r"<svg class=\"thidua-chart progress-chart\".*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="progress-chart-title progress-chart-desc"' in svg
    assert "style=" not in svg
    # The widest target has 2 units over 410 px: one unit is 205 px, done first, then behind.
    assert '<rect x="300" y="20" width="205.0" height="18" fill="#1b5e20"><title>Đã đạt: 1</title>' in svg
    assert '<rect x="505.0" y="20" width="205.0" height="18" fill="#e65100"><title>Chậm tiến độ: 1</title>' in svg
    assert "<caption>Số liệu của biểu đồ</caption>" in html


def test_no_chart_without_registrations(client, world):
    client.force_login(world.reviewer)
    html = client.get(reverse("registrations:table", args=[world.campaign.pk])).content.decode()
    assert "progress-chart" not in html and "Chưa có đơn vị nào đăng ký." in html


# The template's loops the page had before its chart was written in Python (workflow.views.registrations.
# chart_html): the reference text, byte for byte.
FORMER_CHART = """{% for bar in chart.bars %}<text x="0" y="{{ bar.y|add:13 }}" font-size="12">{{ bar.label|truncatechars:44 }}</text>
{% for seg in bar.segments %}<rect x="{{ seg.x|stringformat:'s' }}" y="{{ bar.y }}" width="{{ seg.width|stringformat:'s' }}" height="{{ chart.bar_height }}" fill="{{ seg.fill }}"><title>{{ seg.label }}: {{ seg.count }}</title></rect>
{% endfor %}{% endfor %}
{% for item in chart.legend %}<rect x="{{ item.x }}" y="{{ chart.legend_y }}" width="12" height="12" fill="{{ item.fill }}"></rect><text x="{{ item.x|add:16 }}" y="{{ chart.legend_y|add:11 }}" font-size="12">{{ item.label }}</text>{% endfor %}
"""  # noqa: E501
FORMER_DATA = """{% for line in lines %}<tr><td>{{ line.target }} ({{ line.unit_of_measure }})</td><td>{{ line.units }}</td><td>{{ line.done }}</td><td>{{ line.on_track }}</td><td>{{ line.behind }}</td></tr>{% endfor %}"""  # noqa: E501


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_charts_html_is_the_former_templates_text_even_for_hostile_and_long_names(language):
    from django.template import Context, Template
    from django.utils import translation

    from nominations.progress import BEHIND, DONE, ON_TRACK
    from workflow.views.registrations import chart_html, progress_chart

    lines = [
        {"target": '<b>"Tỷ lệ" & \'hồ sơ\'</b> trực tuyến mức độ 4 của toàn thành phố', "unit_of_measure": "<%>",
         "units": 1234, DONE: 1000, ON_TRACK: 200, BEHIND: 34},
        {"target": "Tỷ lệ cải thiện chỉ số hài lòng của người dân", "unit_of_measure": "điểm", "units": 7, DONE: 0,
         ON_TRACK: 0, BEHIND: 7},
        {"target": "Ngắn", "unit_of_measure": "hồ sơ", "units": 3, DONE: 1, ON_TRACK: 1, BEHIND: 1},
    ]  # fmt: skip
    with translation.override(language):
        chart = progress_chart(lines)
        html = chart_html(chart, lines)
        expected_chart = Template(FORMER_CHART).render(Context({"chart": chart}))
        expected_data = Template(FORMER_DATA).render(Context({"lines": lines}))
    assert f"{html['bars']}\n{html['legend']}\n" == expected_chart
    assert html["rows"] == expected_data
    assert "&lt;b&gt;&quot;Tỷ lệ&quot; &amp; &#x27;hồ sơ&#x27;" in html["bars"] and "<b>" not in html["rows"]
