"""Campaigns and their plan: goals with measured progress (step 1), the idea board (step 2),
the shortlist (step 3), the collaboration terms (step 4)."""

from decimal import Decimal

from django.conf import settings
from django.db import models

from accounts.models import Brand, BrandHandle, OrganizationOwned, Platform
from campaigns.formatting import day, figure


class CampaignStatus(models.TextChoices):
    PLANNING = "planning", "Planning"
    RECRUITING = "recruiting", "Recruiting"
    LIVE = "live", "Live"
    COMPLETED = "completed", "Completed"
    ARCHIVED = "archived", "Archived"


class Campaign(OrganizationOwned):
    """A brand's campaign, planned and run through the seven steps of the playbook."""

    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="campaigns")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.PLANNING
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    budget_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    budget_currency = models.CharField(max_length=3, default="EUR")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        # Lists read newest first within the organisation (the index read backwards).
        indexes = [models.Index(fields=["organization", "created_at", "id"], name="campaign_list")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="campaign_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(budget_amount__isnull=True) | models.Q(budget_amount__gte=0),
                name="campaign_budget_not_negative",
            ),
        ]

    def __str__(self):
        return self.name


class GoalMetric(models.TextChoices):
    FOLLOWER_GROWTH = "follower_growth", "Followers of a brand account"
    ATTRIBUTED_REVENUE = "attributed_revenue", "Attributed sales revenue"
    CONVERSIONS = "conversions", "Conversions (code or link redemptions)"
    ENGAGEMENT_RATE = "engagement_rate", "Engagement rate of campaign posts (%)"
    REACH = "reach", "Reach or views"
    POSTS_PUBLISHED = "posts_published", "Posts published"
    BRAND_MENTIONS = "brand_mentions", "Brand mentions or hashtag uses"


class TargetKind(models.TextChoices):
    ABSOLUTE = "absolute", "an absolute number"
    PERCENT = "percent", "a percentage change of the baseline"


# Metrics counted in whole units (people, posts, views); the others are shown to the cent.
WHOLE_NUMBER_METRICS = {
    GoalMetric.FOLLOWER_GROWTH,
    GoalMetric.CONVERSIONS,
    GoalMetric.REACH,
    GoalMetric.POSTS_PUBLISHED,
    GoalMetric.BRAND_MENTIONS,
}


class Goal(OrganizationOwned):
    """A specific, measurable goal: a metric, a baseline, a target and a deadline."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="goals")
    metric = models.CharField(max_length=24, choices=GoalMetric.choices)
    brand_handle = models.ForeignKey(
        BrandHandle, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    baseline = models.DecimalField(max_digits=14, decimal_places=2)
    target_kind = models.CharField(max_length=8, choices=TargetKind.choices)
    target_value = models.DecimalField(max_digits=14, decimal_places=2)
    deadline = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["organization", "deadline", "id"], name="goal_list")]

    @property
    def decimal_places(self) -> int:
        """How its figures are shown: 13,408 followers, never 13,408.14."""
        return 0 if self.metric in WHOLE_NUMBER_METRICS else 2

    def __str__(self):
        target = figure(self.target, self.decimal_places)
        return f"{self.get_metric_display()}: {target} by {day(self.deadline)}"

    @property
    def target(self) -> Decimal:
        """The number to reach: the target itself, or the baseline changed by the percentage."""
        if self.target_kind == TargetKind.PERCENT:
            return (self.baseline * (1 + self.target_value / 100)).quantize(Decimal("0.01"))
        return self.target_value


class GoalMeasurement(OrganizationOwned):
    """One measured value of a goal's metric on a day; entered by hand or by the metrics jobs."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=2)
    source = models.CharField(max_length=16, default="manual")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measured_on"]
        indexes = [
            models.Index(fields=["organization", "measured_on", "id"], name="goal_measurement_list")
        ]
        constraints = [
            models.UniqueConstraint(fields=["goal", "measured_on"], name="measurement_one_per_day"),
        ]

    def __str__(self):
        return f"{figure(self.value, self.goal.decimal_places)} on {day(self.measured_on)}"


class CampaignType(models.TextChoices):
    GIFTING = "gifting", "Gifting / product seeding"
    SPONSORED_POST = "sponsored_post", "Sponsored post"
    GIVEAWAY = "giveaway", "Giveaway or contest"
    CODE = "code", "Discount or affiliate code"
    AMBASSADOR = "ambassador", "Ambassador programme"
    TAKEOVER = "takeover", "Takeover"
    EVENT = "event", "Event"


class Idea(OrganizationOwned):
    """A campaign idea on the board (step 2): what to do, on which channels, with whom.

    The target profile (niches, tiers, locations, follower range, minimum engagement rate) of
    the chosen ideas becomes the campaign's shortlist filter.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="ideas")
    title = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    campaign_type = models.CharField(max_length=16, choices=CampaignType.choices)
    channels = models.JSONField(default=list, blank=True)  # Platform values
    niches = models.JSONField(default=list, blank=True)  # lower-case names
    tiers = models.JSONField(default=list, blank=True)  # FollowerTier names
    locations = models.JSONField(default=list, blank=True)
    followers_min = models.PositiveIntegerField(null=True, blank=True)
    followers_max = models.PositiveIntegerField(null=True, blank=True)
    min_engagement_rate = models.DecimalField(
        max_digits=6, decimal_places=3, null=True, blank=True, help_text="Percent."
    )
    campaign_hashtag = models.CharField(max_length=100, blank=True)
    disclosure_hashtag = models.CharField(max_length=30, blank=True, default="ad")
    estimated_cost = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    chosen = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["organization", "created_at", "id"], name="idea_list")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estimated_cost__isnull=True) | models.Q(estimated_cost__gte=0),
                name="idea_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(followers_min__isnull=True)
                | models.Q(followers_max__isnull=True)
                | models.Q(followers_max__gte=models.F("followers_min")),
                name="idea_follower_range_ordered",
            ),
        ]

    def __str__(self):
        return self.title


class IdeaVote(OrganizationOwned):
    """One member's vote for an idea; a member votes at most once per idea."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="idea_vote_one_per_user"),
        ]

    def __str__(self):
        return f"{self.user} for {self.idea}"


class IdeaComment(OrganizationOwned):
    """A member's comment on an idea."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:40]


class DeliverableType(models.TextChoices):
    FEED_POST = "feed_post", "Feed post"
    REEL = "reel", "Reel"
    STORY = "story", "Story"
    VIDEO = "video", "Video"
    SHORT = "short", "Short"
    BLOG_POST = "blog_post", "Blog post"


class CompensationModel(models.TextChoices):
    FLAT_FEE = "flat_fee", "Flat fee"
    PRODUCT_ONLY = "product_only", "Product only (gifting)"
    COMMISSION = "commission", "Commission on sales"
    HYBRID = "hybrid", "Hybrid (fee plus commission)"


class TermSheet(OrganizationOwned):
    """The terms offered to one group of influencers of a campaign (step 4).

    `deliverables` is a list of {"count": int, "type": DeliverableType, "platform": Platform};
    `influencers_planned` feeds the budget planner (campaigns.budget).
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="term_sheets")
    name = models.CharField(max_length=120)
    deliverables = models.JSONField(default=list, blank=True)
    compensation_model = models.CharField(max_length=16, choices=CompensationModel.choices)
    fee_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="EUR")
    product_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    commission_rate = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text="Percent."
    )
    required_hashtags = models.JSONField(default=list, blank=True)  # without #
    required_mentions = models.JSONField(default=list, blank=True)  # without @
    disclosure = models.CharField(max_length=60, blank=True, default="#ad")
    content_guidelines = models.TextField(blank=True)
    usage_rights_days = models.PositiveIntegerField(null=True, blank=True)
    usage_rights_channels = models.JSONField(default=list, blank=True)
    exclusivity_days = models.PositiveIntegerField(null=True, blank=True)
    exclusivity_competitors = models.TextField(blank=True)
    posting_window_start = models.DateField(null=True, blank=True)
    posting_window_end = models.DateField(null=True, blank=True)
    relationship_months = models.PositiveIntegerField(null=True, blank=True)
    drafts_need_approval = models.BooleanField(default=True)
    influencers_planned = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["organization", "created_at", "id"], name="term_sheet_list")
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(fee_amount__isnull=True) | models.Q(fee_amount__gte=0))
                & (models.Q(product_value__isnull=True) | models.Q(product_value__gte=0)),
                name="term_sheet_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(commission_rate__isnull=True)
                | models.Q(commission_rate__gte=0, commission_rate__lte=100),
                name="term_sheet_commission_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=models.Q(posting_window_end__isnull=True)
                | models.Q(posting_window_start__isnull=True)
                | models.Q(posting_window_end__gte=models.F("posting_window_start")),
                name="term_sheet_window_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def deliverable_lines(self) -> list[str]:
        """The deliverables as the form's lines, e.g. "2 reel instagram"."""
        return [f"{d['count']} {d['type']} {d['platform']}" for d in self.deliverables]

    @property
    def deliverable_labels(self) -> list[str]:
        """The deliverables for people, e.g. "2 × Reel on Instagram"."""
        types, platforms = dict(DeliverableType.choices), dict(Platform.choices)
        return [
            f"{d['count']} × {types.get(d['type'], d['type'])} on "
            f"{platforms.get(d['platform'], d['platform'])}"
            for d in self.deliverables
        ]


class ShortlistStatus(models.TextChoices):
    CANDIDATE = "candidate", "Candidate"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


# The playbook's deep dive into a candidate: (field, label). Each is ticked with a note.
CHECKLIST = [
    ("content_quality", "Content quality"),
    ("niche_fit", "Niche fit"),
    ("audience_fit", "Audience fit"),
    ("comments_genuine", "Comments look genuine"),
]


class ShortlistEntry(OrganizationOwned):
    """An account on a campaign's shortlist (step 3): a candidate until someone approves or
    rejects it, with the reason and who decided, and the deep-dive checklist."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="shortlist")
    account = models.ForeignKey(
        "influencers.SocialAccount", on_delete=models.CASCADE, related_name="shortlist_entries"
    )
    status = models.CharField(
        max_length=16, choices=ShortlistStatus.choices, default=ShortlistStatus.CANDIDATE
    )
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    content_quality = models.BooleanField(default=False)
    content_quality_note = models.TextField(blank=True)
    niche_fit = models.BooleanField(default=False)
    niche_fit_note = models.TextField(blank=True)
    audience_fit = models.BooleanField(default=False)
    audience_fit_note = models.TextField(blank=True)
    comments_genuine = models.BooleanField(default=False)
    comments_genuine_note = models.TextField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["organization", "created_at", "id"], name="shortlist_list")]
        verbose_name_plural = "shortlist entries"
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "account"], name="shortlist_account_once_per_campaign"
            ),
        ]

    def __str__(self):
        return f"{self.account} for {self.campaign}"

    @property
    def checklist(self) -> list[tuple[str, str, bool, str]]:
        """(field, label, ticked, note) for each item of the deep-dive checklist."""
        return [
            (name, label, getattr(self, name), getattr(self, f"{name}_note"))
            for name, label in CHECKLIST
        ]
