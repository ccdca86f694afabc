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
