"""The admin site: staff work across organisations, so the admin opts out of tenancy scopes."""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django_scopes import scopes_disabled


class AdminSite(admin.AdminSite):
    """Django's admin site, whose every view runs with scopes disabled.

    The rendering happens inside the opt-out too: a change list reads its rows while its
    template renders, after the view has returned.
    """

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def every_organisation(request, *args, **kwargs):
            with scopes_disabled():
                response = inner(request, *args, **kwargs)
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
            return response

        return every_organisation


class AdminConfig(DjangoAdminConfig):
    """Django's admin app, on the site above (INSTALLED_APPS names this instead of
    django.contrib.admin)."""

    default_site = "accounts.admin_site.AdminSite"
