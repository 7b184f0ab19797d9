"""API authentication: `Authorization: Token <key>` acts as the key's user in one organisation."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from accounts.services import api_token_authenticate


class ApiTokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        found = api_token_authenticate(key)
        if found is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        token, membership = found
        # The token's organisation, not the session's, is the one this request acts in.
        token.membership = membership
        return membership.user, token


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "ApiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`; create keys under Settings → API tokens.",
        }
