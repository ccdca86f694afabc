import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from nominations.demo import DEMO_PASSWORD


def pytest_configure(config):
    config.addinivalue_line("markers", "schemathesis: property-based run of the OpenAPI schema (schemathesis)")


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def api(users):
    """``api("canbo_vinhtrai")``: an APIClient carrying that demo user's token, obtained over the API."""
    clients = {}

    def client_for(username):
        if username not in clients:
            client = APIClient()
            response = client.post("/api/auth/token/", {"username": username, "password": DEMO_PASSWORD})
            assert response.status_code == 200, response.content
            client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
            clients[username] = client
        return clients[username]

    return client_for
