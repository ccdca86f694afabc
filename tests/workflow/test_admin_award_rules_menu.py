"""The administration menu shows the award rules only to who may open them (issue 13): a commune's administrator
no longer sees an entry that answers 403, and the menu costs no statement to decide it."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

User = get_user_model()
LINK = 'href="{}"'


@pytest.fixture
def link():
    return LINK.format(reverse("administration:award_rules"))


def test_a_commune_administrator_has_no_award_rules_entry(client, demo, link):
    client.force_login(User.objects.get(username="quantri_kylua"))
    page = client.get(reverse("administration:index"))
    assert page.status_code == 200
    assert link not in page.content.decode()
    assert client.get(reverse("administration:award_rules")).status_code == 403


def test_the_province_administrator_keeps_the_entry(client, demo, link):
    client.force_login(User.objects.get(username="quantri_ubnd"))
    page = client.get(reverse("administration:index")).content.decode()
    assert link in page and "Hình thức khen thưởng, lương cơ sở" in page
    assert client.get(reverse("administration:award_rules")).status_code == 200


@pytest.mark.parametrize("username", ["quantri_ubnd", "quantri_kylua"])
def test_deciding_the_entry_costs_no_statement(client, demo, username, django_assert_num_queries):
    client.force_login(User.objects.get(username=username))
    client.get(reverse("administration:index"))  # warm caches (content types, sessions)
    # The same statements as before the entry was conditional (test_administration_pages' pin); seven since the
    # bell's count is read from the per-user cache (workflow.counters, issue 18); five since the side menu is kept
    # a few seconds per person (workflow/templatetags/frame.py: the flows' global permissions are not read for it).
    with django_assert_num_queries(5):
        assert client.get(reverse("administration:index")).status_code == 200
