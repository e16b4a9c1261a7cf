"""Staff approving two claims of one organisation at the same moment (PostgreSQL: real row
locks): one requester becomes the owner, the other approval is refused with a reason."""

import pytest

from organisations import services
from organisations.models import ClaimRequest, Membership
from peacenet.lib.errors import DomainError
from tests.concurrency import at_the_same_moment
from tests.factories import OrganisationFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_approvals_of_claims_for_one_organisation_at_once_make_one_owner():
    staff = UserFactory(is_staff=True)
    for _round in range(3):  # A race that is lost once shows up in a few rounds.
        organisation = OrganisationFactory()
        first, second = (
            services.request_claim(
                organisation=organisation, user=UserFactory(), justification="Ours."
            )
            for _ in range(2)
        )

        errors = at_the_same_moment(
            lambda first=first: services.approve_claim(claim=first, by=staff),
            lambda second=second: services.approve_claim(claim=second, by=staff),
        )

        assert [type(error) for error in errors] == [DomainError]
        assert Membership.objects.filter(organisation=organisation).count() == 1
        statuses = ClaimRequest.objects.filter(organisation=organisation).values_list(
            "status", flat=True
        )
        assert sorted(statuses) == [ClaimRequest.Status.APPROVED, ClaimRequest.Status.DECLINED]
