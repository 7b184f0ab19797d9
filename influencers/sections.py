"""Sections that higher apps add to the influencer page.

The influencer page shows the campaigns a person is in (and, later, their deals), but
influencers must not import the apps above it (DESIGN.md). Those apps register a provider
here when they start (their AppConfig.ready); the page shows what the providers return.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    title: str
    template: str  # rendered with `rows` and the page's context
    rows: list


_providers: list[Callable[..., Section]] = []


def register(provider: Callable[..., Section]) -> None:
    """Add a section: `provider(influencer)` returns it, with its rows in one query."""
    if provider not in _providers:
        _providers.append(provider)


def sections_for(influencer) -> list[Section]:
    return [provider(influencer) for provider in _providers]
