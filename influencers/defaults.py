"""Published follower-tier schemes with their benchmarks and cost guidance, as presets.

Each value names its source; where no source publishes a figure for a tier, none is given
and the screens show it as missing. Figures are copied from
shared/reference/platforms-and-benchmarks.md (sections 2.1 to 2.5).
"""

from dataclasses import dataclass, field
from decimal import Decimal

# Where the playbook's micro figures were published: one article, which names no study and no
# year (reference section 2.2). Labelled exactly so, rather than as the product's own figure.
PRODUCT_SOURCE = (
    "Stryde, 'What Are Micro-Influencers and Why Should You Work With Them?' "
    "(article; no study or year named)"
)
HA_2018 = "HypeAuditor 2018 benchmark (mean), ~37K accounts"
MODASH_YT = "Modash YouTube calculator, midpoint of the 'average' band (views formula)"
RIVAL_IQ_TT = "Rival IQ 2023 TikTok report (by views)"


@dataclass(frozen=True)
class TierSpec:
    name: str
    lower: int
    upper: int | None
    cost: tuple[Decimal, Decimal, str] | None = None  # min, max, source (USD per post)


@dataclass(frozen=True)
class BenchmarkSpec:
    platform: str
    tier: str
    formula: str
    rate: Decimal
    source: str
    year: int | None


@dataclass(frozen=True)
class TierScheme:
    key: str
    name: str
    source: str
    tiers: list[TierSpec]
    benchmarks: list[BenchmarkSpec] = field(default_factory=list)


def _b(platform, tier, formula, rate, source, year):
    return BenchmarkSpec(platform, tier, formula, Decimal(rate), source, year)


PRODUCT = TierScheme(
    key="product",
    name="Playbook tiers (micro = 1,000–10,000)",
    source=PRODUCT_SOURCE,
    tiers=[
        TierSpec("nano", 0, 1_000),
        TierSpec("micro", 1_000, 10_000, (Decimal("150"), Decimal("500"), PRODUCT_SOURCE)),
        TierSpec("mid-tier", 10_000, 100_000),
        TierSpec("macro", 100_000, 1_000_000),
        TierSpec("mega", 1_000_000, None),
    ],
    benchmarks=[
        _b("instagram", "nano", "followers", "10.58", f"{HA_2018}, 0–1K", 2018),
        _b("instagram", "micro", "followers", "6.0", f"{PRODUCT_SOURCE} (~4,000 followers)", None),
        _b(
            "instagram",
            "mid-tier",
            "followers",
            "1.62",
            f"{HA_2018}, 20K–100K (closest band)",
            2018,
        ),
        _b("instagram", "macro", "followers", "1.55", f"{HA_2018}, 100K–1M", 2018),
        _b("instagram", "mega", "followers", "1.54", f"{HA_2018}, over 1M", 2018),
        _b("tiktok", "micro", "views", "3.8", f"{RIVAL_IQ_TT}, under 5K followers", 2023),
        _b("tiktok", "mid-tier", "views", "4.14", f"{RIVAL_IQ_TT}, all sizes", 2023),
        _b("tiktok", "macro", "views", "4.14", f"{RIVAL_IQ_TT}, all sizes", 2023),
        _b("tiktok", "mega", "views", "7.5", f"{RIVAL_IQ_TT}, over 1M followers", 2023),
        _b("youtube", "micro", "views", "1.745", f"{MODASH_YT}, 1K–5K: 1.47–2.02%", None),
        _b("youtube", "mid-tier", "views", "0.435", f"{MODASH_YT}, 10K–50K: 0.36–0.51%", None),
        _b("youtube", "macro", "views", "0.23", f"{MODASH_YT}, 100K–500K: 0.19–0.27%", None),
        _b("youtube", "mega", "views", "0.155", f"{MODASH_YT}, over 1M: 0.13–0.18%", None),
    ],
)

HYPEAUDITOR_2023 = TierScheme(
    key="hypeauditor-2023",
    name="HypeAuditor / Hootsuite tiers (nano = 1K–10K, micro = 10K–50K)",
    source="HypeAuditor State of Influencer Marketing 2023; Hootsuite",
    tiers=[
        TierSpec("nano", 1_000, 10_000),
        TierSpec("micro", 10_000, 50_000),
        TierSpec("mid-tier", 50_000, 500_000),
        TierSpec("macro", 500_000, 1_000_000),
        TierSpec("mega", 1_000_000, None),
    ],
    benchmarks=[
        _b("instagram", "nano", "followers", "1.78", "HypeAuditor State of IM 2026, nano", 2026),
        _b("instagram", "micro", "followers", "0.54", "HypeAuditor State of IM 2026, micro", 2026),
        _b("instagram", "mega", "followers", "0.33", "HypeAuditor State of IM 2026, mega", 2026),
        _b("tiktok", "nano", "followers", "12.6", "HypeAuditor State of IM 2023, nano", 2023),
    ],
)

HYPEAUDITOR_2018 = TierScheme(
    key="hypeauditor-2018",
    name="HypeAuditor 2018 tiers (1K–5K, 5K–20K, 20K–100K, 100K–1M, 1M+)",
    source=HA_2018,
    tiers=[
        TierSpec("rookie", 1_000, 5_000),
        TierSpec("up-and-coming", 5_000, 20_000),
        TierSpec("prosumer", 20_000, 100_000),
        TierSpec("maven", 100_000, 1_000_000),
        TierSpec("celebrity", 1_000_000, None),
    ],
    benchmarks=[
        _b("instagram", "rookie", "followers", "4.26", f"{HA_2018}, 1K–5K", 2018),
        _b("instagram", "up-and-coming", "followers", "2.28", f"{HA_2018}, 5K–20K", 2018),
        _b("instagram", "prosumer", "followers", "1.62", f"{HA_2018}, 20K–100K", 2018),
        _b("instagram", "maven", "followers", "1.55", f"{HA_2018}, 100K–1M", 2018),
        _b("instagram", "celebrity", "followers", "1.54", f"{HA_2018}, over 1M", 2018),
    ],
)

SCHEMES = {scheme.key: scheme for scheme in (PRODUCT, HYPEAUDITOR_2023, HYPEAUDITOR_2018)}
DEFAULT_SCHEME = PRODUCT
