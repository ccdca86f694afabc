"""The queue's and 'Việc của tôi''s task statements are compiled once per process for the same rule (issue 18
item 1: building and compiling the rule cost ~2 ms a page), and still read the tasks as they are now."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from viewflow.workflow.status import STATUS

from workflow import my_work, queues
from workflow import permissions as perms

from .helpers import F, act, add_nomination, complete_dossier, open_task, start

PAGE, QUEUE = "/viec-cua-toi/", "/nomination/queue/"


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


def test_the_task_statements_are_built_once_per_rule_and_read_the_tasks_afresh(client, users, monkeypatch):
    process = start(client, users["canbo_vinhtrai"], title="Tờ trình chờ thủ trưởng")
    complete_dossier(client, process.artifact, [add_nomination(client, process.artifact, "Hoàng Thị Ánh")])
    act(client, users["canbo_vinhtrai"], process, F.prepare)
    task = open_task(process, F.head_approval)
    head = users["chutich_vinhtrai"]
    client.force_login(head)
    for path in (PAGE, QUEUE):
        client.get(path)  # the first request compiles them
    built = []
    # The queue's page reads its tasks arm by arm of the rule (queues.queue_tasks_union), its menu counts them.
    for module, name in ((my_work, "open_tasks"), (perms, "queue_tasks"), (queues, "queue_tasks_union")):
        original = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _f=original, _n=name, **k: built.append(_n) or _f(*a, **k))
    assign = f"/nomination/{process.pk}/head_approval/{task.pk}/assign/"
    assert f'action="{assign}"' in client.get(PAGE).content.decode()
    assert f'data-row-id="{task.pk}"' in client.get(QUEUE).content.decode()
    assert built == []  # the same rule: nothing built, the kept statements ran
    # A raw write shows at once: the task is no longer in the queue (its count may lag a few seconds).
    type(task).objects.filter(pk=task.pk).update(status=STATUS.CANCELED)
    assert f'action="{assign}"' not in client.get(PAGE).content.decode()
    assert f'data-row-id="{task.pk}"' not in client.get(QUEUE).content.decode()
    assert built == []
    type(task).objects.filter(pk=task.pk).update(status=STATUS.NEW)
    # Another rule (a permission given): its own statements, built again, with the same rows.
    head.user_permissions.add(Permission.objects.get(codename="view_orgunit"))
    assert f'action="{assign}"' in client.get(PAGE).content.decode()
    assert f'data-row-id="{task.pk}"' in client.get(QUEUE).content.decode()
    assert "open_tasks" in built and "queue_tasks_union" in built
    # Another ward's head never gets this one's statement: her rule is her own key.
    client.force_login(users["chutich_dongkinh"])
    assert f'action="{assign}"' not in client.get(PAGE).content.decode()
    assert f'data-row-id="{task.pk}"' not in client.get(QUEUE).content.decode()
