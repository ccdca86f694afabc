"""The administration pages in English (issue 13): their strings have entries in the en catalogue."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse


def _text(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def admin_in_english(client, demo):
    client.force_login(get_user_model().objects.get(username="quantri_ubnd"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


@pytest.mark.parametrize(
    ("name", "english", "vietnamese"),
    [
        ("administration:index", "Users and roles", "Người dùng và vai trò"),
        ("administration:units", "Reorganise units", "Sắp xếp lại đơn vị"),
        ("administration:councils", "Found a council", "Thành lập hội đồng"),
        ("administration:award_rules", "Award types and base salary", "Hình thức khen thưởng và mức lương cơ sở"),
        ("administration:reorganise", "Effective date", "Ngày có hiệu lực"),
    ],
)
def test_the_administration_pages_read_in_english(admin_in_english, name, english, vietnamese):
    text = _text(admin_in_english.get(reverse(name)))
    assert english in text and vietnamese not in text
