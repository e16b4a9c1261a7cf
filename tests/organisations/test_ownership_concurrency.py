"""The two owners of an organisation stepping down or leaving at the same moment (PostgreSQL:
real row locks): one of them goes, the other is refused, and the organisation keeps an owner."""

import pytest

from organisations import services
from organisations.models import Membership
from peacenet.lib.errors import DomainError
from tests.concurrency import at_the_same_moment
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("step", [services.step_down, services.remove_member])
def test_two_owners_going_at_once_leave_one_owner(step):
    for _round in range(3):  # A race that is lost once shows up in a few rounds.
        organisation = OrganisationFactory()
        first, second = (
            MembershipFactory(organisation=organisation, role=Membership.Role.OWNER)
            for _ in range(2)
        )

        errors = at_the_same_moment(
            lambda first=first: step(membership=first, by=first.user),
            lambda second=second: step(membership=second, by=second.user),
        )

        assert [type(error) for error in errors] == [DomainError]
        assert organisation.memberships.filter(role=Membership.Role.OWNER).count() == 1
