"""Places as marketers write them, read as countries (ISO 3166) where one is named.

A target profile of "Germany, Austria, Switzerland" must find an account in Berlin: the
influencer's country is stored as a code beside the city, and the places a profile names are
read as countries when they are one ("Germany", "Deutschland", "DE" in a country column).
"""

from django_countries import countries

# Names people write that are not the English short names django-countries knows.
ALIASES = {
    "uk": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "great britain": "GB",
    "usa": "US",
    "united states": "US",
    "czech republic": "CZ",
    "russia": "RU",
    "south korea": "KR",
    "korea": "KR",
    "vietnam": "VN",
    "turkey": "TR",
    "iran": "IR",
    "taiwan": "TW",
    "u.s.": "US",
    "america": "US",
    "deutschland": "DE",
    "österreich": "AT",
    "schweiz": "CH",
    "suisse": "CH",
    "svizzera": "CH",
    "españa": "ES",
    "italia": "IT",
    "nederland": "NL",
    "holland": "NL",
}


def country_named(text: str) -> str:
    """The code of the country `text` names ("Germany", "Deutschland"), or ""."""
    name = text.strip()
    if not name:
        return ""
    return ALIASES.get(name.lower()) or countries.by_name(name, insensitive=True) or ""


def country_code(text: str) -> str:
    """A country column's value: a name or an ISO 3166 alpha-2 code ("DE", "de"), or ""."""
    value = text.strip()
    if len(value) == 2 and value.upper() in countries:
        return value.upper()
    return country_named(value)


def split_location(location: str) -> tuple[str, str]:
    """A free-text location as (city, country code) when its last part names a country:
    "Vienna, Austria" -> ("Vienna", "AT"); "Germany" -> ("", "DE"); else (location, "").

    Names only, never two-letter parts: "Los Angeles, CA" is not Canada.
    """
    *city, last = [part.strip() for part in location.split(",")]
    if code := country_named(last):
        return ", ".join(city), code
    return location.strip(), ""


def country_name(code: str) -> str:
    return countries.name(code) if code else ""


def country_codes(places) -> set[str]:
    """The codes of the countries among `places`, by name: {"DE", "AT"} for a DACH profile."""
    return {code for place in places if (code := country_named(place))}
