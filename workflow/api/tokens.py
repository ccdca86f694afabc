"""API tokens that expire (THIDUA_API_TOKEN_TTL) and die with a password change.

DRF's own Token model is kept; only its age is checked here, which is less
code than swapping in another token library and keeps `Authorization: Token …`.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed


def _expired(token: Token) -> bool:
    return token.created <= timezone.now() - datetime.timedelta(seconds=settings.THIDUA_API_TOKEN_TTL)


def issue(user) -> Token:
    """The user's token, replaced by a new one when it has expired."""
    token, created = Token.objects.get_or_create(user=user)
    if not created and _expired(token):
        token.delete()
        # get_or_create again: a concurrent request may have issued the new token meanwhile.
        token, _created = Token.objects.get_or_create(user=user)
    return token


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if _expired(token):
            raise AuthenticationFailed(
                _("Mã xác thực (Token) đã hết hạn: hãy lấy mã mới tại /api/auth/token/."), code="token_expired"
            )
        return user, token


def revoke_on_password_change(sender, instance, created, **kwargs):
    # set_password() leaves the new raw password in _password until save() has
    # finished, so it is still there when post_save runs: a changed password.
    if not created and getattr(instance, "_password", None) is not None:
        Token.objects.filter(user=instance).delete()


def connect():
    post_save.connect(revoke_on_password_change, sender=get_user_model(), dispatch_uid="workflow.api.tokens.revoke")
