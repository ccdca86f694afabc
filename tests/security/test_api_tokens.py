"""API tokens expire (THIDUA_API_TOKEN_TTL) and die with a password change."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

PASSWORD = "mat-khau-dung-2024"


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("canbo_test", password=PASSWORD)


def obtain(password=PASSWORD):
    response = APIClient().post("/api/auth/token/", {"username": "canbo_test", "password": password})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def call(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/campaigns/")


def test_a_fresh_token_works(user):
    assert call(obtain()).status_code == 200


def test_an_expired_token_is_401_and_a_new_one_is_issued(user, settings):
    token = obtain()
    age = datetime.timedelta(seconds=settings.THIDUA_API_TOKEN_TTL, minutes=1)
    Token.objects.filter(key=token).update(created=timezone.now() - age)
    response = call(token)
    assert response.status_code == 401
    assert response.json()["code"] == "token_expired" and "hết hạn" in response.json()["detail"]

    fresh = obtain()
    assert fresh != token and call(fresh).status_code == 200
    assert call(token).status_code == 401


def test_a_token_just_inside_its_lifetime_still_works(user, settings):
    token = obtain()
    age = datetime.timedelta(seconds=settings.THIDUA_API_TOKEN_TTL - 60)
    Token.objects.filter(key=token).update(created=timezone.now() - age)
    assert call(token).status_code == 200
    assert obtain() == token  # not expired: the same token comes back


def test_a_password_change_revokes_the_tokens(user):
    token = obtain()
    user.set_password("mat-khau-moi-2025")
    user.save()
    assert call(token).status_code == 401
    assert call(obtain("mat-khau-moi-2025")).status_code == 200


def test_saving_the_user_without_a_new_password_keeps_the_token(user):
    token = obtain()
    user.first_name = "Lan"
    user.save()
    assert call(token).status_code == 200
