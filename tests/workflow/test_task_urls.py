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


def test_rows_written_in_python_escape_every_value_and_keep_the_due_dates_html():
    """The rows are written out in Python, not by the template's autoescape: a hostile title stays text."""
    from django.utils.safestring import mark_safe

    from workflow.my_work import row_html
    from workflow.task_lists import TaskRow
    from workflow.task_lists import row_html as task_row_html

    hostile = '<script>alert("x")</script>'
    due = mark_safe('<span class="thidua-due">01/01/2027</span>')
    row = {
        "step": hostile,
        "title": hostile,
        "unit": "Đơn vị & <b>",
        "campaign": hostile,
        "created": '"',
        "age": "2\xa0ngày",
        "due": due,
        "overdue": True,
        "url": '/x/"y/',
        "assign_url": None,
        "label": hostile,
    }
    html = row_html(row, "tok", "Nhận việc", "Làm việc")
    assert "<script>" not in html and "&lt;script&gt;" in html and "Đơn vị &amp; &lt;b&gt;" in html
    assert '<span class="thidua-due">01/01/2027</span>' in html and 'class="thidua-overdue"' in html
    assert 'href="/x/&quot;y/"' in html and "csrfmiddlewaretoken" not in html
    taking = row_html({**row, "assign_url": "/take/", "overdue": False}, "tok<", "Nhận việc", "Làm việc")
    assert 'action="/take/"' in taking and 'value="tok&lt;"' in taking and "thidua-overdue" not in taking
    task = TaskRow(pk=7, url="/t/", ref="#1/7", title=hostile, dossier=hostile, created="01/01", due=due, overdue=False)
    written = task_row_html(task)
    assert "<script>" not in written and '<span class="thidua-due">' in written and 'data-row-id="7"' in written
