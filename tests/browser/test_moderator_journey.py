"""A moderator's first day in a real browser: a new staff member signs in with their password
(asked once), sets up an authenticator app, keeps the recovery codes and continues to the
admin, whose home shows the one organisation waiting; they publish it, and its history says
who did it."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from playwright.sync_api import expect

from organisations import services
from organisations.models import Organisation
from tests.accounts import current_totp_code
from tests.clock import frozen_clock
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@frozen_clock
def test_a_moderator_publishes_the_one_waiting_organisation_and_the_history_names_them(
    live_server, page, screenshot
):
    moderator = UserFactory(
        email="mira@peacenet.example",
        first_name="Mira",
        last_name="de Wit",
        is_staff=True,
        is_superuser=True,
    )
    EmailAddress.objects.create(user=moderator, email=moderator.email, verified=True, primary=True)
    owner = UserFactory(email="amina@voices.example")
    services.register_organisation(
        organisation=Organisation(
            name="Voices of the Diaspora for Peace",
            kind=Organisation.Kind.DIASPORA,
            summary="Brings diaspora youth and policymakers together.",
            city="The Hague",
        ),
        relations={},
        owner=owner,
    )

    # Sign in once with the password: the admin sends a new moderator straight to setting up
    # an authenticator app, without asking for the password again.
    page.goto(live_server.url + reverse("admin:index"))
    page.get_by_label("Email").fill(moderator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("mfa_activate_totp")) + "$"))
    screenshot("set-up-the-app")
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(current_totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery Codes")
    screenshot("recovery-codes")
    page.get_by_role("link", name="Continue to the admin").click()
    page.locator("input[name=code]").fill(current_totp_code(secret))
    page.get_by_role("button", name="Confirm").click()

    # The admin's home shows the one organisation waiting; the moderator publishes it.
    waiting = page.get_by_role("row", name=re.compile("Organisations waiting for review"))
    expect(waiting.get_by_role("cell")).to_have_text("1")
    screenshot("admin-home")
    waiting.get_by_role("link", name="Organisations waiting for review").click()
    page.get_by_role("row", name=re.compile("Voices of the Diaspora")).get_by_role(
        "checkbox"
    ).check()
    page.get_by_label("Action:").select_option(label="Publish the selected organisations")
    page.get_by_role("button", name="Run").click()
    expect(page.locator(".messagelist")).to_contain_text("1 organisation published.")
    organisation = Organisation.objects.get(name="Voices of the Diaspora for Peace")
    assert organisation.status == Organisation.Status.PUBLISHED

    # The organisation's history says who registered it and who published it.
    page.goto(
        live_server.url
        + reverse("admin:organisations_organisation_change", args=[organisation.pk])
    )
    page.get_by_role("link", name="History").click()
    history = page.locator("#change-history")
    published = history.get_by_role("row", name=re.compile("Published"))
    expect(published).to_contain_text(moderator.email)
    expect(published).to_contain_text("Mira de Wit")
    expect(history.get_by_role("row", name=re.compile("Registered on the site"))).to_contain_text(
        owner.email
    )
    expect(history).not_to_contain_text("Deleted")
    screenshot("history")
