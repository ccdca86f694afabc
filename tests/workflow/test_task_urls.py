"""workflow.task_lists.task_url: a list row's task address, reversed once per node and action, is the address
viewflow reverses for that task (the inbox, the queue and 'Việc của tôi' write it on every row)."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from workflow.flows import CouncilFlow, NominationFlow
from workflow.task_lists import task_url


@pytest.mark.parametrize(
    ("node", "process", "pk"),
    [(NominationFlow.review, 1, 2), (NominationFlow.review, 876543219, 987654321), (CouncilFlow.vote, 40, 9)],
)
@pytest.mark.parametrize("action", ["index", "assign"])
def test_the_row_address_is_the_one_viewflow_reverses(node, process, pk, action):
    reverse("dossiers:index")  # the URLconf loaded (viewflow's namespaces are registered with it)
    task = SimpleNamespace(flow_task=node, process_id=process, pk=pk)
    assert task_url(task, action) == node.reverse(action, args=[process, pk])
    assert task_url(task, action) == node.reverse(action, args=[process, pk])  # from the kept template
