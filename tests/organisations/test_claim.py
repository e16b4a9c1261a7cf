import pytest
from django.core import mail
from django.urls import reverse

from organisations import services
from organisations.models import ClaimRequest, Membership, Organisation
from peacenet.lib.errors import DomainError
from tests.accounts import client_as
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def preloaded():
    """An organisation admins loaded, without members."""
    return OrganisationFactory(name="Preloaded Peace Org")


def claim_url(organisation):
    return reverse("organisations:claim", kwargs={"slug": organisation.slug})


def test_claim_sends_anonymous_visitors_to_sign_in(client, preloaded):
    response = client.get(claim_url(preloaded))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_claim_form_shows_for_an_organisation_without_members(client, user, preloaded):
    client.force_login(user)

    response = client.get(claim_url(preloaded))

    assert response.status_code == 200
    assert 'name="justification"' in response.content.decode()


def test_profile_offers_claiming_only_when_nobody_manages_it(client, user, preloaded):
    managed = MembershipFactory().organisation
    client.force_login(user)

    assert claim_url(preloaded) in client.get(preloaded.get_absolute_url()).content.decode()
    assert claim_url(managed) not in client.get(managed.get_absolute_url()).content.decode()


def test_claim_request_is_stored_and_staff_are_told(
    client, user, staff, preloaded, django_capture_on_commit_callbacks
):
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            claim_url(preloaded), {"justification": "I chair its board; see our website."}
        )

    assert response.status_code == 302
    claim = ClaimRequest.objects.get()
    assert (claim.organisation, claim.user, claim.status) == (
        preloaded,
        user,
        ClaimRequest.Status.PENDING,
    )
    assert mail.outbox[0].to == [staff.email]
    assert not Membership.objects.exists()


def test_claim_twice_gives_a_clear_message_and_one_request(client, user, preloaded):
    client.force_login(user)
    client.post(claim_url(preloaded), {"justification": "First."})

    response = client.post(claim_url(preloaded), {"justification": "Second."}, follow=True)

    assert response.redirect_chain[-1][0] == preloaded.get_absolute_url()
    assert "Claim sent, waiting for review" in response.content.decode()
    assert ClaimRequest.objects.get().justification == "First."


def test_claim_twice_at_once_is_refused_by_the_service(user, preloaded):
    services.request_claim(organisation=preloaded, user=user, justification="First.")

    with pytest.raises(DomainError, match="already asked"):
        services.request_claim(organisation=preloaded, user=user, justification="Second.")

    assert ClaimRequest.objects.count() == 1


def test_profile_says_claim_sent_instead_of_offering_claim_it_again(client, user, preloaded):
    client.force_login(user)
    client.post(claim_url(preloaded), {"justification": "I chair its board."})

    mine = client.get(preloaded.get_absolute_url()).content.decode()
    client.force_login(UserFactory())
    someone_else = client.get(preloaded.get_absolute_url()).content.decode()

    assert "Claim sent, waiting for review" in mine
    assert claim_url(preloaded) not in mine
    assert claim_url(preloaded) in someone_else
    assert "Claim sent" not in someone_else


def test_profile_offers_claim_it_again_after_a_declined_claim(client, user, preloaded, staff):
    claim = services.request_claim(organisation=preloaded, user=user, justification="Me.")
    services.decline_claim(claim=claim, by=staff, note="Please show a link.")
    client.force_login(user)

    page = client.get(preloaded.get_absolute_url()).content.decode()

    assert claim_url(preloaded) in page
    assert "Claim sent" not in page


def test_claim_of_an_organisation_with_members_is_refused(client, user):
    managed = MembershipFactory().organisation
    client.force_login(user)

    response = client.post(claim_url(managed), {"justification": "Mine!"})

    assert response.status_code == 302
    assert not ClaimRequest.objects.exists()


@pytest.mark.parametrize("status", ["pending", "rejected", "archived"])
def test_claim_of_an_unpublished_organisation_is_404(client, user, status):
    hidden = OrganisationFactory(status=status)
    client.force_login(user)

    response = client.post(claim_url(hidden), {"justification": "Mine!"})

    assert response.status_code == 404
    assert not ClaimRequest.objects.exists()


def test_claim_keeps_input_when_invalid_and_stops_bots(client, user, preloaded):
    client.force_login(user)

    empty = client.post(claim_url(preloaded), {"justification": ""})
    bot = client.post(
        claim_url(preloaded), {"justification": "Bot text", "homepage": "http://x.example"}
    )

    assert empty.status_code == 200
    assert bot.status_code == 200
    assert "Bot text" in bot.content.decode()
    assert not ClaimRequest.objects.exists()


def test_claim_rate_limit(client, preloaded, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "claim_organisation": "1/h/ip,1/h/user",
    }
    client.force_login(UserFactory())
    client.post(claim_url(preloaded), {"justification": "First."})
    client.force_login(UserFactory())

    response = client.post(claim_url(preloaded), {"justification": "Second."})

    assert response.status_code == 429
    assert ClaimRequest.objects.count() == 1


def test_approving_a_claim_declines_the_other_open_claims(
    preloaded, staff, django_capture_on_commit_callbacks
):
    first, second = UserFactory(), UserFactory()
    chosen = services.request_claim(organisation=preloaded, user=first, justification="A")
    other = services.request_claim(organisation=preloaded, user=second, justification="B")

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_claim(claim=chosen, by=staff)

    other.refresh_from_db()
    assert other.status == ClaimRequest.Status.DECLINED
    membership = Membership.objects.get(organisation=preloaded)
    assert (membership.user, membership.role) == (first, Membership.Role.OWNER)
    assert {message.to[0] for message in mail.outbox} == {first.email, second.email}


def test_a_decided_claim_cannot_be_decided_again(preloaded, staff, user):
    claim = services.request_claim(organisation=preloaded, user=user, justification="A")
    services.decline_claim(claim=claim, by=staff, note="No.")

    with pytest.raises(DomainError):
        services.approve_claim(claim=claim, by=staff)

    assert not Membership.objects.exists()


@pytest.mark.parametrize("role", ["owner", "editor", "other_member", "staff"])
def test_claim_is_refused_to_everyone_once_an_organisation_has_members(client, role):
    organisation = OrganisationFactory(status=Organisation.Status.PUBLISHED)
    MembershipFactory(organisation=organisation)
    client = client_as(client, role, organisation)

    client.post(claim_url(organisation), {"justification": "Let me in."})

    assert not ClaimRequest.objects.exists()


def test_approving_a_claim_of_an_organisation_that_gained_an_owner_meanwhile_is_refused(
    preloaded, staff, user
):
    claim = services.request_claim(organisation=preloaded, user=user, justification="A")
    owner = MembershipFactory(organisation=preloaded, role=Membership.Role.OWNER).user

    with pytest.raises(DomainError, match="already has an owner"):
        services.approve_claim(claim=claim, by=staff)

    claim.refresh_from_db()
    assert claim.status == ClaimRequest.Status.PENDING
    assert list(Membership.objects.values_list("user", "role")) == [
        (owner.pk, Membership.Role.OWNER)
    ]
