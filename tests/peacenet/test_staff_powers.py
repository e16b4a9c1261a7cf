"""Staff powers need a second factor in the session, on the public site as in the admin
(``peacenet.lib.staff``): without it, staff are plain members and are offered the way to one."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode

from organisations.models import Organisation
from partnerships.models import ProposalStatus, StatusChange
from peacenet.lib.staff import has_staff_powers, needs_second_factor
from tests.accounts import (
    current_totp_code,
    sign_in_with_mfa,
    sign_in_with_password,
    with_second_factor,
)
from tests.clock import frozen_clock
from tests.factories import OrganisationFactory, UserFactory
from tests.partnerships.factories import ProposalFactory

pytestmark = pytest.mark.django_db

ADMIN = reverse("admin:index")


def test_staff_powers_need_active_staff_with_a_second_factor():
    assert not has_staff_powers(UserFactory(is_staff=True))  # Outside a request: no powers.
    assert has_staff_powers(with_second_factor(UserFactory(is_staff=True)))
    assert not has_staff_powers(with_second_factor(UserFactory()))
    assert not has_staff_powers(with_second_factor(UserFactory(is_staff=True, is_active=False)))
    assert not has_staff_powers(None)


def test_needs_second_factor_only_for_staff_without_staff_powers():
    assert needs_second_factor(UserFactory(is_staff=True))
    assert not needs_second_factor(with_second_factor(UserFactory(is_staff=True)))
    assert not needs_second_factor(UserFactory())


def test_nav_links_the_admin_for_staff_with_a_second_factor(client):
    body = sign_in_with_mfa(client, UserFactory(is_staff=True)).get("/").content.decode()

    assert f'href="{ADMIN}"' in body
    assert reverse("mfa_activate_totp") not in body


def test_nav_offers_staff_without_an_authenticator_to_set_one_up(client):
    body = sign_in_with_password(client, UserFactory(is_staff=True)).get("/").content.decode()

    assert f'href="{ADMIN}"' not in body
    assert f'href="{reverse("mfa_activate_totp")}"' in body


def test_nav_asks_staff_with_an_authenticator_for_their_code(client):
    staff = UserFactory(is_staff=True)
    TOTP.activate(staff, generate_totp_secret())

    body = sign_in_with_password(client, staff).get("/").content.decode()

    assert f'href="{ADMIN}"' not in body
    assert f'href="{reverse("mfa_reauthenticate")}?next=%2F"' in body


def test_nav_shows_members_neither_the_admin_nor_a_second_factor(client):
    client.force_login(UserFactory())

    body = client.get("/").content.decode()

    assert f'href="{ADMIN}"' not in body
    assert reverse("mfa_activate_totp") not in body
    assert reverse("mfa_reauthenticate") not in body


@frozen_clock
def test_entering_the_second_factor_turns_staff_powers_on_in_the_same_session(client):
    staff = UserFactory(is_staff=True)
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    pending = OrganisationFactory(status=Organisation.Status.PENDING)
    sign_in_with_password(client, staff)

    before = client.get(pending.get_absolute_url())
    offer = reverse("mfa_reauthenticate") + "?" + urlencode({"next": pending.get_absolute_url()})
    confirmed = client.post(offer, {"code": current_totp_code(secret)})
    after = client.get(pending.get_absolute_url())

    assert before.status_code == 404
    assert f'href="{escape(offer)}"' in before.text
    assert confirmed.status_code == 302
    assert confirmed["Location"] == pending.get_absolute_url()
    assert after.status_code == 200


def test_proposal_history_names_the_person_to_staff_with_a_second_factor_only(client):
    proposal = ProposalFactory(title="Peace Talks")
    person = UserFactory(first_name="Amina", last_name="Diallo")
    StatusChange.objects.create(
        proposal=proposal,
        from_status=ProposalStatus.DRAFT,
        to_status=ProposalStatus.OPEN,
        by=person,
    )
    staff = UserFactory(is_staff=True)

    without = sign_in_with_password(client, staff).get(proposal.get_absolute_url()).text
    with_mfa = sign_in_with_mfa(client, staff).get(proposal.get_absolute_url()).text

    assert str(person) not in without
    assert str(person) in with_mfa
