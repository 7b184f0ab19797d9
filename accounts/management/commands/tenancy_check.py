"""Check that no row points at a row of another organisation."""

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from accounts.tenancy import tenancy_check_all_organisations


class Command(BaseCommand):
    help = (
        "Check every relation between organisation-owned rows (goal and campaign, shortlist "
        "entry and account, ...) for rows whose organisation is not their parent's. Prints "
        "each relation and its mismatches; exits with status 1 if there is any."
    )

    def handle(self, *args, **options):
        with scopes_disabled():  # it reads every organisation's rows, by design
            checks = tenancy_check_all_organisations()
        total = 0
        for check in checks:
            total += check.count
            self.stdout.write(f"{check.relation}: {check.count} mismatches")
            for row in check.examples:
                self.stdout.write(f"  {row}")
        summary = f"Checked {len(checks)} relations: {total} mismatches."
        if total:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
