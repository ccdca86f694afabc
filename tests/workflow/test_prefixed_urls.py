"""workflow.nodes.PrefixedUrls: a node's URLs nested under ``<int:process_pk>/<name>/`` resolve and reverse as
viewflow's flat list of the same node does (same route, name, arguments), and another node's path is not theirs."""

import re

import pytest
from django.urls import Resolver404, URLPattern, get_resolver, resolve

from workflow import nodes
from workflow.flows import CouncilFlow, DecisionFlow, NominationFlow

FLOWS = [NominationFlow, CouncilFlow, DecisionFlow]


@pytest.fixture(autouse=True)
def _urlconf():
    assert get_resolver().url_patterns  # mounts the flows' viewsets: a node's reverse walks their namespaces


def _prefixed_nodes():
    for flow_class in FLOWS:
        for node in flow_class.instance.nodes():
            if isinstance(node, nodes.PrefixedUrls):
                yield flow_class, node


def _flat(node) -> list[URLPattern]:
    """viewflow's own list of the node's URLs (what PrefixedUrls nests)."""
    return super(nodes.PrefixedUrls, node)._get_urls()


def _filled(route: str) -> tuple[str, dict]:
    """The route with ids in its converters, and those ids by name."""
    ids = {}

    def fill(match):
        ids[match.group(1)] = 100 + len(ids)
        return str(ids[match.group(1)])

    return re.sub(r"<int:(\w+)>", fill, route), ids


def test_every_step_node_of_the_flows_is_prefixed():
    names = {node.name for _flow, node in _prefixed_nodes()}
    assert {"prepare", "head_approval", "review", "vote", "close_voting", "sign"} <= names


@pytest.mark.parametrize(("flow_class", "node"), list(_prefixed_nodes()), ids=str)
def test_a_prefixed_node_resolves_and_reverses_as_viewflow_s_flat_list(flow_class, node):
    flat = _flat(node)
    assert flat and [type(pattern) for pattern in flat] == [URLPattern] * len(flat)
    assert len(node._get_urls()) == 1  # nested: one include under the prefix
    for pattern in flat:
        path, ids = _filled(str(pattern.pattern))
        url = node.reverse(pattern.name, kwargs=ids)
        assert url.endswith("/" + path), (url, path)
        assert node.reverse(pattern.name, args=list(ids.values())) == url
        match = resolve(url)
        assert match.url_name == pattern.name
        assert match.route.endswith(str(pattern.pattern))
        assert match.kwargs == {**pattern.default_args, **ids}
        assert match.func.__name__ == pattern.callback.__name__
        assert match.namespaces[-1] == node.name


def test_another_node_s_path_is_not_matched_by_a_prefixed_node():
    url = NominationFlow.prepare.reverse("execute", args=[1, 2])
    with pytest.raises(Resolver404):
        resolve(url.replace("/prepare/", "/prepare_x/"))
    other = resolve(url.replace("/prepare/", "/head_approval/"))
    assert (other.url_name, other.namespaces[-1]) == ("execute", "head_approval")
