"""The whole registration path in a real browser: a newcomer signs up, verifies their email,
registers their organisation and sees it waiting; a staff member signs in with a password and a
TOTP code and publishes it; the organisation appears in the directory."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from playwright.sync_api import expect

from organisations.models import Membership, Organisation
from tests.accounts import current_totp_code
from tests.clock import frozen_clock
from tests.factories import PASSWORD, NetworkGroupFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONFIRMATION_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


@frozen_clock
def test_sign_up_register_and_get_published(
    live_server, page, new_context, mailoutbox, screenshot
):
    NetworkGroupFactory(name="Youth", slug="youth")
    staff = UserFactory(email="moderator@peacenet.example", is_staff=True, is_superuser=True)
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)

    # Sign up and verify the address from the email.
    page.goto(live_server.url + reverse("account_signup"))
    page.get_by_label("Email").fill("amina@voices.example")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    screenshot("sign-up")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verify")
    screenshot("verification-sent")
    link = CONFIRMATION_LINK.search(mailoutbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    screenshot("verified")

    # Register the organisation; it waits for review.
    page.get_by_role("link", name="Register an organisation").click()
    page.get_by_label(re.compile("^Name:?$")).fill("Voices of the Diaspora for Peace")
    page.get_by_label("Kind").select_option(label="Diaspora organisation")
    summary = page.get_by_label("Summary:", exact=True)
    summary.fill("Brings diaspora youth and policymakers together.")
    page.get_by_label("Website").fill("https://voices.example")
    page.get_by_label("Youth").check()
    page.get_by_label(re.compile("^I may represent this organisation")).check()
    screenshot("register")
    page.get_by_role("button", name="Register for review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    expect(page.get_by_text("Waiting for review").first).to_be_visible()
    screenshot("waiting-for-review")
    organisation = Organisation.objects.get(name="Voices of the Diaspora for Peace")
    assert organisation.status == Organisation.Status.PENDING
    assert organisation.memberships.get().role == Membership.Role.OWNER
    assert organisation.network_groups.get().slug == "youth"

    # Staff sign in with a password and a code from their authenticator app, then publish.
    staff_page = new_context().new_page()
    staff_page.goto(live_server.url + reverse("admin:organisations_organisation_changelist"))
    staff_page.get_by_label("Email").fill(staff.email)
    staff_page.get_by_label("Password").fill(PASSWORD)
    staff_page.get_by_role("button", name="Sign in").click()
    code = current_totp_code(secret)
    staff_page.get_by_label("Code").fill(code)
    screenshot("staff-two-factor", of=staff_page)
    staff_page.get_by_role("button", name="Sign in").click()
    staff_page.get_by_role("row", name=re.compile("Voices of the Diaspora")).get_by_role(
        "checkbox"
    ).check()
    staff_page.get_by_label("Action:").select_option(label="Publish the selected organisations")
    staff_page.get_by_role("button", name="Run").click()
    expect(staff_page.locator(".messagelist")).to_contain_text("1 organisation published.")
    screenshot("published", of=staff_page)
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.PUBLISHED
    assert organisation.moderated_by == staff
    assert "is now in the directory" in mailoutbox[-1].subject

    # Anyone now finds it in the directory.
    visitor = new_context().new_page()
    visitor.goto(live_server.url + reverse("organisations:directory") + "?q=voices")
    expect(visitor.get_by_role("link", name="Voices of the Diaspora for Peace")).to_be_visible()
    screenshot("found-in-directory", of=visitor)


def test_account_and_organisation_pages_have_no_wcag_violations(
    live_server, page, log_in, axe_violations, screenshot
):
    from tests.factories import MembershipFactory, OrganisationFactory

    reports = []

    def check(name, path):
        response = page.goto(live_server.url + path)
        assert response.ok, f"{name}: {path} answered {response.status}"
        screenshot(name)
        if report := axe_violations():
            reports.append(f"[{name}] {report}")

    for name in ("account_login", "account_signup", "account_reset_password"):
        check(name, reverse(name))

    owner = UserFactory()
    EmailAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)
    published = MembershipFactory(user=owner).organisation
    MembershipFactory(
        user=owner,
        organisation=OrganisationFactory(status="rejected", status_reason="Too vague."),
    )
    preloaded = OrganisationFactory(name="Preloaded Peace Org")
    log_in(owner)

    check("dashboard", reverse("dashboard"))
    check("register", reverse("organisations:register"))
    page.get_by_role("button", name="Register for review").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    screenshot("register-errors")
    if report := axe_violations():
        reports.append(f"[register-errors] {report}")
    slug = {"slug": published.slug}
    check("profile-as-owner", published.get_absolute_url())
    check("edit", reverse("organisations:edit", kwargs=slug))
    check("members", reverse("organisations:members", kwargs=slug))
    check("claim", reverse("organisations:claim", kwargs={"slug": preloaded.slug}))
    check("contact", reverse("organisations:contact", kwargs={"slug": preloaded.slug}))
    for name in ("account_email", "account_change_password", "mfa_index", "account_logout"):
        check(name, reverse(name))

    assert not reports, "\n\n".join(reports)
