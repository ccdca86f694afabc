"""Vietnamese first: the interface language is the user's explicit choice, never the browser's guess."""


class ExplicitLanguageOnlyMiddleware:
    """Placed before LocaleMiddleware: drop Accept-Language, so that only the language
    a user picked (the set_language cookie) turns the interface to English."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
