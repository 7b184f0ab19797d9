"""What is derived from an account's measured numbers, recomputed set-based in one UPDATE.

Engagement rate (and what it counted), tier, benchmark and the ratio to the benchmark are
computed by the database for any number of accounts at once, from the organisation's
engagement settings, tier table and benchmarks. The UPDATE writes only the rows whose
figures change: a recompute with nothing changed writes nothing (no dead tuples on
PostgreSQL, no `updated_at` moving).

The rate follows `influencers.engagement` (the definition, with the worked example):
likes + comments, plus saves and shares where the organisation counts them and they were
measured, times 100 over the formula's denominator, rounded half up to three places; the
ratio divides the rounded rate by the benchmark's. Tests hold the two to the same results.

One statement for PostgreSQL and SQLite (3.39+, for IS DISTINCT FROM). The `* 1.0` makes
SQLite divide as floating point: it keeps 554.00 as the integer 554 and would divide
integers; PostgreSQL divides numerics exactly either way.
"""

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Organization
from influencers.models import Benchmark, EngagementSettings, FollowerTier, SocialAccount

IDS_PER_STATEMENT = 10_000  # account ids bound per UPDATE: well under SQLite's 32,766

# Starts with UPDATE (the derived rows are a subquery, not a WITH clause): Python's sqlite3
# reports no row count for a statement that starts otherwise.
_SQL = """
UPDATE {account} SET
    engagement_rate = d.rate,
    engagement_interactions = d.interactions,
    engagement_computed_at = CASE
        WHEN {account}.engagement_rate IS DISTINCT FROM d.rate
          OR {account}.engagement_interactions IS DISTINCT FROM d.interactions
        THEN %(now)s ELSE {account}.engagement_computed_at END,
    tier_id = d.tier_id,
    benchmark_id = d.benchmark_id,
    benchmark_ratio = d.ratio
FROM (
    SELECT c.id, c.rate, c.interactions, c.tier_id, b.id AS benchmark_id,
           CASE WHEN c.rate IS NULL OR b.id IS NULL THEN NULL
                ELSE ROUND(c.rate * 1.0 / b.rate, 3) END AS ratio
    FROM (
        SELECT
            a.id, a.platform, a.engagement_formula,
            CASE WHEN a.avg_likes IS NULL OR a.avg_comments IS NULL OR {denominator} IS NULL
                      OR {denominator} <= 0 THEN NULL
                 ELSE ROUND({interactions} * 100.0 / {denominator}, 3)
            END AS rate,
            CASE WHEN a.avg_likes IS NULL OR a.avg_comments IS NULL OR {denominator} IS NULL
                      OR {denominator} <= 0 THEN ''
                 ELSE 'likes + comments'
                      || CASE WHEN %(saves)s AND a.avg_saves IS NOT NULL
                              THEN ' + saves' ELSE '' END
                      || CASE WHEN %(shares)s AND a.avg_shares IS NOT NULL
                              THEN ' + shares' ELSE '' END
            END AS interactions,
            (SELECT t.id FROM {tier} t
              WHERE t.organization_id = %(organization)s AND t.lower <= a.followers
                AND (t.upper IS NULL OR t.upper > a.followers)
              ORDER BY t.lower DESC LIMIT 1) AS tier_id
        FROM {account} a
        WHERE a.organization_id = %(organization)s {only_ids}
    ) c
    LEFT JOIN {benchmark} b
      ON b.organization_id = %(organization)s AND b.tier_id = c.tier_id
     AND b.platform = c.platform AND b.formula = c.engagement_formula
) d
WHERE {account}.id = d.id
  AND ({account}.engagement_rate IS DISTINCT FROM d.rate
       OR {account}.engagement_interactions IS DISTINCT FROM d.interactions
       OR {account}.tier_id IS DISTINCT FROM d.tier_id
       OR {account}.benchmark_id IS DISTINCT FROM d.benchmark_id
       OR {account}.benchmark_ratio IS DISTINCT FROM d.ratio)
"""

_INTERACTIONS = (
    "(a.avg_likes + a.avg_comments"
    " + CASE WHEN %(saves)s AND a.avg_saves IS NOT NULL THEN a.avg_saves ELSE 0 END"
    " + CASE WHEN %(shares)s AND a.avg_shares IS NOT NULL THEN a.avg_shares ELSE 0 END)"
)
_DENOMINATOR = (
    "(CASE a.engagement_formula WHEN 'followers' THEN a.followers"
    " WHEN 'reach' THEN a.avg_reach WHEN 'views' THEN a.avg_views END)"
)


def _statement(*, ids: list[int]) -> str:
    return _SQL.format(
        account=SocialAccount._meta.db_table,
        tier=FollowerTier._meta.db_table,
        benchmark=Benchmark._meta.db_table,
        interactions=_INTERACTIONS,
        denominator=_DENOMINATOR,
        only_ids=(
            "AND a.id IN ({})".format(", ".join(f"%(id{n})s" for n in range(len(ids))))
            if ids
            else ""
        ),
    )


def social_accounts_recompute(
    *, organization: Organization, account_ids: list[int] | None = None
) -> int:
    """Recompute the derived figures of the organisation's accounts (or of `account_ids`).

    Returns the number of rows updated: those whose rate, counted interactions, tier,
    benchmark or ratio changed. `engagement_computed_at` moves only with the rate.
    """
    settings = EngagementSettings.objects.get(organization=organization)
    params = {
        "organization": organization.pk,
        "saves": settings.include_saves,
        "shares": settings.include_shares,
        "now": timezone.now(),
    }
    if account_ids is None:
        batches = [[]]
    else:
        ids = sorted(set(account_ids))
        batches = [ids[i : i + IDS_PER_STATEMENT] for i in range(0, len(ids), IDS_PER_STATEMENT)]
    updated = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # PostgreSQL would JIT-compile this statement at 100,000 rows, which took longer
            # (1.6 s) than running it; for this transaction only.
            cursor.execute("SET LOCAL jit = off")
        for batch in batches:
            named = params | {f"id{n}": pk for n, pk in enumerate(batch)}
            cursor.execute(_statement(ids=batch), named)
            updated += cursor.rowcount
    return updated
