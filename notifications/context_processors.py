from workflow import counters


def unread(request):
    """``unread_notifications``: the bell's count, queried only by a page that shows the bell."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        from .services import unread_count

        return counters.cached_count(user, "unread", lambda: unread_count(user))

    return {"unread_notifications": count}
