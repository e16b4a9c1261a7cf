"""Claims: someone asks to own a pre-loaded organisation without members; staff decide."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peacenet.lib import history

from .. import emails
from ..models import ClaimRequest, Membership, Organisation
from .errors import DomainError

# What the history says of each decision, without and with a note to the requester.
DECIDED = {
    ClaimRequest.Status.APPROVED: gettext_lazy("Approved."),
    ClaimRequest.Status.DECLINED: gettext_lazy("Declined."),
}
DECIDED_BECAUSE = {
    ClaimRequest.Status.DECLINED: gettext_lazy("Declined: %(note)s"),
}


def claimable(organisation: Organisation) -> bool:
    """Whether anyone may ask to claim the organisation: nobody manages it on PeaceNet."""
    return not organisation.memberships.exists()


def request_claim(*, organisation: Organisation, user, justification: str) -> ClaimRequest:
    """Ask staff to make ``user`` the owner of a pre-loaded organisation without members."""
    with transaction.atomic():
        if not claimable(organisation):
            raise DomainError(
                _("This organisation already has members. Ask them to invite you instead.")
            )
        try:
            with transaction.atomic():
                claim = ClaimRequest.objects.create(
                    organisation=organisation, user=user, justification=justification
                )
        except IntegrityError:
            raise DomainError(
                _("You have already asked to claim this organisation; staff will answer soon.")
            ) from None
        history.record(user=user, obj=claim, message=gettext_lazy("Asked to claim the entry."))
        emails.claim_requested(claim=claim)
    return claim


def approve_claim(*, claim: ClaimRequest, by) -> Membership:
    """Make the requester an owner; other open claims for the organisation are declined.

    The organisation's row is locked first, so approvals of two claims for it (or an owner
    added meanwhile) are decided one after the other: the second finds its claim decided or
    the organisation owned, and is refused."""
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(
            pk=ClaimRequest.objects.values("organisation_id").get(pk=claim.pk)["organisation_id"]
        )
        claim = ClaimRequest.objects.select_for_update().get(pk=claim.pk)
        claim.organisation = organisation
        if claim.status != ClaimRequest.Status.PENDING:
            raise DomainError(_("This claim has already been decided."))
        if organisation.memberships.filter(role=Membership.Role.OWNER).exists():
            raise DomainError(
                _("%(name)s already has an owner; they can invite the requester instead.")
                % {"name": organisation.name}
            )
        membership, _created = Membership.objects.update_or_create(
            user=claim.user,
            organisation=claim.organisation,
            defaults={"role": Membership.Role.OWNER},
        )
        history.record(
            user=by,
            obj=organisation,
            message=gettext_lazy("%(person)s made owner: their claim was approved."),
            values={"person": claim.user.name_and_address},
            flag=history.CHANGE,
        )
        _decide(claim=claim, by=by, status=ClaimRequest.Status.APPROVED, note="")
        for other in claim.organisation.claims.pending().exclude(pk=claim.pk):
            _decide(
                claim=other,
                by=by,
                status=ClaimRequest.Status.DECLINED,
                note=_("Another representative of the organisation was made its owner."),
            )
    return membership


def decline_claim(*, claim: ClaimRequest, by, note: str) -> ClaimRequest:
    with transaction.atomic():
        claim = (
            ClaimRequest.objects.select_for_update()
            .select_related("organisation")
            .get(pk=claim.pk)
        )
        if claim.status != ClaimRequest.Status.PENDING:
            raise DomainError(_("This claim has already been decided."))
        _decide(claim=claim, by=by, status=ClaimRequest.Status.DECLINED, note=note)
    return claim


def _decide(*, claim: ClaimRequest, by, status: str, note: str) -> None:
    claim.status = status
    claim.decision_note = note
    claim.decided_by = by
    claim.decided_at = timezone.now()
    claim.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
    history.record(
        user=by,
        obj=claim,
        message=DECIDED_BECAUSE[status] if note else DECIDED[status],
        values={"note": note},
        flag=history.CHANGE,
    )
    emails.claim_decided(claim=claim, note=note)
