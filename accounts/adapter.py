"""allauth hooks: where people land after signing in or signing up, how its emails leave, and
which account may confirm an address."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib import messages
from django.contrib.sites.shortcuts import get_current_site
from django.utils.http import url_has_allowed_host_and_scheme

from accounts import selectors, services


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

    def send_mail(self, template_prefix, email, context):
        # As allauth's, except that a worker sends the email after the commit (see
        # services.email_send_after_commit); it is rendered here, where the request is.
        request = allauth_context.request
        full_context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
        }
        full_context.update(context)
        message = self.render_mail(template_prefix, email, full_context)
        services.email_send_after_commit(message=message)

    def confirm_email(self, request, email_address):
        # An address another account signs in with cannot become this account's too: verifying
        # it would make it this account's sign-in address as well.
        if selectors.email_address_is_taken(
            email=email_address.email, except_user=email_address.user
        ):
            messages.error(
                request,
                f"{email_address.email} belongs to another account, so it cannot be confirmed "
                "for this one.",
            )
            return False
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            services.email_address_claim(email_address=email_address)
        return confirmed
