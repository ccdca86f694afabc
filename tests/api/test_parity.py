"""Everything a person can do in the UI can be done over the API: every UI route name has an entry here.

The test enumerates the URLconf (viewflow's flow and task pages of the three flows, our own pages, the public
pages) and fails on a route without an entry, on an entry naming an operation the OpenAPI schema does not have,
and on an entry no route uses any more. An entry is the API operation (``operationId``) doing what the page
does, or ``NoApi(reason)`` for the few pages that are not a person's action on the data.
"""

from typing import NamedTuple

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

from workflow import kinds
from workflow import permissions as perms


class NoApi(NamedTuple):
    reason: str


ENGINE_REPAIR = NoApi(
    "viewflow's undo / cancel / revive of a task or process: a flow manager's repair of the engine "
    "(has_manage_permission, the superuser), not a step of any role"
)
DIAGRAM = NoApi("the flow's diagram, drawn as a picture: the same for everyone, no data of a dossier")

# What each flow's artifact is called in the API (its operationIds' prefix).
RESOURCE = {"nomination": "submissions", "council": "council_sessions", "decision": "decisions"}


def _flow_entries(namespace: str, resource: str) -> dict:
    return {
        f"{namespace}:index": f"{resource}_list",
        f"{namespace}:process_list": f"{resource}_list",
        # The archive lists what the user worked on; the artifact list answers it (filter by status).
        f"{namespace}:archive": f"{resource}_list",
        f"{namespace}:process_detail": f"{resource}_retrieve",
        f"{namespace}:inbox": "tasks_list",
        f"{namespace}:queue": "tasks_list",
        f"{namespace}:task_list": "tasks_list",
        f"{namespace}:tasks_assign": "tasks_claim_create",  # the lists' "take these": one claim per task
        f"{namespace}:tasks_unassign": "tasks_unassign_create",
        f"{namespace}:start:execute": f"{resource}_create",
        f"{namespace}:<human>:index": "tasks_retrieve",
        f"{namespace}:<human>:detail": "tasks_retrieve",
        f"{namespace}:<human>:assign": "tasks_claim_create",
        f"{namespace}:<human>:unassign": "tasks_unassign_create",
        f"{namespace}:<human>:execute": "tasks_complete_create",
        # An automatic step (gateway, start, end, split, join) done by the engine: its page shows when it ran,
        # which the artifact's timeline says.
        f"{namespace}:<auto>:index": f"{resource}_timeline_list",
        f"{namespace}:<auto>:detail": f"{resource}_timeline_list",
        f"{namespace}:<any>:undo": ENGINE_REPAIR,
        f"{namespace}:<any>:cancel": ENGINE_REPAIR,
        f"{namespace}:<any>:revive": ENGINE_REPAIR,
        f"{namespace}:process_cancel": ENGINE_REPAIR,
        f"{namespace}:chart": DIAGRAM,
        f"{namespace}:process_chart": DIAGRAM,
    }


PARITY = {
    **{k: v for kind in kinds.KINDS for k, v in _flow_entries(kind.namespace, RESOURCE[kind.namespace]).items()},
    # Dossiers
    "dossiers:index": "nominations_list",
    "dossiers:submission": "submissions_retrieve",
    "dossiers:nomination_add": "submissions_nominations_create",
    "dossiers:attachment_add": "submissions_attachments_create",
    "dossiers:nomination": "nominations_retrieve",
    "dossiers:nomination_edit": "nominations_update",
    "dossiers:nomination_delete": "nominations_destroy",
    "dossiers:attachment": "attachments_download_retrieve",
    "dossiers:attachment_replace": "attachments_replace_create",
    "dossiers:attachment_remove": "attachments_remove_create",
    # Council sessions
    "sessions:index": "council_sessions_list",
    "sessions:detail": "council_sessions_retrieve",
    "sessions:written_vote": "council_sessions_written_votes_create",
    "sessions:recusal": "agenda_items_recusal_create",
    "sessions:minutes": "council_sessions_minutes_retrieve",
    # The receipt page shows the code the ballot's completion returns (result.receipt).
    "sessions:receipt": "tasks_complete_create",
    # Decisions
    "decisions:index": "decisions_list",
    "decisions:detail": "decisions_retrieve",
    "decisions:file": "decisions_files_retrieve",
    "decisions:revocation": "decisions_files_retrieve",  # name revocation.docx / revocation.pdf
    "decisions:draft": "decisions_draft_retrieve",
    "decisions:certificates": "decisions_certificates_zip_retrieve",
    "decisions:revoke": "decisions_revoke_create",
    "decisions:progress": "decisions_progress_retrieve",
    "decisions:summary": "campaigns_summary_retrieve",
    "decisions:summary_export": "campaigns_summary_xlsx_retrieve",
    "decisions:delegations": "delegations_list",
    "decisions:delegation_add": "delegations_create",
    "decisions:delegation_end": "delegations_end_create",
    # Administration (the issuer's administrator; campaigns also its emulation office)
    "administration:index": "admin_memberships_list",
    "administration:person_add": "admin_people_create",
    "administration:membership_add": "admin_memberships_create",
    "administration:membership_end": "admin_memberships_end_create",
    "administration:people_import": "admin_people_import_create",
    "administration:people_template": NoApi(
        "the Excel template people fill in by hand; an API client posts the same columns to admin_people_import_create"
    ),
    "administration:units": "admin_units_list",
    "administration:unit_add": "admin_units_create",
    "administration:unit_rename": "admin_units_rename_create",
    "administration:unit_dissolve": "admin_units_dissolve_create",
    "administration:reorganise": "admin_units_reorganise_create",
    "administration:councils": "admin_councils_list",
    "administration:council_add": "admin_councils_create",
    "administration:seat_add": "admin_councils_seats_create",
    "administration:seat_end": "admin_council_seats_end_create",
    "administration:units_import": "admin_units_import_create",
    "administration:council_import": "admin_councils_import_create",
    "administration:units_template": NoApi(
        "the Excel template people fill in by hand; an API client posts the same columns to admin_units_import_create"
    ),
    "administration:council_template": NoApi(
        "the Excel template filled in by hand; an API client posts the same columns to admin_councils_import_create"
    ),
    "administration:campaigns": "campaigns_list",
    "administration:campaign_add": "admin_campaigns_create",
    "administration:campaign_edit": "admin_campaigns_update",
    "administration:campaign_launch": "admin_campaign_launch",
    "administration:campaign_close": "admin_campaign_close",
    "administration:campaign_summarise": "admin_campaign_summarise",
    "administration:award_rules": "admin_award_types_list",
    "administration:award_type_add": "admin_award_types_create",
    "administration:rule_set_add": "admin_award_types_rule_sets_create",
    "administration:base_salary_add": "admin_base_salaries_create",
    "dossiers:campaign": "campaigns_retrieve",
    "password_reset_confirm": NoApi("the set-password link of an invitation e-mail, opened in a browser by its person"),
    "password_reset_complete": NoApi("the page after setting a password: a browser page by nature"),
    # Work and notifications
    "viec-cua-toi:index": "tasks_list",
    "notifications:list": "notifications_list",
    "notifications:read_all": "notifications_mark_read",
    "notifications:read": "notification_mark_read",
    "notifications:digest": "notifications_preferences_update",
    "viec-cua-toi:boards": "org_units_board_list",
    "viec-cua-toi:board": "org_units_board_list",
    "viec-cua-toi:board_export": "org_units_board_xlsx_retrieve",
    # Registrations (đăng ký thi đua) and progress
    "registrations:index": "registrations_list",
    "registrations:create": "registrations_create",
    "registrations:detail": "registrations_retrieve",
    "registrations:edit": "registrations_update",
    "registrations:sign": "registrations_sign_create",
    "registrations:review": "registrations_review_create",
    "registrations:report": "registrations_reports_create",
    "registrations:table": "campaigns_progress_list",
    "registrations:table_export": "campaigns_progress_xlsx_retrieve",
    "registrations:remind": "campaigns_reminders_create",
    "registrations:evaluate": "registrations_evaluation_update",
    "registrations:basis": "nominations_basis_update",
    # TT 02/2023 statistics (issue 16)
    "decisions:statistics": "statistics_retrieve",
    "decisions:statistics_export": "statistics_xlsx_retrieve",
    "decisions:statistics_records": "statistics_records_list",
    # Open to anyone
    "verify": "public_certificates_retrieve",
    "public_results": "public_campaigns_results_list",
    # The public pages' entry: the campaigns with published results (each one's results are the entry above).
    "public_index": "campaigns_list",
    # The site
    "login": "auth_token_create",
    "logout": NoApi("ends the browser's session; an API client simply stops sending its token"),
    "index": NoApi("the site's home: a redirect to the first menu, no content of its own"),
    "set_language": NoApi("the pages' display language, kept in a cookie; the API answers in Vietnamese"),
}

# Whole namespaces outside the parity: not pages of the application's users.
EXCLUDED_NAMESPACES = {
    "api": "the API itself",
    "admin": "Django's admin: operators' data maintenance (users, reference data), not a step of the workflow",
}

# Operations the table names that also serve the pages' extras (progress, list of certificates): checked to exist.
ALSO_DOCUMENTED = {
    "decisions_certificates_list",
    "decisions_certificates_progress_retrieve",
    "tasks_unassign_create",
    "public_certificates_retrieve",
    "registrations_reports_list",
    "registrations_evaluation_list",
    "nominations_basis_retrieve",
}


def _routes(patterns, namespaces=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, namespaces + ((pattern.namespace,) if pattern.namespace else ()))
        elif isinstance(pattern, URLPattern):
            yield namespaces, pattern.name


def _key(namespaces: tuple, name: str) -> str:
    """The table's key for a route: its full name, or ``<flow>:<human|auto|any>:<page>`` for a task page."""
    full = ":".join((*namespaces, name))
    kind = kinds.of_namespace(namespaces[0]) if namespaces else None
    if kind is None or len(namespaces) != 2 or full in PARITY:
        return full
    if name in ("undo", "cancel", "revive"):
        return f"{kind.namespace}:<any>:{name}"
    node = kind.flow_class.instance.node(namespaces[1])
    human = node in perms.human_nodes(kind.flow_class)
    return f"{kind.namespace}:{'<human>' if human else '<auto>'}:{name}"


def ui_routes() -> dict:
    """{route name: table key} of every named route outside the excluded namespaces."""
    routes = {}
    for namespaces, name in _routes(get_resolver().url_patterns):
        if namespaces and namespaces[0] in EXCLUDED_NAMESPACES:
            continue
        assert name, f"an unnamed route under {namespaces}: name it, so that it can be listed here"
        routes[":".join((*namespaces, name))] = _key(namespaces, name)
    return routes


@pytest.fixture(scope="module")
def operations() -> set:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {op["operationId"] for path in schema["paths"].values() for op in path.values() if "operationId" in op}


def test_every_ui_route_has_an_api_operation_or_a_reason():
    routes = ui_routes()
    missing = sorted(name for name, key in routes.items() if key not in PARITY)
    assert not missing, f"UI routes with no entry in PARITY (add the API operation that does the same): {missing}"
    unused = sorted(set(PARITY) - set(routes.values()))
    assert not unused, f"entries of PARITY no route uses any more: {unused}"
    assert all(entry.reason for entry in PARITY.values() if isinstance(entry, NoApi))


def test_every_operation_in_the_table_is_in_the_schema(operations):
    named = {entry for entry in PARITY.values() if isinstance(entry, str)} | ALSO_DOCUMENTED
    assert not named - operations, f"operations named here that the OpenAPI schema lacks: {sorted(named - operations)}"


def test_the_table_covers_every_page_of_every_flow():
    """Sanity of the enumeration: each flow's human steps are reached, so a new step cannot slip through."""
    routes = ui_routes()
    for kind in kinds.KINDS:
        for node in perms.human_nodes(kind.flow_class):
            assert f"{kind.namespace}:{node.name}:execute" in routes, node
    assert len(routes) > 200  # the flows' task pages are all there, not only our own pages
