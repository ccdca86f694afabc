"""The Content-Security-Policy keeps every kind of page working: no violation in Chromium."""

import pytest

from .conftest import requires_chromium
from .test_ui import log_in

pytestmark = [pytest.mark.browser, requires_chromium]

# Every violation of the page's policy, as the page itself sees it (installed before any page script).
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} ${e.sample || ""}`.trim());
});
"""

# The queue's bulk action posts the selected task ids to queue/assign/, which shows a confirmation page.
BULK_ASSIGN = """(pk) => {
  const form = document.createElement("form");
  form.method = "post";
  form.action = "/nomination/queue/assign/";
  const token = document.cookie.split("; ").find((c) => c.startsWith("csrftoken=")).split("=")[1];
  for (const [name, value] of [["csrfmiddlewaretoken", token], ["pk", String(pk)]]) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }
  form.setAttribute("data-turbo", "false");
  document.body.appendChild(form);
  form.submit();
}"""


@pytest.fixture
def csp_data(ui_data, committed_demo, client):
    """A council session voting on the Vĩnh Trại dossier, and the URLs to visit (ORM work before the browser)."""
    from django.urls import reverse

    from workflow.flows import NominationFlow as F

    from ..workflow.helpers import accepted_dossier, council_session, open_task

    users = committed_demo["users"]
    _process, noms = accepted_dossier(client, users, ["Lộc Văn Tài"])
    session_process = council_session(client, users, noms, vote=False)
    other_head_task = open_task(F.process_class.objects.get(artifact_object_id=ui_data["other_pk"]), F.head_approval)
    return {
        "session": reverse("sessions:detail", args=[session_process.artifact.pk]),
        "council_process": f"/council/{session_process.pk}/",
        "task_pk": other_head_task.pk,
    }


def watch(page, seen):
    """Collect CSP violations reported on the console and by the page's own event."""
    page.add_init_script(LISTEN)
    page.on("console", lambda msg: seen.append(msg.text) if "Content Security Policy" in msg.text else None)


def violations(page):
    return page.evaluate("window.__csp || []")


def test_no_csp_violation_on_the_main_pages(csp_data, new_page, ui_data, artifacts):
    seen = []
    page = new_page()
    watch(page, seen)

    response = page.goto("/accounts/login/?next=/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    assert violations(page) == [], "login"

    log_in(page, "canbo_vinhtrai", "/")  # the dashboard after logging in through the Turbo form
    page.wait_for_load_state("networkidle")
    assert violations(page) == [], "dashboard"

    page.goto(f"/dossiers/submissions/{ui_data['own_pk']}/")
    page.wait_for_load_state("networkidle")
    assert violations(page) == [], "dossier"

    secretary = new_page()
    watch(secretary, seen)
    log_in(secretary, "thuky_hoidong", csp_data["session"])
    for name in ("session", "council_process"):
        assert secretary.goto(csp_data[name]).status == 200, name
        secretary.wait_for_load_state("networkidle")
        assert violations(secretary) == [], name
    secretary.screenshot(path=artifacts / "csp-council.png", full_page=True)

    # viewflow's bulk "assign" page: its "Back" link runs an inline onclick admitted by its hash.
    head = new_page()
    watch(head, seen)
    log_in(head, "chutich_dongkinh", "/nomination/queue/")
    head.evaluate(BULK_ASSIGN, csp_data["task_pk"])
    head.wait_for_url(lambda url: "/queue/assign/" in url)
    back = head.locator("a[onclick]").first
    back.wait_for()
    back.click()
    head.wait_for_url(lambda url: "/queue/assign/" not in url)
    head.wait_for_load_state("networkidle")
    assert violations(head) == [], "bulk assign page, Back"

    page.goto("/api/docs/")
    page.locator(".swagger-ui .info").wait_for()  # Swagger UI ran: its set-up script loaded from ?script
    page.wait_for_load_state("networkidle")
    assert violations(page) == [], "swagger"
    page.screenshot(path=artifacts / "csp-swagger.png")

    # Five wrong passwords: the Turbo form shows the Vietnamese lockout page (429), still without a violation.
    guesser = new_page()
    watch(guesser, seen)
    guesser.goto("/accounts/login/")
    for _ in range(5):
        guesser.fill("input[name=username]", "uyvien_3")
        guesser.fill("input[name=password]", "sai-mat-khau")
        with guesser.expect_response(lambda r: r.request.method == "POST") as posted:
            guesser.click("form.vf-form button[type=submit]")
        if posted.value.status == 429:
            break
    assert posted.value.status == 429
    guesser.get_by_role("alert").wait_for()
    assert "tạm khoá" in guesser.get_by_role("alert").inner_text()
    guesser.screenshot(path=artifacts / "lockout.png")
    assert violations(guesser) == [], "lockout page"

    assert seen == []
