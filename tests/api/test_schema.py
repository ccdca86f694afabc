"""The OpenAPI schema validates, describes every operation, and the docs load without a CDN."""

import re
from types import SimpleNamespace

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import URLPattern
from rest_framework.test import APIClient
from viewflow.workflow import flow

from workflow.api import task_steps
from workflow.api import urls as api_urls
from workflow.flows import CouncilFlow, DecisionFlow, NominationFlow
from workflow.steps import step_for

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def test_schema_validates_as_openapi_3(schema):
    assert schema["openapi"].startswith("3.")


def test_every_operation_has_a_description(schema):
    missing = [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in METHODS and not operation.get("description", "").strip()
    ]
    assert not missing, missing


def test_every_api_route_is_in_the_schema(schema):
    documented = {path for path in schema["paths"]}
    for pattern in api_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        route = "/api/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern)).replace("{pk}", "{id}")
        if pattern.name in ("docs", "redoc", "unknown"):
            continue
        assert route in documented, route


def test_private_operations_document_401_and_public_ones_do_not(schema):
    public = {"/api/public/campaigns/{id}/results/", "/api/public/certificates/{code}/", "/api/auth/token/"}
    public.add("/api/schema/")
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"400", "404"} <= codes, (method, path)
            assert ("401" in codes) == (path not in public), (method, path)
    assert "409" in schema["paths"]["/api/tasks/{id}/complete/"]["post"]["responses"]


def test_schema_and_docs_are_served_without_a_cdn(demo):
    client = APIClient()
    assert client.get("/api/schema/", {"format": "json"}).status_code == 200
    for page in ("/api/docs/", "/api/redoc/"):
        html = client.get(page).content.decode()
        assert "drf_spectacular_sidecar" in html, page
        assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html, page


def test_every_human_step_of_the_flows_completes_over_the_api():
    """A new View node without an API step would be a task no script can finish."""
    flows = (NominationFlow, CouncilFlow, DecisionFlow)
    nodes = [node for f in flows for node in f.instance.nodes() if isinstance(node, flow.View)]
    human = {node.name: node for node in nodes}
    assert len(human) == len(nodes), "step names must be unique across the flows"
    for name, node in human.items():
        # The page and the API read the same entry of the flow's step table.
        assert step_for(node) is not None, name
        assert task_steps.step_of(SimpleNamespace(flow_task=node)) is step_for(node), name


def test_docs_assets_are_collected_locally():
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")
