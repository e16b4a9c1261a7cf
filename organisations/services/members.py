"""Members of an organisation: inviting editors by email, accepting, handing ownership
over, stepping down, removing and leaving. An organisation always keeps an owner."""

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peacenet.lib import history

from .. import emails
from ..models import EditorInvitation, Membership, Organisation
from .errors import DomainError

INVITATION_SALT = "organisations.editor-invitation"
INVITATION_MAX_AGE = 7 * 24 * 3600


def invitation_token(invitation: EditorInvitation) -> str:
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


def invitation_from_token(token: str) -> EditorInvitation:
    """The open invitation a link points to, or ``DomainError`` saying what is wrong."""
    try:
        pk = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError(
            _("This invitation has expired. Ask the organisation to invite you again.")
        ) from None
    except signing.BadSignature:
        raise DomainError(_("This invitation link is not valid.")) from None
    invitation = (
        EditorInvitation.objects.select_related("organisation").filter(pk=pk).first()
        if isinstance(pk, int)
        else None
    )
    if invitation is None or invitation.accepted_at is not None:
        raise DomainError(_("This invitation has already been used or was withdrawn."))
    return invitation


def invite_editor(*, organisation: Organisation, email: str, by) -> EditorInvitation:
    """Invite someone by email to edit the organisation; resending renews the link."""
    email = email.strip().lower()
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise DomainError(_("This person is already a member of the organisation."))
    with transaction.atomic():
        invitation = (
            EditorInvitation.objects.select_for_update()
            .filter(organisation=organisation, email__iexact=email, accepted_at__isnull=True)
            .first()
        )
        if invitation is None:
            try:
                with transaction.atomic():
                    invitation = EditorInvitation.objects.create(
                        organisation=organisation, email=email, invited_by=by
                    )
            except IntegrityError:  # the same invitation, sent a moment ago
                invitation = EditorInvitation.objects.get(
                    organisation=organisation, email__iexact=email, accepted_at__isnull=True
                )
        else:
            invitation.invited_by = by
            invitation.save(update_fields=["invited_by"])
        _record(
            by=by,
            organisation=organisation,
            message=gettext_lazy("Invited %(person)s to edit."),
            person=email,
        )
        emails.editor_invitation(
            invitation=invitation,
            by=by,
            token=invitation_token(invitation),
            days=INVITATION_MAX_AGE // (24 * 3600),
        )
    return invitation


def accept_invitation(*, invitation: EditorInvitation, user) -> Membership:
    """Make ``user`` an editor. The invitation is for one email address: theirs."""
    with transaction.atomic():
        invitation = EditorInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise DomainError(_("This invitation has already been used or was withdrawn."))
        addresses = {user.email.lower()} | {
            address.lower()
            for address in user.emailaddress_set.filter(verified=True).values_list(
                "email", flat=True
            )
        }
        if invitation.email.lower() not in addresses:
            raise DomainError(
                _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
                % {"email": invitation.email}
            )
        membership, _created = Membership.objects.get_or_create(
            user=user,
            organisation=invitation.organisation,
            defaults={"role": Membership.Role.EDITOR},
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        _record(
            by=user,
            organisation=invitation.organisation,
            message=gettext_lazy("%(person)s accepted the invitation and became an editor."),
            person=user.name_and_address,
        )
    return membership


def withdraw_invitation(*, invitation: EditorInvitation, by) -> None:
    with transaction.atomic():
        _record(
            by=by,
            organisation=invitation.organisation,
            message=gettext_lazy("Withdrew the invitation of %(person)s."),
            person=invitation.email,
        )
        invitation.delete()


def _record(*, by, organisation: Organisation, message, person: str) -> None:
    """A change of the organisation's members, in its history."""
    history.record(
        user=by,
        obj=organisation,
        message=message,
        values={"person": person},
        flag=history.CHANGE,
    )


def _locked(membership: Membership) -> Membership:
    """``membership`` re-read under a lock with its organisation's owners, so that two owners
    stepping down or leaving at once are decided one after the other (``is_sole_owner``)."""
    owners = (
        Membership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id, role=Membership.Role.OWNER)
        .order_by("pk")  # One order of locking for everyone: no deadlock.
        .values_list("pk", flat=True)
    )
    owner_count = len(owners)
    membership = (
        Membership.objects.select_for_update()
        .select_related("user", "organisation")
        .get(pk=membership.pk)
    )
    membership.owner_count = owner_count
    return membership


def _refuse_stranding(membership: Membership) -> None:
    if membership.is_sole_owner:
        raise DomainError(
            _(
                "%(name)s needs at least one owner. Make another member owner first, "
                "then step down or leave."
            )
            % {"name": membership.organisation.name}
        )


def remove_member(*, membership: Membership, by) -> None:
    """Remove someone from an organisation (``by`` an owner), or let them leave (``by``
    themselves); the last owner cannot go."""
    with transaction.atomic():
        membership = _locked(membership)
        _refuse_stranding(membership)
        _record(
            by=by,
            organisation=membership.organisation,
            message=gettext_lazy("%(person)s left.")
            if by.pk == membership.user_id
            else gettext_lazy("Removed %(person)s."),
            person=membership.user.name_and_address,
        )
        membership.delete()


def make_owner(*, membership: Membership, by) -> Membership:
    """Hand ownership to an editor: they may then manage members (and the giver step down)."""
    with transaction.atomic():
        membership = _locked(membership)
        if membership.role == Membership.Role.OWNER:
            raise DomainError(_("%(person)s is already an owner.") % {"person": membership.user})
        membership.role = Membership.Role.OWNER
        membership.save(update_fields=["role"])
        _record(
            by=by,
            organisation=membership.organisation,
            message=gettext_lazy("Made %(person)s an owner."),
            person=membership.user.name_and_address,
        )
        emails.made_owner(membership=membership, by=by)
    return membership


def step_down(*, membership: Membership, by) -> Membership:
    """An owner becomes an editor (by their own choice, or ``by`` another owner); refused
    for the organisation's only owner."""
    with transaction.atomic():
        membership = _locked(membership)
        if membership.role != Membership.Role.OWNER:
            raise DomainError(_("%(person)s is not an owner.") % {"person": membership.user})
        _refuse_stranding(membership)
        membership.role = Membership.Role.EDITOR
        membership.save(update_fields=["role"])
        _record(
            by=by,
            organisation=membership.organisation,
            message=gettext_lazy("%(person)s stepped down as owner and is an editor.")
            if by.pk == membership.user_id
            else gettext_lazy("Made %(person)s an editor instead of an owner."),
            person=membership.user.name_and_address,
        )
    return membership
