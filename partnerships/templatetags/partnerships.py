from django import template

from ..models import RECRUITING, Answer, PartnershipProposal, ProposalStatus

register = template.Library()

# How many of a network group's proposals its page lists, newest first.
GROUP_PROPOSALS_SHOWN = 30


@register.simple_tag
def partnerships_of(organisation):
    """An organisation's public partnerships, current and past, from its participations.

    Reads ``organisation.participations.all()``: prefetch ``participations__proposal`` and
    this costs no query per partnership.
    """
    current, past = [], []
    for participation in organisation.participations.all():
        proposal = participation.proposal
        if participation.answer != Answer.ACCEPTED or proposal.is_hidden:
            continue
        if proposal.status in RECRUITING:
            current.append((proposal, participation))
        elif proposal.status == ProposalStatus.COMPLETED:
            past.append((proposal, participation))
    return {"current": current, "past": past}


@register.simple_tag
def group_proposals(group):
    """The newest public proposals of a network group (one query)."""
    return list(
        PartnershipProposal.objects.public()
        .filter(network_group=group)
        .order_by("-created", "pk")[:GROUP_PROPOSALS_SHOWN]
    )
