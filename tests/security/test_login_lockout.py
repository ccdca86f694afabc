"""Password guessing: lockout per username and address (django-axes), audited once per burst."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import Client
from rest_framework.test import APIClient

from workflow.models import AuditEvent

PASSWORD = "mat-khau-dung-2024"
LOGIN = "/accounts/login/"
TOKEN = "/api/auth/token/"


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("canbo_test", password=PASSWORD)


def ui_login(password, address="10.0.0.7", username="canbo_test"):
    return Client(REMOTE_ADDR=address).post(LOGIN, {"username": username, "password": password})


def token_login(password, address="10.0.0.7"):
    return APIClient(REMOTE_ADDR=address).post(TOKEN, {"username": "canbo_test", "password": password})


def audited(event_type):
    return AuditEvent.objects.filter(event_type=event_type).count()


def test_ui_login_locks_the_pair_after_five_failures(user, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert ui_login("sai").status_code == 200  # the form again, with its error
    assert ui_login("sai").status_code == 429  # the fifth failure locks

    # Locked: even the right password is refused, with a Vietnamese page.
    response = ui_login(PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "tạm khoá" in page and "15 phút" in page
    assert int(response["Retry-After"]) == 15 * 60
    assert "_auth_user_id" not in response.wsgi_request.session

    # The same username from another machine is not locked (nobody locks a colleague out).
    assert ui_login(PASSWORD, address="10.0.0.8").status_code == 302


def test_the_lock_ends_after_the_cool_off(user):
    for _ in range(5):
        ui_login("sai")
    assert ui_login(PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16))
    assert ui_login(PASSWORD).status_code == 302


def test_a_successful_login_starts_the_count_again(user):
    for _ in range(4):
        ui_login("sai")
    assert ui_login(PASSWORD).status_code == 302
    for _ in range(4):
        assert ui_login("sai").status_code == 200
    assert ui_login(PASSWORD).status_code == 302


def test_token_endpoint_locks_too(user):
    for _ in range(4):
        assert token_login("sai").status_code == 400
    assert token_login("sai").status_code == 429
    response = token_login(PASSWORD)
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "locked_out" and "tạm khoá" in body["detail"] and body["errors"] == {}
    assert token_login(PASSWORD, address="10.0.0.9").status_code == 200


def test_ui_and_api_failures_count_together(user):
    for _ in range(3):
        ui_login("sai")
    for _ in range(2):
        token_login("sai")
    assert token_login(PASSWORD).status_code == 429
    assert ui_login(PASSWORD).status_code == 429


def test_failed_logins_are_audited_once_per_burst(user):
    for _ in range(12):
        ui_login("sai")
    for _ in range(5):
        token_login("sai")
    # One event opens the burst, one marks the lockout; the other 15 attempts are axes' counters only.
    assert audited("auth.login_failed") == 1
    assert audited("auth.locked_out") == 1
    locked = AuditEvent.objects.get(event_type="auth.locked_out")
    assert locked.actor_name == "canbo_test" and locked.data["failures"] == 5 and locked.ip == "10.0.0.7"

    # A burst from another address is its own burst.
    ui_login("sai", address="10.0.0.8")
    ui_login("sai", address="10.0.0.8")
    assert audited("auth.login_failed") == 2


def test_unknown_usernames_are_counted_and_locked_as_well(db):
    for _ in range(5):
        ui_login("sai", username="khong_ton_tai")
    assert ui_login("sai", username="khong_ton_tai").status_code == 429
    assert audited("auth.login_failed") == 1 and audited("auth.locked_out") == 1
