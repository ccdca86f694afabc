"""A Content-Security-Policy on every page: scripts only from this origin, no plug-ins, no framing."""

import re

from rest_framework.test import APIClient


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def test_the_login_page_carries_the_policy(client, db):
    policy = directives(client.get("/accounts/login/"))
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"] and policy["base-uri"] == ["'self'"]


def test_swagger_ui_needs_no_inline_script(db):
    client = APIClient()
    page = client.get("/api/docs/")
    assert "Content-Security-Policy" in page
    html = page.content.decode()
    assert not re.search(r"<script>(?!\s*</script>)", html), "an inline script would be blocked"
    script = re.search(r'<script src="(/api/docs/\?[^"]*script[^"]*)"', html)[1].replace("&amp;", "&")
    response = client.get(script)
    assert response.status_code == 200 and "SwaggerUIBundle" in response.content.decode()
