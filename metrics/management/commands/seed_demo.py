"""Create the demo workspace.

It lives in the top app of the import order because it composes every app's demo data,
each app adding its own on top of what the apps above it created.
"""

from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from accounts.demo import DEMO_PASSWORD, DEMO_USERS, demo_workspace_ensure
from campaigns.demo import demo_campaign_ensure
from influencers.demo import demo_influencers_ensure


class Command(BaseCommand):
    help = "Create the demo workspace (an organisation with one user per role) if it is missing."

    def handle(self, *args, **options):
        # A command runs outside any request: it opts out of tenancy scopes, and the demo
        # functions name the organisation they write to.
        with scopes_disabled():
            organization, created = demo_workspace_ensure()
            demo_influencers_ensure(organization=organization)
            demo_campaign_ensure(organization=organization)
        verb = "Created" if created else "Reusing"
        self.stdout.write(self.style.SUCCESS(f"{verb} the demo workspace “{organization.name}”."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for role, email in DEMO_USERS.items():
            self.stdout.write(f"  {role.label:<9} {email}")
