"""Token for scripts and portals: exchange a username and password for an API token."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from .. import tokens


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Gửi kèm mỗi yêu cầu: `Authorization: Token <token>`.")


class TokenObtain(ObtainAuthToken):
    authentication_classes = []
    may_lock_out = True  # django-axes answers 429 (documented by ApiAutoSchema)

    def get_serializer_context(self):
        # The serializer calls authenticate(request=…): give it Django's request, on which
        # django-axes marks a lockout for its middleware to answer 429 (DRF's wrapper would hide it).
        return {**super().get_serializer_context(), "request": self.request._request}

    @extend_schema(
        request=AuthTokenSerializer,
        responses=TokenSerializer,
        auth=[],
        description="Lấy mã xác thực (token) bằng tên đăng nhập và mật khẩu. Mã hết hạn sau THIDUA_API_TOKEN_TTL "
        "giây (mặc định 8 giờ) và bị thu hồi khi đổi mật khẩu. Đăng nhập sai nhiều lần liên tiếp bị tạm khoá (429).",
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response({"token": tokens.issue(serializer.validated_data["user"]).key})
