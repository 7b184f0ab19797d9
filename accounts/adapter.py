"""allauth hooks: where people land after signing in or signing up."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils.http import url_has_allowed_host_and_scheme


class AccountAdapter(DefaultAccountAdapter):
    def _pending_invitation_url(self, request):
        # An invitation link followed before signing in carries the user back to it.
        pending = request.session.pop("pending_invitation_url", None)
        if pending and url_has_allowed_host_and_scheme(pending, allowed_hosts={request.get_host()}):
            return pending
        return None

    def get_login_redirect_url(self, request):
        return self._pending_invitation_url(request) or super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        # allauth asks this, not the login hook, after the login that ends a sign-up.
        return self._pending_invitation_url(request) or super().get_signup_redirect_url(request)
