"""Generated hostile input: every form of every page, and every API write of the schema.

Each field is given what a careless paste or a hostile user sends: a NUL character, 100,000
characters, right-to-left and emoji text, the numbers -1, 0 and 10^20, a date that does not
exist. No answer may be a server error, and an answer that refuses the input must leave every
row as it was. Forms are found the way a person finds them, on the pages, so a form added to
a page is covered without touching this file; API writes come from the OpenAPI schema.
"""

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from django.urls import get_resolver, resolve, reverse

from accounts.demo import DEMO_USERS
from accounts.models import Membership, Role
from accounts.tenancy import SESSION_KEY
from tests.test_isolation import OBJECT_URLS, PLAIN_WRITES, _walk, snapshot

TEXT = {
    "NUL": "glow\x00co",
    "100,000 characters": "x" * 100_000,
    "right-to-left and emoji": "\u202eغلو\u202c 👩🏽‍🚀 ✨",
}
NUMBERS = {"-1": "-1", "0": "0", "10^20": "1" + "0" * 20}
DATES = {"a date that does not exist": "2026-02-30"}
# What each kind of control is given: what could be typed or pasted into it.
HOSTILE = {
    "text": TEXT,
    "number": {"NUL": TEXT["NUL"], "100,000 characters": TEXT["100,000 characters"]} | NUMBERS,
    "date": {"NUL": TEXT["NUL"], "100,000 characters": TEXT["100,000 characters"]} | DATES,
    "select": {"NUL": TEXT["NUL"], "no such choice": "-1"},
}
TEXT_INPUTS = {"text", "search", "email", "url", "tel", "password"}
# Refusals as the pages show them: a field's error, a form's error, a message after a redirect.
PARAMETER = re.compile(r"<[^>]+>|\(\?P<[^>]+>[^)]+\)")
FORMSET_ROW = re.compile(r"^\w+-\d+-")
FIRST_ROW = tuple(f"{prefix}-0-" for prefix in ("tiers",))
REFUSAL_MARKERS = ('<p class="error">', '<div class="errors"', 'class="message error"')
# allauth's own pages, whose forms are the product's too.
SIGNED_OUT_PAGES = ["account_login", "account_signup", "account_reset_password"]
SIGNED_IN_PAGES = ["account_email", "account_change_password"]


@dataclass
class Form:
    action: str
    method: str
    values: dict[str, list[str]] = field(default_factory=dict)  # as the browser would send
    editable: dict[str, str] = field(default_factory=dict)  # name -> text, number, date, select


class FormFinder(HTMLParser):
    """The forms of a page, with the values a browser would send as they are."""

    def __init__(self, page_url):
        super().__init__()
        self.page_url, self.forms, self.options = page_url, [], {}
        self.form = self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = urljoin(self.page_url, attrs.get("action") or self.page_url)
            self.form = Form(action=action, method=attrs.get("method", "get").lower())
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "option" and self.select:
            # A browser sends the selected option, or the first when none is.
            self.options.setdefault(self.select, []).append(attrs.get("value", ""))
            if "selected" in attrs:
                self.form.values.setdefault(self.select, []).append(attrs.get("value", ""))
        elif "name" in attrs:
            self._control(tag, attrs["name"], attrs)

    def _control(self, tag, name, attrs):
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.form.values.setdefault(name, []).append(attrs.get("value", "on"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.form.values.setdefault(name, []).append(attrs.get("value", ""))
                if kind in ("number", "date"):
                    self.form.editable[name] = kind
                elif kind in TEXT_INPUTS:
                    self.form.editable[name] = "text"
        elif tag == "textarea":
            self.textarea = name
            self.form.values.setdefault(name, []).append("")
            self.form.editable[name] = "text"
        elif tag == "select":
            self.select = name
            self.form.editable[name] = "select"

    def handle_data(self, data):
        if self.form is not None and self.textarea:
            self.form.values[self.textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select" and self.form is not None:
            if self.select not in self.form.values and self.options.get(self.select):
                self.form.values[self.select] = self.options[self.select][:1]
            self.select = None
        elif tag == "textarea":
            self.textarea = None


# Addresses a crawl does not follow: files to download, the admin, the API, signing out.
NOT_PAGES = ("/influencers/export/", "/admin/", "/api/", "/accounts/logout/", "/static/")
MAX_PAGES = 150


def crawl(client, starts) -> list[Form]:
    """The forms a person meets by following links from the `starts`, one of each kind.

    Forms of one kind (one member's role form, another's) are the same code; the first is
    kept. A kind is the form's view and its fields.
    """
    seen, queue, forms, kinds = set(), list(starts), [], set()
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        page = response.content.decode()
        finder = FormFinder(url)
        finder.feed(page)
        for form in finder.forms:
            view = resolve(urlsplit(form.action).path).url_name
            kind = (view, form.method, tuple(sorted(form.editable)))
            if form.editable and kind not in kinds:
                kinds.add(kind)
                forms.append(form)
        for link in LinkFinder.links(page):
            target = urljoin(url, link).split("#")[0]
            if target.startswith("/") and not target.startswith(NOT_PAGES):
                queue.append(target)
    return forms


class LinkFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.found.append(href)

    @classmethod
    def links(cls, page: str) -> list[str]:
        finder = cls()
        finder.feed(page)
        return finder.found


def refused(response) -> bool:
    if any(status >= 400 for _, status in response.redirect_chain) or response.status_code >= 400:
        return True
    page = response.content.decode(errors="replace")
    return any(marker in page for marker in REFUSAL_MARKERS)


def send_hostile_values(client, forms, organization=None) -> list[str]:
    """Post every hostile value into every editable field; returns what went wrong.

    With an `organization`, every request acts in it: creating an organisation (onboarding)
    switches the session to the new one, where the other forms' rows do not exist.
    """
    problems, sent, rows = [], 0, snapshot()
    for form in forms:
        for name, kind in form.editable.items():
            if FORMSET_ROW.search(name) and not name.startswith(FIRST_ROW):
                continue  # the other rows of a table are the same fields
            for label, value in HOSTILE[kind].items():
                if organization is not None:
                    session = client.session
                    session[SESSION_KEY] = str(organization.code)
                    session.save()
                data = {**form.values, name: [value]}
                if form.method == "post":
                    response = client.post(form.action, data, follow=True)
                else:
                    response = client.get(form.action, data)
                sent += 1
                where = f"{form.method.upper()} {form.action} {name}={label}"
                before, rows = rows, snapshot()
                if response.status_code >= 500:
                    problems.append(f"{where}: {response.status_code}")
                elif (form.method == "get" or refused(response)) and rows != before:
                    problems.append(f"{where}: refused or a search, yet rows changed")
    assert sent, "no form was found"
    return problems


@pytest.mark.django_db
def test_no_form_of_the_product_fails_or_half_saves_on_hostile_input():
    call_command("seed_demo", stdout=StringIO())
    owner = Client(raise_request_exception=False)  # a server error is listed, not raised
    membership = Membership.objects.get(user__email=DEMO_USERS[Role.OWNER])
    owner.force_login(membership.user)
    forms = crawl(owner, ["/", *(reverse(name) for name in SIGNED_IN_PAGES)])
    assert len(forms) >= 30, [form.action for form in forms]
    assert send_hostile_values(owner, forms, membership.organization) == []


@pytest.mark.django_db
def test_no_form_of_a_signed_out_visitor_fails_on_hostile_input():
    visitor = Client(raise_request_exception=False)
    forms = crawl(visitor, [reverse(name) for name in SIGNED_OUT_PAGES])
    assert len(forms) >= 3
    assert send_hostile_values(visitor, forms) == []


@pytest.mark.django_db
def test_no_address_with_a_nul_in_its_parameters_is_a_server_error(team):
    """Every URL pattern with its parameters given a NUL, signed in and signed out."""
    member = team.client_for(team.owner)
    member.raise_request_exception = False
    visitor = Client(raise_request_exception=False)
    routes = [route for route, _ in _walk(get_resolver().url_patterns) if "<" in route]
    assert any("invitations" in route for route in routes)
    for route in routes:
        url = "/" + PARAMETER.sub("%00", route)
        for client in (member, visitor):
            for method in (client.get, client.post):
                assert method(url).status_code < 500, url


# --- The API, from its schema -------------------------------------------------------------------


def request_bodies(schema) -> list[tuple[str, str, str, dict]]:
    """(method, path template, URL name, request body schema) of every API write."""
    components = schema["components"]["schemas"]
    writes = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                ref = body["schema"]["$ref"].rsplit("/", 1)[-1]
                writes.append((method, path, components[ref]))
    return writes


def hostile_values_for(prop: dict) -> dict[str, object]:
    """What to send a property: hostile text to text, numbers to numbers, bad dates to dates."""
    kind = prop.get("type") or (prop.get("oneOf") or [{}])[0].get("type")
    if kind == "integer" or kind == "number":
        return {"-1": -1, "0": 0, "10^20": 10**20}
    if kind == "array":
        return {f"[{label}]": [value] for label, value in TEXT.items()}
    if kind == "object":
        return {f"{{{label}}}": {"instagram": value} for label, value in TEXT.items()}
    values = dict(TEXT)
    if prop.get("format") == "date":
        values |= DATES
    if prop.get("format") == "decimal":
        values |= NUMBERS | {"10^20 as a number": 10**20}
    return values


@pytest.mark.django_db
def test_no_api_write_fails_or_half_saves_on_hostile_input(team, client):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    # Signed in by session, not token: a token's last-used time is a write of its own.
    client.force_login(team.owner.user)
    client.raise_request_exception = False  # a server error is listed, not raised
    problems, sent, built, rows = [], 0, {}, snapshot()
    for method, template, body in request_bodies(schema):
        name = resolve(template.replace("{code}", "00000000-0000-0000-0000-000000000000"))
        case = OBJECT_URLS.get(name.url_name)
        if "{code}" in template:
            if case is None:
                continue
            if case.build not in built:  # one object per builder: some build fixed names
                built[case.build] = case.build(team)
                rows = snapshot()
            url = reverse(name.url_name, kwargs=built[case.build])
            request = next((r for r in case.writes if r.method.lower() == method), None)
        else:
            url, request = template, PLAIN_WRITES.get(name.url_name)
        base = dict(request.data or {}) if request else {}
        for prop_name, prop in body.get("properties", {}).items():
            if prop.get("readOnly"):
                continue
            for label, value in hostile_values_for(prop).items():
                data = json.dumps({**base, prop_name: value})
                response = client.generic(method, url, data, content_type="application/json")
                sent += 1
                where = f"{method.upper()} {template} {prop_name}={label}"
                before, rows = rows, snapshot()
                if response.status_code >= 500:
                    problems.append(f"{where}: {response.status_code}")
                elif response.status_code >= 400 and rows != before:
                    problems.append(f"{where}: refused, yet rows changed")
                elif response.status_code >= 400:
                    assert response.json()["errors"], where  # the API's error shape
    assert sent > 300, sent
    assert problems == []
