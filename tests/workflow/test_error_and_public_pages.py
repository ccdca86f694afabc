"""The error pages in Vietnamese (400, 403, 404, 500, a CSRF failure) in the app's look, and the public pages
styled and linked from the app and the login page."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.views import defaults

from nominations.models import AwardRecord

ENGLISH = ("Page not found", "Server error", "Forbidden", "CSRF verification failed", "Django Material", "View site")


@pytest.fixture
def clerk(demo, client):
    client.force_login(get_user_model().objects.get(username="canbo_vinhtrai"))
    return client


def assert_vietnamese(page: str, *expected: str):
    for text in expected:
        assert text in page
    for text in ENGLISH:
        assert text not in page, text


def test_404_is_vietnamese(clerk):
    response = clerk.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert_vietnamese(
        response.content.decode(), "<title>404 Không tìm thấy trang - thidua</title>", "Về trang làm việc"
    )


def test_403_is_vietnamese_and_says_why(clerk):
    # Another unit's clerk's dossier step: the page refuses with its reason.
    from tests.workflow.helpers import start

    client = Client()
    other = start(client, get_user_model().objects.get(username="canbo_dongkinh"), unit_code="p-dong-kinh-moi")
    client.force_login(get_user_model().objects.get(username="chutich_dongkinh"))
    response = client.get(f"/dossiers/submissions/{other.artifact.pk}/nominations/add/")
    assert response.status_code == 403
    assert_vietnamese(
        response.content.decode(), "403 Không có quyền truy cập", "Hồ sơ không ở bước bạn được chỉnh sửa."
    )


def test_500_is_vietnamese():
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert_vietnamese(response.content.decode(), "500 Lỗi máy chủ", "dữ liệu của bạn không bị ghi dở")


def test_400_is_vietnamese():
    response = defaults.bad_request(RequestFactory().get("/"), Exception())
    assert_vietnamese(response.content.decode(), "400 Yêu cầu không hợp lệ")


def test_a_csrf_failure_is_vietnamese(demo):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "canbo_vinhtrai", "password": "x"})
    assert response.status_code == 403
    assert_vietnamese(response.content.decode(), "Phiên làm việc đã hết hạn", "Hãy tải lại trang")


def test_the_public_pages_are_linked_from_the_app_and_the_login_page(clerk, demo):
    page = clerk.get("/decisions/").content.decode()
    assert 'href="/public/"' in page and "Kết quả đã công bố (trang công khai)" in page
    assert 'href="/public/"' in Client().get("/accounts/login/").content.decode()


def test_the_public_index_lists_campaigns_with_results_and_is_styled_for_a_phone(client, demo, users_signed):
    decision, _noms = users_signed
    page = Client().get("/public/").content.decode()
    assert f'href="/public/campaigns/{decision.campaign_id}/"' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    results = Client().get(f"/public/campaigns/{decision.campaign_id}/").content.decode()
    assert 'class="table-box"' in results and "@media (max-width: 600px)" in results and "Roboto" in results
    assert 'data-label="Đơn vị"' in results
    assert f"Số {decision.reference}" in results or f"Số {decision.number}" in results
    assert AwardRecord.objects.filter(campaign=decision.campaign_id).exists()


@pytest.fixture
def users_signed(client, demo):
    from tests.workflow.helpers import signed_decision

    users = {u.username: u for u in get_user_model().objects.all()}
    return signed_decision(client, users)
