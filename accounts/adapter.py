"""allauth hooks: where people land after signing in."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils.http import url_has_allowed_host_and_scheme


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        # An invitation link followed before signing up carries the user back to it.
        pending = request.session.pop("pending_invitation_url", None)
        if pending and url_has_allowed_host_and_scheme(pending, allowed_hosts={request.get_host()}):
            return pending
        return super().get_login_redirect_url(request)
