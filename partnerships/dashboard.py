"""What the partnerships app adds to a member's dashboard: invitations to answer, the
proposals their organisations lead, and partners suggested for one of their organisations."""

from django.db.models import Prefetch

from .models import Participant, PartnershipProposal
from .suggestions import suggest_for_organisation


def dashboard_context(request, organisations):
    """``organisations``: the user's organisations (a list); the published one named by
    ``?suggest_for=<slug>`` (else the first) gets suggested partners."""
    user = request.user
    invitations = (
        Participant.objects.invitations_for(user)
        .select_related("proposal", "organisation")
        .order_by("-proposal__created", "pk")
    )
    my_proposals = (
        PartnershipProposal.objects.led_by_user(user)
        .with_reporting()
        .order_by("-created", "pk")
        .prefetch_related(
            Prefetch("participants", queryset=Participant.objects.select_related("organisation"))
        )
    )
    published = [o for o in organisations if o.is_published]
    wanted = request.GET.get("suggest_for", "")
    suggest_for = next((o for o in published if o.slug == wanted), None) or (
        published[0] if published else None
    )
    return {
        "partnership_invitations": invitations,
        "my_proposals": my_proposals,
        "suggestion_organisations": published,
        "suggest_for": suggest_for,
        "suggested_partners": suggest_for_organisation(suggest_for) if suggest_for else [],
    }
