"""``{% if app|in_menu_of:request.user %}``: whether the side menu lists an application (workflow/site_menu.html).

The whole side menu is kept a few seconds per person, rights, language and day (workflow/templatetags/frame.py),
so each application is asked here only when the menu is rendered afresh: its answer is today's, never one kept
from an earlier day. The pages themselves still check ``has_view_permission`` on each request
(viewflow.middleware.SiteMiddleware), so a stale menu entry never opens a page.
"""

from django import template

register = template.Library()


@register.filter
def in_menu_of(app, user) -> bool:
    return app.has_view_permission(user)
