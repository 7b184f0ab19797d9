"""Influencers, their social accounts, follower tiers, benchmarks and imports."""

from django.conf import settings
from django.db import models
from django_countries.fields import CountryField

from accounts.models import OrganizationOwned, Platform
from influencers import engagement


class RelationshipStatus(models.TextChoices):
    PROSPECT = "prospect", "Prospect"
    CONTACTED = "contacted", "Contacted"
    PARTNER = "partner", "Partner"
    DO_NOT_CONTACT = "do_not_contact", "Do not contact"


class EngagementFormula(models.TextChoices):
    """What an engagement rate divides by; benchmarks are kept per formula."""

    FOLLOWERS = "followers", "interactions / followers"
    REACH = "reach", "interactions / reach"
    VIEWS = "views", "interactions / views"

    @classmethod
    def usual_for(cls, platform: str, avg_views) -> "EngagementFormula":
        """The formula a platform's published benchmarks use: TikTok's and YouTube's divide
        by views (reference, section 2), Instagram's by followers. Views are needed to
        divide by them; without them the rate falls back to followers."""
        if platform in VIEWS_PLATFORMS and avg_views is not None:
            return cls.VIEWS
        return cls.FOLLOWERS


# Platforms whose benchmarks are published per view rather than per follower.
VIEWS_PLATFORMS = {"tiktok", "youtube"}


class DataSource(models.TextChoices):
    """Where a number came from; shown beside it."""

    API = "api", "platform API"
    IMPORT = "import", "file import"
    MANUAL = "manual", "entered by hand"
    SANDBOX = "sandbox", "sandbox (demo data)"


class Niche(OrganizationOwned):
    """A tag for what an influencer's content is about (skincare, coffee, running)."""

    name = models.CharField(max_length=60)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="niche_unique"),
        ]
        ordering = ["name"]

    def __str__(self):
        return self.name


class Influencer(OrganizationOwned):
    """A person the organisation may work with; they have accounts on several platforms."""

    name = models.CharField(max_length=120)
    email = models.EmailField(blank=True)
    # Where they live: a country (ISO 3166, what target profiles match) and a city or region
    # as typed. A location typed with its country ("Vienna, Austria") fills the country.
    country = CountryField(blank=True)
    location = models.CharField("city", max_length=120, blank=True)
    languages = models.JSONField(default=list, blank=True)
    niches = models.ManyToManyField(Niche, blank=True, related_name="influencers")
    notes = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=RelationshipStatus.choices, default=RelationshipStatus.PROSPECT
    )
    # Set when archived: hidden from the directory and searches, kept wherever history
    # refers to them (shortlists, later deals), restorable. Influencers are never deleted from
    # the screens.
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        # With the id, pages by name (the directory's and the API's) read the index alone.
        indexes = [
            models.Index(fields=["organization", "name", "id"], name="influencer_list"),
            # The few archived people, which the directory leaves out of every page.
            models.Index(
                fields=["organization"],
                condition=models.Q(archived_at__isnull=False),
                name="influencer_archived",
            ),
        ]

    def __str__(self):
        return self.name


class FollowerTier(OrganizationOwned):
    """A band of follower counts: [lower, upper), upper empty for the top tier.

    Carries the cost-per-post guidance for accounts of this size, with its source.
    """

    name = models.CharField(max_length=40)
    lower = models.PositiveIntegerField()
    upper = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=200, blank=True)
    cost_min = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    cost_max = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    cost_currency = models.CharField(max_length=3, default="USD")
    cost_source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["lower"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="tier_name_unique"),
            models.UniqueConstraint(fields=["organization", "lower"], name="tier_lower_unique"),
            models.CheckConstraint(
                condition=models.Q(upper__isnull=True) | models.Q(upper__gt=models.F("lower")),
                name="tier_upper_above_lower",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def range_label(self) -> str:
        if self.upper is None:
            return f"{self.lower:,}+"
        return f"{self.lower:,}–{self.upper:,}"


class Benchmark(OrganizationOwned):
    """The expected engagement rate (percent) for one platform, tier and formula."""

    platform = models.CharField(max_length=16, choices=Platform.choices)
    tier = models.ForeignKey(FollowerTier, on_delete=models.CASCADE, related_name="benchmarks")
    formula = models.CharField(
        max_length=16, choices=EngagementFormula.choices, default=EngagementFormula.FOLLOWERS
    )
    rate = models.DecimalField(max_digits=6, decimal_places=3)
    source = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["platform", "tier__lower", "formula"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "platform", "tier", "formula"], name="benchmark_unique"
            ),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="benchmark_rate_positive"),
        ]

    def __str__(self):
        return f"{self.get_platform_display()} {self.tier}: {self.rate}%"


class EngagementSettings(OrganizationOwned):
    """Which interactions an organisation counts in an engagement rate, and its tier scheme."""

    include_saves = models.BooleanField(default=False)
    include_shares = models.BooleanField(default=False)
    tier_scheme = models.CharField(max_length=40, default="product")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="engagement_settings_one"),
        ]

    def __str__(self):
        return f"Engagement settings of {self.organization}"


class SocialAccount(OrganizationOwned):
    """An influencer's account on one platform, with the audience and engagement summary.

    Averages per post (likes, comments, ...) are stored as measured; the engagement rate is
    computed from them by `influencers.engagement`, and the formula, sample size and source
    are kept beside it so every figure can be reproduced. Rate, tier, benchmark and ratio are
    derived in SQL by `influencers.derived.social_accounts_recompute`.
    """

    influencer = models.ForeignKey(Influencer, on_delete=models.CASCADE, related_name="accounts")
    platform = models.CharField(max_length=16, choices=Platform.choices)
    handle = models.CharField(max_length=100)
    # The handle folded for comparison; unique per organisation and platform. Kept as a
    # column because SQLite's LOWER() folds ASCII letters only.
    handle_key = models.CharField(max_length=100, editable=False)
    platform_id = models.CharField(max_length=64, blank=True)
    profile_url = models.URLField(blank=True)
    bio = models.TextField(blank=True)
    followers = models.PositiveIntegerField(null=True, blank=True)
    following = models.PositiveIntegerField(null=True, blank=True)
    posts_count = models.PositiveIntegerField(null=True, blank=True)
    audience_source = models.CharField(
        max_length=16, choices=DataSource.choices, default=DataSource.MANUAL
    )
    audience_updated_at = models.DateTimeField(null=True, blank=True)

    avg_likes = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    avg_comments = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    avg_saves = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    avg_shares = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    avg_reach = models.PositiveIntegerField(null=True, blank=True)
    avg_views = models.PositiveIntegerField(null=True, blank=True)
    engagement_sample_size = models.PositiveIntegerField(null=True, blank=True)
    # Wide enough for any rate the inputs allow (likes up to 10^10 over one follower), so an
    # implausible figure is stored and shown as measured rather than failing the write.
    engagement_rate = models.DecimalField(max_digits=20, decimal_places=3, null=True, blank=True)
    engagement_formula = models.CharField(
        max_length=16, choices=EngagementFormula.choices, default=EngagementFormula.FOLLOWERS
    )
    engagement_interactions = models.CharField(max_length=60, blank=True)
    engagement_source = models.CharField(
        max_length=16, choices=DataSource.choices, default=DataSource.MANUAL
    )
    engagement_computed_at = models.DateTimeField(null=True, blank=True)
    audience_flags = models.JSONField(default=list, blank=True)

    tier = models.ForeignKey(
        FollowerTier, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    benchmark = models.ForeignKey(
        Benchmark, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    benchmark_ratio = models.DecimalField(max_digits=20, decimal_places=3, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["platform", "handle"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "platform", "handle_key"], name="account_handle_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "followers"]),
            models.Index(fields=["organization", "benchmark_ratio"]),
            models.Index(fields=["organization", "engagement_rate"]),
            models.Index(fields=["organization", "platform", "tier"]),
            # The API lists accounts by platform and handle.
            models.Index(fields=["organization", "platform", "handle", "id"], name="account_list"),
            # The directory sorted by name walks influencers in order and reads their accounts
            # from this index alone.
            models.Index(fields=["influencer", "organization", "id"], name="account_by_influencer"),
        ]

    def __str__(self):
        return f"@{self.handle} on {self.get_platform_display()}"

    @staticmethod
    def key_for(handle: str) -> str:
        """The comparison key of a handle: without the @, case-folded (Émilie = ÉMILIE)."""
        return handle.strip().lstrip("@").strip().casefold()

    @property
    def verdict(self) -> str | None:
        """above, at or below the benchmark; None when the rate or the benchmark is missing."""
        return engagement.verdict(self.benchmark_ratio)

    @property
    def engagement_explanation(self) -> str:
        """The rate's sum with this account's numbers.

        For example "(554 likes + 40 comments) / 4,000 followers".
        """
        if self.engagement_rate is None:
            return ""
        averages = {
            "likes": self.avg_likes,
            "comments": self.avg_comments,
            "saves": self.avg_saves,
            "shares": self.avg_shares,
        }
        parts = [
            f"{averages[name].normalize():,f} {name}"
            for name in self.engagement_interactions.split(" + ")
            if name in averages and averages[name] is not None
        ]
        denominators = {
            EngagementFormula.FOLLOWERS: self.followers,
            EngagementFormula.REACH: self.avg_reach,
            EngagementFormula.VIEWS: self.avg_views,
        }
        denominator = denominators[EngagementFormula(self.engagement_formula)]
        return f"({' + '.join(parts)}) / {denominator:,} {self.engagement_formula}"


class ImportStatus(models.TextChoices):
    """Where an uploaded file is on its way from upload to import.

    A worker reads the file (UPLOADED, claimed as READING) and checks its rows under the
    mapping guessed from the header (CHECKED); a new mapping is checked again (CHECKING); then
    the rows are imported (QUEUED for a large file, claimed as RUNNING). READING and RUNNING
    live inside the transaction that does the work: other connections see the job waiting
    until it is done or rolled back.
    """

    UPLOADED = "uploaded", "Reading the file…"
    READING = "reading", "Reading the file…"
    UNREADABLE = "unreadable", "Could not be read"
    CHECKING = "checking", "Checking the rows…"
    CHECKED = "checked", "Checked"
    QUEUED = "queued", "Waiting to import"
    RUNNING = "running", "Importing…"
    DONE = "done", "Imported"
    FAILED = "failed", "Import failed"


class ImportJob(OrganizationOwned):
    """One uploaded roster file, from upload through reading and column mapping to the import."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    status = models.CharField(
        max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    # The file's column names by cell position, "" where a position is no column.
    columns = models.JSONField(default=list, blank=True)
    column_mapping = models.JSONField(default=dict, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    # Rows that cannot be imported under the current mapping: all of them while it lacks a
    # required column.
    problem_rows = models.PositiveIntegerField(default=0)
    # The first rows as they will be imported, kept by the check for the job's page.
    preview = models.JSONField(default=list, blank=True)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Import of {self.original_name}"

    @property
    def ready_rows(self) -> int:
        return self.total_rows - self.problem_rows

    @property
    def status_text(self) -> str:
        """The status as the imports list and the job's page say it."""
        if self.status != ImportStatus.CHECKED:
            return self.get_status_display()
        if not self.problem_rows:
            return "Ready to import"
        if self.problem_rows == 1:
            return "1 row with problems"
        return f"{self.problem_rows:,} rows with problems"


class ImportRow(OrganizationOwned):
    """One row of an uploaded file as it was read: its spreadsheet row number and cells.

    Written once by the read, so the preview, the checks and the import never read the file
    again. Cells are stripped text by position, without the empty ones at the row's end.
    """

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField()
    cells = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="import_row_unique"),
        ]

    def __str__(self):
        return f"Row {self.number} of import {self.job_id}"


class ImportProblem(OrganizationOwned):
    """The problems of one row of a file under the job's current column mapping.

    Replaced as a whole each time the rows are checked; a row without problems has none.
    """

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="problems")
    number = models.PositiveIntegerField()
    messages = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="import_problem_unique"),
        ]

    def __str__(self):
        return f"Problems of row {self.number} of import {self.job_id}"
