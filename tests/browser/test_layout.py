"""Every page of the demo fits a phone and a laptop screen, as each role sees it.

On a phone, wide tables scroll inside their own box; on a laptop nothing is hidden sideways.

The pages are found the way a person finds them, by following links from the home page, so
a page added to the product is covered without touching this file. Each page is saved as a
screenshot under a folder the test prints, for a person to look at.
"""

import os
import tempfile
from io import StringIO
from pathlib import Path
from urllib.parse import urljoin

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from accounts.demo import DEMO_PASSWORD, DEMO_USERS
from accounts.models import Role, User
from tests.test_hostile_input import NOT_PAGES, LinkFinder

pytestmark = pytest.mark.browser

WIDTHS = {"phone": (390, 844), "laptop": (1366, 768)}
MAX_PAGES = 80
CHECKS = (Path(__file__).parent / "layout_checks.js").read_text()


def layout_problems(page, check: str) -> list[str]:
    return page.evaluate(f"({CHECKS}).{check}()")


def demo_pages(email: str) -> list[str]:
    """One address per kind of page (per view) that the person can reach by links."""
    client = Client()
    client.force_login(User.objects.get(email=email))
    queue, seen, pages, kinds = ["/"], set(), [], set()
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        try:
            kind = resolve(url.split("?")[0]).url_name
        except Resolver404:
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        if kind not in kinds:
            kinds.add(kind)
            pages.append(url)
        for link in LinkFinder.links(response.content.decode()):
            target = urljoin(url, link).split("#")[0]
            if target.startswith("/") and not target.startswith(NOT_PAGES):
                queue.append(target)
    return pages


@pytest.fixture(scope="module")
def screenshots():
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tempfile.mkdtemp(prefix="screens-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nScreenshots of every page: {folder}")
    return folder


def _file_name(role: str, width: str, url: str) -> str:
    slug = url.strip("/").replace("/", "_").replace("?", "_").replace("=", "-") or "home"
    return f"{role}-{width}-{slug[:120]}.png"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", [Role.OWNER, Role.MARKETER, Role.MANAGER])
def test_every_page_fits_a_phone_and_a_laptop(role, browser, live_server, screenshots):
    call_command("seed_demo", stdout=StringIO())
    email = DEMO_USERS[role]
    pages = demo_pages(email)
    assert len(pages) >= 12, pages  # the crawl found the product, not only the home page

    problems = []
    for width_name, (width, height) in WIDTHS.items():
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": height}
        )
        page = context.new_page()
        for signed_out in ["/accounts/login/", "/accounts/signup/", "/no-such-page/"]:
            page.goto(signed_out)
            if overflow := layout_problems(page, "overflow"):
                problems.append(f"{width}px signed out {signed_out}: {overflow}")
        page.goto("/accounts/login/")
        page.fill("input[name=login]", email)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.locator("form button[type=submit]").first.click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        for url in pages:
            page.goto(url)
            page.screenshot(path=screenshots / _file_name(role, width_name, url), full_page=True)
            if overflow := layout_problems(page, "overflow"):
                problems.append(f"{width}px {url}: {overflow}")
            if width_name == "laptop" and (hidden := layout_problems(page, "hiddenSideways")):
                problems.append(f"{width}px {url}: {hidden}")
        context.close()
    assert not problems, "\n".join(problems)
