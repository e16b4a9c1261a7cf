"""Ownership that can be handed over: owners make an editor an owner and step down; nobody
leaving, stepping down or being removed ever leaves an organisation without an owner."""

import pytest
from django.core import mail
from django.urls import reverse

from organisations import services
from organisations.models import Membership
from tests.accounts import client_as
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Peace Builders")


def url(name, membership):
    return reverse(
        f"organisations:{name}",
        kwargs={"slug": membership.organisation.slug, "pk": membership.pk},
    )


def members_url(organisation):
    return reverse("organisations:members", kwargs={"slug": organisation.slug})


def leave_url(organisation):
    return reverse("organisations:leave", kwargs={"slug": organisation.slug})


def role_of(membership):
    found = Membership.objects.filter(pk=membership.pk).first()
    return found.role if found else None


def test_owner_hands_over_to_an_editor_and_steps_down(
    client, organisation, django_capture_on_commit_callbacks
):
    client = client_as(client, "owner", organisation)
    mine = Membership.objects.get(user=client.user)
    editor = MembershipFactory(
        organisation=organisation,
        role=Membership.Role.EDITOR,
        user=UserFactory(first_name="Amina", last_name="Yusuf", email="amina@example.org"),
    )

    with django_capture_on_commit_callbacks(execute=True):
        handed = client.post(url("make_owner", editor), follow=True)
    stepped = client.post(url("step_down", mine), follow=True)

    assert (role_of(editor), role_of(mine)) == (Membership.Role.OWNER, Membership.Role.EDITOR)
    assert "Amina Yusuf is now an owner" in handed.content.decode()
    [told] = mail.outbox
    assert told.to == ["amina@example.org"]
    assert "Peace Builders" in told.subject
    # No longer an owner, the former owner cannot manage members and lands on the dashboard.
    assert stepped.redirect_chain[-1][0] == reverse("dashboard")
    assert client.get(members_url(organisation)).status_code == 403


def test_sole_owner_is_offered_neither_remove_me_nor_step_down(client, organisation):
    client = client_as(client, "owner", organisation)
    mine = Membership.objects.get(user=client.user)
    editor = MembershipFactory(organisation=organisation, role=Membership.Role.EDITOR)

    page = client.get(members_url(organisation)).content.decode()
    dashboard = client.get(reverse("dashboard")).content.decode()

    assert url("remove_member", mine) not in page
    assert url("step_down", mine) not in page
    assert "The only owner: make another member owner" in page
    assert url("make_owner", editor) in page
    assert url("remove_member", editor) in page
    assert leave_url(organisation) not in dashboard


def test_with_two_owners_remove_me_and_step_down_are_offered(client, organisation):
    client = client_as(client, "owner", organisation)
    mine = Membership.objects.get(user=client.user)
    MembershipFactory(organisation=organisation, role=Membership.Role.OWNER)

    page = client.get(members_url(organisation)).content.decode()

    assert url("remove_member", mine) in page
    assert "Remove me" in page
    assert url("step_down", mine) in page
    assert leave_url(organisation) in client.get(reverse("dashboard")).content.decode()


@pytest.mark.parametrize("how", ["step_down", "remove_member", "leave"])
def test_sole_owner_cannot_strand_the_organisation(client, organisation, how):
    client = client_as(client, "owner", organisation)
    mine = Membership.objects.get(user=client.user)
    MembershipFactory(organisation=organisation, role=Membership.Role.EDITOR)
    target = leave_url(organisation) if how == "leave" else url(how, mine)

    response = client.post(target, follow=True)

    assert role_of(mine) == Membership.Role.OWNER
    assert "Peace Builders needs at least one owner" in response.content.decode()


def test_owner_leaves_after_handing_over(client, organisation):
    client = client_as(client, "owner", organisation)
    mine = Membership.objects.get(user=client.user)
    editor = MembershipFactory(organisation=organisation, role=Membership.Role.EDITOR)
    client.post(url("make_owner", editor))

    response = client.post(leave_url(organisation), follow=True)

    assert role_of(mine) is None
    assert role_of(editor) == Membership.Role.OWNER
    assert "You are no longer a member of Peace Builders" in response.content.decode()


def test_editor_leaves_from_the_dashboard(client, organisation):
    MembershipFactory(organisation=organisation, role=Membership.Role.OWNER)
    client = client_as(client, "editor", organisation)
    mine = Membership.objects.get(user=client.user)

    assert leave_url(organisation) in client.get(reverse("dashboard")).content.decode()
    client.post(leave_url(organisation))

    assert role_of(mine) is None
    assert organisation.memberships.filter(role=Membership.Role.OWNER).count() == 1


def test_leave_an_organisation_one_is_not_a_member_of_is_404(client, organisation):
    MembershipFactory(organisation=organisation, role=Membership.Role.OWNER)
    client = client_as(client, "other_member", organisation)

    response = client.post(leave_url(organisation))

    assert response.status_code == 404
    assert organisation.memberships.count() == 1


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("owner", True),
        ("editor", False),
        ("other_member", False),
        ("anonymous", False),
        ("staff", True),
        ("staff_without_mfa", False),
    ],
)
def test_make_owner_is_for_owners_and_staff(client, organisation, role, allowed):
    MembershipFactory(organisation=organisation, role=Membership.Role.OWNER)
    editor = MembershipFactory(organisation=organisation, role=Membership.Role.EDITOR)
    client = client_as(client, role, organisation)

    client.post(url("make_owner", editor))

    assert (role_of(editor) == Membership.Role.OWNER) is allowed


def test_make_owner_and_step_down_refuse_what_is_already_so(client, organisation):
    client = client_as(client, "owner", organisation)
    other_owner = MembershipFactory(organisation=organisation, role=Membership.Role.OWNER)
    editor = MembershipFactory(organisation=organisation, role=Membership.Role.EDITOR)

    again = client.post(url("make_owner", other_owner), follow=True)
    not_owner = client.post(url("step_down", editor), follow=True)

    assert "is already an owner" in again.content.decode()
    assert "is not an owner" in not_owner.content.decode()
    assert (role_of(other_owner), role_of(editor)) == (
        Membership.Role.OWNER,
        Membership.Role.EDITOR,
    )


def test_membership_of_another_organisation_through_this_address_is_404(client, organisation):
    client = client_as(client, "owner", organisation)
    elsewhere = MembershipFactory(role=Membership.Role.EDITOR)

    response = client.post(
        reverse(
            "organisations:make_owner",
            kwargs={"slug": organisation.slug, "pk": elsewhere.pk},
        )
    )

    assert response.status_code == 404
    assert role_of(elsewhere) == Membership.Role.EDITOR


def test_the_last_of_two_owners_stepping_down_one_after_the_other_keeps_one(organisation):
    first = MembershipFactory(organisation=organisation, role=Membership.Role.OWNER)
    second = MembershipFactory(organisation=organisation, role=Membership.Role.OWNER)

    services.step_down(membership=first, by=first.user)
    with pytest.raises(services.DomainError):
        services.step_down(membership=second, by=second.user)
    with pytest.raises(services.DomainError):
        services.remove_member(membership=second, by=second.user)

    assert organisation.memberships.filter(role=Membership.Role.OWNER).get() == second


# Names and addresses shown once -------------------------------------------------------------


def test_a_person_is_shown_with_their_name_and_address_once():
    named = UserFactory(first_name="Bob", last_name="Jansen", email="bob@example.org")
    unnamed = UserFactory(first_name="", last_name="", email="anon@example.org")

    assert named.name_and_address == "Bob Jansen <bob@example.org>"
    assert unnamed.name_and_address == "anon@example.org"


def test_members_page_shows_each_person_once(client, organisation):
    client = client_as(client, "owner", organisation)
    MembershipFactory(
        organisation=organisation,
        role=Membership.Role.EDITOR,
        user=UserFactory(first_name="Bob", last_name="Jansen", email="bob@example.org"),
    )
    MembershipFactory(
        organisation=organisation,
        role=Membership.Role.EDITOR,
        user=UserFactory(first_name="", last_name="", email="anon@example.org"),
    )

    page = client.get(members_url(organisation)).content.decode()
    rows = page.split("<tr>")

    bob = next(row for row in rows if "bob@example.org" in row)
    anon = next(row for row in rows if "anon@example.org" in row)
    assert '<td data-label="Person">Bob Jansen &lt;bob@example.org&gt;</td>' in bob
    assert '<td data-label="Person">anon@example.org</td>' in anon
    assert "(anon@example.org)" not in page


def test_mails_name_the_sender_once(client, django_capture_on_commit_callbacks):
    organisation = MembershipFactory(role=Membership.Role.OWNER).organisation
    client.force_login(UserFactory(first_name="", last_name="", email="anon@example.org"))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("organisations:contact", kwargs={"slug": organisation.slug}),
            {"subject": "Hello", "body": "A question."},
        )

    to_owner = mail.outbox[0]
    assert to_owner.body.startswith("anon@example.org sent ")
    assert to_owner.body.count("anon@example.org") == 1
