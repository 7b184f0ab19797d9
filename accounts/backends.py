"""Signing in with an email address."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend

from accounts import selectors


class AuthenticationBackend(AllauthBackend):
    """allauth's backend, where an address signs in only the account it belongs to.

    allauth would also try every account the address was merely added to; such an address
    belongs to nobody until verified (see `selectors.user_get_for_email`).
    """

    def _authenticate_by_email(self, email, password):
        if not email:
            return None
        return self._check_password(selectors.user_get_for_email(email=email), password)
