"""The first-week journey of a team, driven through the real product in headless Chromium.

Alice signs up, verifies her email from the link she was sent, creates her organisation and
a brand, and invites Bob; Bob follows the invitation, signs up, verifies and joins; Alice
makes him a manager, after which Bob can read brands but no longer add them. Everything goes
through pages and clicks; emails are read from Django's locmem outbox.
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Brand, Invitation, Membership, Role
from tests.factories import InvitationFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALICE = "alice@example.com"
BOB = "bob@example.com"
PASSWORD = "Violet-Orchard-Lantern-4821"


def _link_in(message, pattern: str, live_server_url: str) -> str:
    """The one link in `message`'s text body whose path matches `pattern`."""
    links = re.findall(r"https?://[^\s\"'<>]+", message.body)
    wanted = [link for link in links if re.search(pattern, urlsplit(link).path)]
    assert len(wanted) == 1, f"no single link matching {pattern!r} in email:\n{message.body}"
    assert wanted[0].startswith(live_server_url + "/"), wanted[0]
    return wanted[0]


def _sign_up_and_verify(
    page: Page, email: str, mailoutbox, live_server_url: str, screenshot=None
) -> None:
    """Fill allauth's sign-up form on the current page, then open and confirm the email link."""
    expect(page.get_by_role("heading", name="Sign up")).to_be_visible()
    sent_before = len(mailoutbox)
    # allauth renders Django's default labels, with a colon: "Email:", "Password:", ...
    page.get_by_label(re.compile(r"^Email:?$")).fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Password \(again\):?$")).fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    expect(page.get_by_text("We have sent an email to you for verification")).to_be_visible()
    if screenshot:
        page.screenshot(path=str(screenshot), full_page=True)
    new_mail = [m for m in mailoutbox[sent_before:] if email in m.to]
    assert len(new_mail) == 1, [m.subject for m in mailoutbox]
    page.goto(_link_in(new_mail[0], r"/accounts/confirm-email/", live_server_url))

    expect(page.get_by_role("heading", name="Confirm Email Address")).to_be_visible()
    page.get_by_role("button", name="Confirm").click()
    # Signed in: the top bar names the user and offers to sign out.
    expect(page.locator("header .who")).to_have_text(email)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_team_signs_up_sets_up_a_brand_and_invites_a_manager(
    new_page, live_server, mailoutbox, tmp_path
):
    url = live_server.url
    alice = new_page()

    # 1. Alice opens the product, is sent to sign in, goes to sign up, verifies her email.
    alice.goto("/")
    expect(alice).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(alice.get_by_role("heading", name="Sign in")).to_be_visible()
    alice.locator("header").get_by_role("link", name="Sign up").click()
    _sign_up_and_verify(alice, ALICE, mailoutbox, url, screenshot=tmp_path / "verify.png")

    # 2. With no organisation yet she lands on the welcome page and creates one.
    expect(alice).to_have_url(f"{url}/welcome/")
    expect(alice.get_by_role("heading", name="Welcome", exact=True)).to_be_visible()
    alice.screenshot(path=str(tmp_path / "welcome.png"), full_page=True)
    alice.get_by_label("Name").fill("Alice Skincare")
    alice.get_by_role("button", name="Create organisation").click()

    expect(alice).to_have_url(f"{url}/settings/brands/")
    expect(alice.get_by_text("Alice Skincare is ready. Add your brand next.")).to_be_visible()
    alice.get_by_role("link", name="Add a brand").click()
    alice.get_by_label("Name").fill("Glow Serum")
    alice.get_by_label("Website").fill("https://glowserum.example")
    alice.get_by_label("Hashtags").fill("#GlowUp, #serumtime")
    alice.get_by_label("Instagram handle").fill("@glowserum")
    alice.get_by_role("button", name="Save brand").click()

    expect(alice).to_have_url(f"{url}/settings/brands/")
    expect(alice.get_by_text("Brand Glow Serum added.")).to_be_visible()
    brand_row = alice.get_by_role("row").filter(has_text="Glow Serum")
    expect(brand_row).to_contain_text("https://glowserum.example")
    expect(brand_row).to_contain_text("Instagram @glowserum")
    expect(brand_row).to_contain_text("#glowup")
    expect(brand_row).to_contain_text("#serumtime")
    alice.screenshot(path=str(tmp_path / "brands.png"), full_page=True)

    # 7. A bad address is refused on the page, and nothing is sent.
    alice.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    alice.get_by_role("navigation", name="Settings").get_by_role("link", name="Members").click()
    expect(alice.get_by_role("heading", name="Members")).to_be_visible()
    sent_before = len(mailoutbox)
    alice.get_by_label("Email", exact=True).fill("bob-at-example")
    # The browser's own check of type=email would stop the submit; test the server's answer.
    send = alice.get_by_role("button", name="Send invitation")
    send.evaluate("button => { button.form.noValidate = true; }")
    send.click()
    expect(alice.locator(".field.has-error .error")).to_have_text("Enter a valid email address.")
    expect(alice.get_by_text("No open invitations.")).to_be_visible()
    assert len(mailoutbox) == sent_before
    assert not Invitation.objects.exists()

    # 3. She invites Bob as a marketer.
    alice.get_by_label("Email", exact=True).fill(BOB)
    alice.get_by_label("Role", exact=True).select_option(label="Marketer")
    alice.get_by_role("button", name="Send invitation").click()
    expect(alice.get_by_text(f"Invitation sent to {BOB}.")).to_be_visible()
    invitation_row = alice.get_by_role("row").filter(has_text=BOB)
    expect(invitation_row).to_contain_text("Marketer")
    expect(invitation_row).to_contain_text("Sent")
    alice.screenshot(path=str(tmp_path / "members.png"), full_page=True)
    invitation_mail = [m for m in mailoutbox[sent_before:] if BOB in m.to]
    assert len(invitation_mail) == 1
    assert "Alice Skincare" in invitation_mail[0].subject
    invitation_link = _link_in(invitation_mail[0], r"^/invitations/[^/]+/$", url)

    # 4. Bob, in his own browser, follows the link, signs up, verifies and accepts.
    bob = new_page()
    bob.goto(invitation_link)
    expect(bob.get_by_role("heading", name="Join Alice Skincare")).to_be_visible()
    expect(bob.get_by_text(f"You are invited as marketer ({BOB})")).to_be_visible()
    bob.get_by_role("link", name="create an account").click()
    _sign_up_and_verify(bob, BOB, mailoutbox, url)

    # Back on the invitation, or on the welcome page, which lists it (where a new sign-up
    # lands today: see test_new_sign_up_returns_to_the_invitation below): accept it.
    accept = bob.get_by_role("button", name=re.compile(r"^Accept and join"))
    expect(accept).to_be_visible()
    bob.screenshot(path=str(tmp_path / "bob-after-verification.png"), full_page=True)
    accept.click()
    expect(bob.get_by_text("Welcome to Alice Skincare.")).to_be_visible()
    expect(bob.get_by_role("heading", name="Alice Skincare")).to_be_visible()
    expect(bob.get_by_text("You are working here as marketer.")).to_be_visible()

    # 5. Alice makes Bob a manager.
    alice.reload()
    expect(alice.get_by_text("No open invitations.")).to_be_visible()
    alice.get_by_label(f"Role of {BOB}").select_option(label="Manager")
    alice.get_by_role("row").filter(has_text=BOB).get_by_role("button", name="Change").click()
    expect(alice.get_by_text(f"{BOB} is now a manager.")).to_be_visible()
    expect(alice.get_by_role("row").filter(has_text=BOB)).to_contain_text("Manager")
    assert Membership.objects.get(user__email=BOB).role == Role.MANAGER

    # 6. Bob, now a manager, reads the brand but cannot add or save brands.
    bob.reload()
    expect(bob.get_by_text("You are working here as manager.")).to_be_visible()
    bob.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    bob.get_by_role("navigation", name="Settings").get_by_role("link", name="Brands").click()
    expect(bob.get_by_role("heading", name="Brands")).to_be_visible()
    expect(bob.get_by_role("link", name="Add a brand")).to_have_count(0)
    bob.get_by_role("link", name="Glow Serum").click()
    expect(bob.get_by_role("heading", name="Glow Serum")).to_be_visible()
    expect(bob.get_by_label("Instagram handle")).to_have_value("glowserum")
    expect(bob.get_by_text("Managers read brands; marketers and owners edit them.")).to_be_visible()
    expect(bob.get_by_role("button", name="Save brand")).to_have_count(0)
    expect(bob.get_by_role("button", name=re.compile("^Delete"))).to_have_count(0)
    bob.screenshot(path=str(tmp_path / "manager-brand.png"), full_page=True)
    expect(bob.get_by_label("Name")).to_be_disabled()
    # A crafted submission (fields re-enabled by hand) is refused all the same.
    bob.get_by_label("Name").evaluate("input => { input.disabled = false; }")
    bob.get_by_label("Name").fill("Renamed by a manager")
    with bob.expect_navigation():
        bob.get_by_label("Name").evaluate("input => input.form.requestSubmit()")
    expect(bob.get_by_role("heading", name="You can’t do that here")).to_be_visible()
    assert Brand.objects.get().name == "Glow Serum"

    response = bob.goto("/settings/brands/new/")
    assert response.status == 403
    expect(bob.get_by_role("heading", name="You can’t do that here")).to_be_visible()
    bob.screenshot(path=str(tmp_path / "forbidden.png"), full_page=True)


def test_new_sign_up_returns_to_the_invitation(new_page, live_server, mailoutbox):
    """The invitation page promises "You will come back here afterwards"."""
    owner = MembershipFactory(role=Role.OWNER, organization__name="Alice Skincare")
    invitation = InvitationFactory(
        organization=owner.organization, email=BOB, invited_by=owner.user
    )
    bob = new_page()
    bob.goto(f"/invitations/{invitation.token}/")
    expect(bob.get_by_text("You will come back here afterwards")).to_be_visible()
    bob.get_by_role("link", name="create an account").click()
    _sign_up_and_verify(bob, BOB, mailoutbox, live_server.url)

    # Already signed in (checked above), so the page has loaded: no need to wait long.
    expect(bob).to_have_url(f"{live_server.url}/invitations/{invitation.token}/", timeout=1000)
    expect(bob.get_by_role("heading", name="Join Alice Skincare")).to_be_visible()
