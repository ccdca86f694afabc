"""``{% if app|in_menu_of:request.user %}``: whether the side menu lists an application (workflow/site_menu.html).

viewflow's menu asks each application's ``has_view_permission``; the administration's reads the user's roles in
force (a UNION query), on every page, even on pages that need no role otherwise (the inbox, /dossiers/). The
menu's answer is cached with the counters (workflow.counters: a few seconds, moved by the user's own actions
and by a change of their roles); the pages themselves still check ``has_view_permission`` on each request
(viewflow.middleware.SiteMiddleware), so a stale menu entry never opens a page.
"""

from django import template

from workflow import counters

register = template.Library()


@register.filter
def in_menu_of(app, user) -> bool:
    if not getattr(app, "menu_cached", False):
        return app.has_view_permission(user)
    return bool(counters.cached_count(user, f"menu:{app.app_name}", lambda: int(app.has_view_permission(user))))
