"""Factories for partnership tests. ``ProposalFactory`` makes a proposal with its lead
participant, as ``services.create_proposal`` does."""

import factory

from partnerships.models import (
    Answer,
    Participant,
    ParticipantRole,
    PartnershipProposal,
    ProposalStatus,
)
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipProposal
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Partnership for peace {n}")
    slug = factory.Sequence(lambda n: f"partnership-for-peace-{n}")
    summary = "Diaspora and NGOs working together."
    description = "What we want to do together, and why."
    goals = "Meet four times a year."
    status = ProposalStatus.OPEN

    @factory.post_generation
    def lead_participant(obj, create, extracted, **kwargs):
        if create:
            Participant.objects.create(
                proposal=obj,
                organisation=extracted or OrganisationFactory(),
                role=ParticipantRole.LEAD,
                answer=Answer.ACCEPTED,
            )

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.themes.set(extracted)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    proposal = factory.SubFactory(ProposalFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = ParticipantRole.PARTNER
    answer = Answer.INVITED


def member_of(organisation, **kwargs):
    """A new user who is a member (owner) of ``organisation``."""
    return MembershipFactory(organisation=organisation, user=UserFactory(**kwargs)).user
