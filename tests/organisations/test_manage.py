import datetime

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode

from organisations import services
from organisations.models import EditorInvitation, Membership, Organisation
from tests.accounts import (
    ROLES,
    STAFF_WITHOUT_MFA,
    client_as,
    sign_in_with_mfa,
    sign_in_with_password,
)
from tests.clock import NOW, frozen_clock
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.date(2020, 1, 1)


def profile_data(instance, **overrides):
    data = {
        "name": instance.name,
        "kind": instance.kind,
        "summary": instance.summary,
        "email_visibility": instance.email_visibility,
        "phone_visibility": instance.phone_visibility,
        "address_visibility": instance.address_visibility,
        "city": instance.city,
    }
    data.update(overrides)
    return data


@pytest.fixture
def published():
    return OrganisationFactory(summary="Old summary", last_confirmed=LONG_AGO)


# Edit ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("owner", 200),
        ("editor", 200),
        ("other_member", 403),
        ("anonymous", 302),
        ("staff", 200),
        ("staff_without_mfa", 403),
    ],
)
def test_edit_page_permissions(client, published, role, expected):
    client = client_as(client, role, published)

    response = client.get(reverse("organisations:edit", kwargs={"slug": published.slug}))

    assert response.status_code == expected


@frozen_clock
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("owner", True),
        ("editor", True),
        ("other_member", False),
        ("anonymous", False),
        ("staff", True),
        ("staff_without_mfa", False),
    ],
)
def test_edit_saves_only_for_members_and_staff(client, published, role, allowed):
    client = client_as(client, role, published)

    client.post(
        reverse("organisations:edit", kwargs={"slug": published.slug}),
        profile_data(published, summary="New summary"),
    )

    published.refresh_from_db()
    assert (published.summary == "New summary") is allowed
    assert (published.last_confirmed == NOW.date()) is allowed
    assert published.status == Organisation.Status.PUBLISHED


@pytest.mark.parametrize("role", ["other_member", "anonymous"])
def test_edit_of_a_pending_organisation_is_404_to_outsiders(client, role):
    pending = OrganisationFactory(status=Organisation.Status.PENDING)
    client = client_as(client, role, pending)

    response = client.get(reverse("organisations:edit", kwargs={"slug": pending.slug}))

    assert response.status_code == (404 if role == "other_member" else 302)


def test_edit_keeps_a_published_organisation_published_and_records_history(client, published):
    client = client_as(client, "editor", published)
    versions = published.history.count()

    response = client.post(
        reverse("organisations:edit", kwargs={"slug": published.slug}),
        profile_data(published, summary="New summary"),
    )

    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == Organisation.Status.PUBLISHED
    assert published.history.count() == versions + 1
    assert published.history.first().history_user == client.user


@frozen_clock
def test_edit_ignores_status_last_confirmed_and_memberships_in_the_request(client, published):
    other = OrganisationFactory()
    client = client_as(client, "editor", published)

    client.post(
        reverse("organisations:edit", kwargs={"slug": published.slug}),
        profile_data(
            published,
            status="archived",
            last_confirmed="2001-01-01",
            slug="taken-over",
            moderated_by=client.user.pk,
            role="owner",
            organisation=other.pk,
            memberships=[other.pk],
        ),
    )

    published.refresh_from_db()
    assert published.status == Organisation.Status.PUBLISHED
    assert published.last_confirmed == NOW.date()
    assert published.slug != "taken-over"
    assert published.moderated_by is None
    assert Membership.objects.get(user=client.user).role == Membership.Role.EDITOR
    assert not other.memberships.filter(user=client.user).exists()


def test_edit_refuses_a_non_http_website_and_keeps_input(client, published):
    client = client_as(client, "owner", published)

    response = client.post(
        reverse("organisations:edit", kwargs={"slug": published.slug}),
        profile_data(published, summary="Typed summary", website="javascript:alert(1)"),
    )

    assert response.status_code == 200
    assert "Typed summary" in response.content.decode()
    published.refresh_from_db()
    assert published.summary == "Old summary"
    assert published.website == ""


# Confirm ------------------------------------------------------------------------------------


@frozen_clock
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("owner", True),
        ("editor", True),
        ("other_member", False),
        ("anonymous", False),
        ("staff", True),
        ("staff_without_mfa", False),
    ],
)
def test_confirm_sets_last_confirmed_for_members_and_staff(client, published, role, allowed):
    client = client_as(client, role, published)

    client.post(reverse("organisations:confirm", kwargs={"slug": published.slug}))

    published.refresh_from_db()
    assert (published.last_confirmed == NOW.date()) is allowed
    assert published.summary == "Old summary"


def test_confirm_refuses_get(client, published):
    client = client_as(client, "owner", published)

    response = client.get(reverse("organisations:confirm", kwargs={"slug": published.slug}))

    assert response.status_code == 405
    published.refresh_from_db()
    assert published.last_confirmed == LONG_AGO


# Resubmit -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("owner", True),
        ("editor", True),
        ("other_member", False),
        ("anonymous", False),
        ("staff", True),
        ("staff_without_mfa", False),
    ],
)
def test_resubmit_puts_a_rejected_organisation_back_in_the_queue(client, role, allowed):
    rejected = OrganisationFactory(status=Organisation.Status.REJECTED, status_reason="Vague")
    client = client_as(client, role, rejected)

    client.post(reverse("organisations:resubmit", kwargs={"slug": rejected.slug}))

    rejected.refresh_from_db()
    expected = Organisation.Status.PENDING if allowed else Organisation.Status.REJECTED
    assert rejected.status == expected


def test_resubmit_of_a_published_organisation_changes_nothing(client, published):
    client = client_as(client, "owner", published)

    client.post(reverse("organisations:resubmit", kwargs={"slug": published.slug}))

    published.refresh_from_db()
    assert published.status == Organisation.Status.PUBLISHED


# Members and invitations --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("owner", 200),
        ("editor", 403),
        ("other_member", 403),
        ("anonymous", 302),
        ("staff", 200),
        ("staff_without_mfa", 403),
    ],
)
def test_members_page_is_for_owners_and_staff(client, published, role, expected):
    client = client_as(client, role, published)

    response = client.get(reverse("organisations:members", kwargs={"slug": published.slug}))

    assert response.status_code == expected


@pytest.mark.parametrize("count", [1, 20])
def test_members_page_query_count_does_not_grow_with_members(
    client, published, django_assert_num_queries, count
):
    client = client_as(client, "owner", published)
    for number in range(count):
        MembershipFactory(organisation=published, role=Membership.Role.EDITOR)
        EditorInvitation.objects.create(
            organisation=published, email=f"invitee{number}@example.org", invited_by=client.user
        )
    members = reverse("organisations:members", kwargs={"slug": published.slug})

    # session, user, the organisation, the role the user acts in, members, open invitations
    with django_assert_num_queries(6):
        response = client.get(members)

    body = response.content.decode()
    assert all(f"invitee{number}@example.org" in body for number in range(count))


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
def test_invite_editor_sends_a_signed_link(
    client, published, role, allowed, django_capture_on_commit_callbacks
):
    client = client_as(client, role, published)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("organisations:members", kwargs={"slug": published.slug}),
            {"email": "New.Editor@Example.org"},
        )

    invitations = EditorInvitation.objects.filter(organisation=published)
    assert invitations.exists() is allowed
    if allowed:
        assert invitations.get().email == "new.editor@example.org"
        assert mail.outbox[0].to == ["new.editor@example.org"]
        assert "/invitations/" in mail.outbox[0].body
    else:
        assert mail.outbox == []


def test_invite_refuses_an_existing_member(client, published):
    client = client_as(client, "owner", published)

    response = client.post(
        reverse("organisations:members", kwargs={"slug": published.slug}),
        {"email": client.user.email},
    )

    assert response.status_code == 200
    assert "already a member" in response.content.decode()
    assert not EditorInvitation.objects.exists()


def test_invitations_beyond_the_rate_limit_are_refused_with_a_message(client, published, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "invite_editor": "2/h/ip,2/h/user",
    }
    client = client_as(client, "owner", published)
    members = reverse("organisations:members", kwargs={"slug": published.slug})
    for number in range(2):
        client.post(members, {"email": f"editor{number}@example.org"})

    response = client.post(members, {"email": "one.too.many@example.org"})

    assert response.status_code == 429
    assert "too many invitations" in response.content.decode()
    assert sorted(EditorInvitation.objects.values_list("email", flat=True)) == [
        "editor0@example.org",
        "editor1@example.org",
    ]


def accept_url(invitation):
    return reverse(
        "organisations:accept_invitation",
        kwargs={"token": services.invitation_token(invitation)},
    )


def test_accept_invitation_makes_the_invited_person_an_editor(client, published):
    owner = MembershipFactory(organisation=published).user
    invited = UserFactory(email="invited@example.org")
    invitation = services.invite_editor(
        organisation=published, email="invited@example.org", by=owner
    )
    client.force_login(invited)

    response = client.post(accept_url(invitation))

    assert response.status_code == 302
    membership = Membership.objects.get(user=invited, organisation=published)
    assert membership.role == Membership.Role.EDITOR
    invitation.refresh_from_db()
    assert invitation.accepted_by == invited
    assert invitation.accepted_at is not None


def test_accept_invitation_with_a_verified_secondary_address(client, published):
    owner = MembershipFactory(organisation=published).user
    invited = UserFactory(email="primary@example.org")
    EmailAddress.objects.create(user=invited, email="work@example.org", verified=True)
    invitation = services.invite_editor(organisation=published, email="work@example.org", by=owner)
    client.force_login(invited)

    client.post(accept_url(invitation))

    assert Membership.objects.filter(user=invited, organisation=published).exists()


def test_accept_invitation_refuses_someone_else(client, published):
    owner = MembershipFactory(organisation=published).user
    invitation = services.invite_editor(
        organisation=published, email="invited@example.org", by=owner
    )
    client.force_login(UserFactory(email="intruder@example.org"))

    response = client.post(accept_url(invitation), follow=True)

    assert "was sent to invited@example.org" in response.content.decode()
    assert published.memberships.count() == 1
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_accept_invitation_sends_anonymous_visitors_to_sign_in(client, published):
    owner = MembershipFactory(organisation=published).user
    invitation = services.invite_editor(organisation=published, email="a@example.org", by=owner)

    response = client.post(accept_url(invitation))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert published.memberships.count() == 1


def test_accept_invitation_refuses_an_expired_or_forged_link(client, published, monkeypatch):
    owner = MembershipFactory(organisation=published).user
    invited = UserFactory(email="invited@example.org")
    invitation = services.invite_editor(
        organisation=published, email="invited@example.org", by=owner
    )
    client.force_login(invited)
    url = accept_url(invitation)
    monkeypatch.setattr(services.members, "INVITATION_MAX_AGE", -1)

    expired = client.post(url)
    forged = client.post(
        reverse("organisations:accept_invitation", kwargs={"token": f"{invitation.pk}:forged"})
    )

    assert expired.status_code == 400
    assert "expired" in expired.content.decode()
    assert forged.status_code == 400
    assert not Membership.objects.filter(user=invited).exists()


def test_accept_invitation_works_only_once(client, published):
    owner = MembershipFactory(organisation=published).user
    invited = UserFactory(email="invited@example.org")
    invitation = services.invite_editor(
        organisation=published, email="invited@example.org", by=owner
    )
    client.force_login(invited)
    client.post(accept_url(invitation))
    Membership.objects.filter(user=invited).delete()

    response = client.post(accept_url(invitation))

    assert response.status_code == 400
    assert not Membership.objects.filter(user=invited).exists()


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
def test_remove_editor_is_for_owners_and_staff(client, published, role, allowed):
    editor = MembershipFactory(organisation=published, role=Membership.Role.EDITOR)
    client = client_as(client, role, published)

    client.post(
        reverse("organisations:remove_member", kwargs={"slug": published.slug, "pk": editor.pk})
    )

    assert Membership.objects.filter(pk=editor.pk).exists() is not allowed


def test_remove_member_keeps_the_last_owner(client, published):
    client = client_as(client, "owner", published)
    owner = Membership.objects.get(user=client.user)

    response = client.post(
        reverse("organisations:remove_member", kwargs={"slug": published.slug, "pk": owner.pk}),
        follow=True,
    )

    assert "at least one owner" in response.content.decode()
    assert Membership.objects.filter(pk=owner.pk).exists()


def test_remove_member_of_another_organisation_is_404(client, published):
    elsewhere = MembershipFactory(role=Membership.Role.EDITOR)
    client = client_as(client, "owner", published)

    response = client.post(
        reverse("organisations:remove_member", kwargs={"slug": published.slug, "pk": elsewhere.pk})
    )

    assert response.status_code == 404
    assert Membership.objects.filter(pk=elsewhere.pk).exists()


def test_withdraw_invitation_by_an_owner(client, published):
    client = client_as(client, "owner", published)
    invitation = services.invite_editor(
        organisation=published, email="x@example.org", by=client.user
    )

    client.post(
        reverse(
            "organisations:withdraw_invitation",
            kwargs={"slug": published.slug, "pk": invitation.pk},
        )
    )

    assert not EditorInvitation.objects.exists()


# Profile actions ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [*ROLES, STAFF_WITHOUT_MFA])
def test_profile_shows_edit_actions_only_to_members_and_staff(client, published, role):
    client = client_as(client, role, published)

    body = client.get(published.get_absolute_url()).content.decode()

    edit_url = reverse("organisations:edit", kwargs={"slug": published.slug})
    assert (edit_url in body) is (role in {"owner", "editor", "staff"})
    # Where the staff action would have been, staff without a second factor are offered one.
    assert (reverse("mfa_activate_totp") in body) is (role == STAFF_WITHOUT_MFA)


def test_edit_page_offers_staff_without_mfa_their_second_factor(client, published):
    staff = UserFactory(is_staff=True)
    TOTP.activate(staff, generate_totp_secret())
    sign_in_with_password(client, staff)
    url = reverse("organisations:edit", kwargs={"slug": published.slug})

    response = client.get(url)

    assert response.status_code == 403
    offer = reverse("mfa_reauthenticate") + "?" + urlencode({"next": url})
    assert f'href="{escape(offer)}"' in response.content.decode()
    assert "Enter your second factor to use staff powers" in response.content.decode()


def test_invite_editor_to_any_organisation_needs_staff_with_mfa(client, published):
    staff = UserFactory(is_staff=True)
    url = reverse("organisations:members", kwargs={"slug": published.slug})

    refused = sign_in_with_password(client, staff).post(url, {"email": "outsider@example.org"})
    refused_count = published.invitations.count()
    accepted = sign_in_with_mfa(client, staff).post(url, {"email": "outsider@example.org"})

    assert refused.status_code == 403
    assert refused_count == 0
    assert accepted.status_code == 302
    assert list(published.invitations.values_list("email", flat=True)) == ["outsider@example.org"]


def test_inviting_the_same_address_twice_renews_one_invitation(published):
    owner = MembershipFactory(organisation=published).user

    first = services.invite_editor(organisation=published, email="a@example.org", by=owner)
    second = services.invite_editor(organisation=published, email="A@example.org", by=owner)

    assert first.pk == second.pk
    assert EditorInvitation.objects.count() == 1


def test_edit_renaming_to_a_name_taken_a_moment_ago_is_a_clear_error(
    client, published, monkeypatch
):
    from organisations.forms import OrganisationForm

    client = client_as(client, "owner", published)
    real_save = OrganisationForm.save

    def save_after_another_request_took_the_name(form, commit=True):
        OrganisationFactory(name="Taken Name")
        return real_save(form, commit=commit)

    monkeypatch.setattr(OrganisationForm, "save", save_after_another_request_took_the_name)

    response = client.post(
        reverse("organisations:edit", kwargs={"slug": published.slug}),
        profile_data(published, name="taken name", summary="Changed"),
    )

    assert response.status_code == 200
    assert "was registered a moment ago" in response.content.decode()
    published.refresh_from_db()
    assert published.summary == "Old summary"
    assert Organisation.objects.filter(name__iexact="taken name").count() == 1
