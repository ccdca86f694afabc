"""Small helpers shared by the API views."""

from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView


def validated(serializer_class: type[serializers.Serializer], data, **kwargs) -> dict:
    """Validated data of ``serializer_class`` over ``data``, or a 400 with field errors."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class UnknownRoute(APIView):
    """Any other path under /api/: a JSON 404, not the HTML page of the site."""

    schema = None
    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request, *args, **kwargs):
        raise NotFound()

    post = put = patch = delete = head = options = get
