"""Addresses: where a page sends people back to after a form, and the base of emailed links."""

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme


def site_url(request) -> str:
    """The base of links sent by email: SITE_URL, or the address this request came in on."""
    return settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")


def next_path(request, fallback: str) -> str:
    """The form's `next` when it is a path on this site, else `fallback`.

    Only a path ("/influencers/?page=2") is followed: anything else, a full URL to another
    site, "//evil.example" or a word that is no address at all, goes to `fallback`.
    """
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback
