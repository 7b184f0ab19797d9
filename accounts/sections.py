"""Sections that higher apps add to the pages of lower ones.

The home page shows the live campaigns and the influencer page the campaigns a person is
in, but accounts and influencers must not import the apps above them (DESIGN.md). Those
apps register a provider here when they start (their AppConfig.ready); a page shows what
the providers registered for it return, in the order they registered.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    title: str
    template: str  # rendered with `rows` and the page's context
    rows: list


_providers: dict[str, list[Callable[..., Section]]] = {}


def register(page: str, provider: Callable[..., Section]) -> None:
    """Add a section to `page` ("home", "influencer"): `provider(obj)` returns it, its rows
    loaded in a fixed number of queries."""
    providers = _providers.setdefault(page, [])
    if provider not in providers:
        providers.append(provider)


def sections_for(page: str, obj) -> list[Section]:
    return [provider(obj) for provider in _providers.get(page, [])]
