"""``{% side_menu %}…{% endside_menu %}``: viewflow's side menu (templates/viewflow/base_page.html), rendered once
per person, rights, language, day and application and kept for a few seconds.

The menu is the same on every page of an application for one person, yet rendering it asked each application
whether the person may open it (viewflow's flows read the person's global permissions: two statements), read the
person's roles for some entries and rendered ~40 template nodes: most of the frame's cost on a light page. Its
HTML is kept under the person's counters version (workflow.counters: it moves when one of their roles, seats,
delegations or groups is written, and when their tasks or notifications change, so the menu's badges follow
them), with the language, the day (a role ending today leaves the menu tomorrow) and the application's URL
namespace in the key: a person only ever gets their own menu, and another person's or an earlier role's for no
longer than ``counters.TTL`` seconds. A menu entry never opens a page: each page checks the rights itself
(viewflow.middleware.SiteMiddleware and the views).

The logout form's CSRF token is the request's own: it is kept out of the cached HTML (a placeholder) and put back
on each page. Our menus reverse no URL with the current page's arguments (no viewset has ``extra_kwargs``), so
the namespace is enough to tell one application's menu from another's.
"""

from django import template
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from workflow import counters

register = template.Library()

CSRF_PLACEHOLDER = "thidua-frame-csrf-token"


def menu_key(request) -> str | None:
    """The cache key of ``request``'s side menu, or None when it is not to be cached (no person, no site page)."""
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    if match is None or not getattr(user, "is_authenticated", False):
        return None
    viewset = getattr(match, "viewset", None)
    turbo = int(bool(getattr(viewset, "turbo_disabled", False)))
    version = counters.version(user.pk)
    day = timezone.localdate().isoformat()
    return f"thidua:frame:menu:{user.pk}:{version}:{translation.get_language()}:{day}:{match.namespace}:{turbo}"


class SideMenuNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        key = menu_key(context.get("request"))
        token = str(context.get("csrf_token") or "")
        if key is None or not token or token == "NOTPROVIDED":
            return self.nodelist.render(context)
        html = cache.get(key)
        if html is None:
            html = self.nodelist.render(context)
            cache.set(key, html.replace(token, CSRF_PLACEHOLDER), counters.TTL)
            return html
        return mark_safe(html.replace(CSRF_PLACEHOLDER, token))


@register.tag
def side_menu(parser, token):
    nodelist = parser.parse(("endside_menu",))
    parser.delete_first_token()
    return SideMenuNode(nodelist)
