"""Workflows of registering, moderating and managing organisations.

Each is a function with keyword-only arguments that runs in one transaction and sends its mail
once that transaction has committed, so nobody is told about a change that was rolled back.
"""

import logging
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import (
    ClaimRequest,
    ContactMessage,
    EditorInvitation,
    Membership,
    Organisation,
)

logger = logging.getLogger(__name__)

INVITATION_SALT = "organisations.editor-invitation"
INVITATION_MAX_AGE = 7 * 24 * 3600


class OrganisationNameTaken(ValidationError):
    """Another organisation with this name exists (perhaps registered a moment ago)."""


class WorkflowError(ValidationError):
    """A request that the current state does not allow; the message is for the user."""


# Mail ---------------------------------------------------------------------------------------


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def admin_change_url(obj) -> str:
    """The full address of ``obj``'s page in the admin, for mails to staff."""
    meta = obj._meta
    return absolute_url(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))


def staff_recipients() -> list[str]:
    if settings.STAFF_NOTIFICATION_EMAILS:
        return list(settings.STAFF_NOTIFICATION_EMAILS)
    return list(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def owner_recipients(organisation: Organisation) -> list[str]:
    return list(
        organisation.memberships.filter(role=Membership.Role.OWNER, user__is_active=True)
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )


def send_mail_after_commit(*, template: str, subject: str, to: list[str], context: dict, **kw):
    """Render ``organisations/email/<template>.txt`` and send it once the transaction commits."""
    if not to:
        return
    body = render_to_string(f"organisations/email/{template}.txt", context)
    message = EmailMessage(f"[PeaceNet] {subject}", body, to=to, **kw)
    transaction.on_commit(message.send)


# Registering --------------------------------------------------------------------------------


def unique_slug(name: str, *, exclude_pk=None) -> str:
    base = slugify(name)[:200] or "organisation"
    slug, number = base, 2
    taken = Organisation.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def register_organisation(*, form, by) -> Organisation:
    """Create a pending organisation from a valid registration form, owned by ``by``.

    The database's unique constraints decide between two identical registrations sent at the
    same moment: the second raises ``OrganisationNameTaken`` and nothing of it is saved.
    """
    organisation = form.save(commit=False)
    organisation.status = Organisation.Status.PENDING
    organisation.status_reason = ""
    organisation.last_confirmed = timezone.localdate()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                organisation.slug = unique_slug(organisation.name)
                organisation.save()
                form.save_m2m()
                Membership.objects.create(
                    user=by, organisation=organisation, role=Membership.Role.OWNER
                )
                _notify_staff_of_registration(organisation=organisation, by=by)
            return organisation
        except IntegrityError:
            organisation.pk = None
            organisation._state.adding = True
            if Organisation.objects.filter(name__iexact=organisation.name).exists():
                raise OrganisationNameTaken(
                    _("An organisation called “%(name)s” was registered a moment ago."),
                    code="name_taken",
                    params={"name": organisation.name},
                ) from None
            # Another name with the same slug won the race: try the next free slug.
    raise OrganisationNameTaken(
        _("PeaceNet is busy registering organisations with this name. Try again in a moment."),
        code="busy",
    )


def _notify_staff_of_registration(*, organisation: Organisation, by, resubmitted=False):
    send_mail_after_commit(
        template="registered_staff",
        subject=(
            _("Organisation submitted again: %(name)s")
            if resubmitted
            else _("New organisation to review: %(name)s")
        )
        % {"name": organisation.name},
        to=staff_recipients(),
        context={
            "organisation": organisation,
            "by": by,
            "resubmitted": resubmitted,
            "admin_url": admin_change_url(organisation),
        },
    )


def update_organisation(*, form, by) -> Organisation:
    """Save an edit of the profile. Editing confirms the profile is current; status stays."""
    organisation = form.save(commit=False)
    organisation.last_confirmed = timezone.localdate()
    try:
        with transaction.atomic():
            organisation.save()
            form.save_m2m()
    except IntegrityError:
        raise OrganisationNameTaken(
            _("An organisation called “%(name)s” was registered a moment ago."),
            code="name_taken",
            params={"name": organisation.name},
        ) from None
    return organisation


def confirm_current(*, organisation: Organisation, by) -> Organisation:
    """Record that a member checked the profile and it is still correct."""
    with transaction.atomic():
        organisation.last_confirmed = timezone.localdate()
        organisation.save(update_fields=["last_confirmed", "updated"])
    return organisation


def resubmit(*, organisation: Organisation, by) -> Organisation:
    """Send a rejected organisation back to the moderation queue."""
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if organisation.status != Organisation.Status.REJECTED:
            raise WorkflowError(_("Only a rejected organisation can be submitted again."))
        organisation.status = Organisation.Status.PENDING
        organisation.save()
        _notify_staff_of_registration(organisation=organisation, by=by, resubmitted=True)
    return organisation


# Moderation ---------------------------------------------------------------------------------


def _moderate(*, organisations: Iterable[Organisation], by, status: str, reason: str) -> int:
    changed = 0
    with transaction.atomic():
        for organisation in organisations:
            organisation.status = status
            organisation.status_reason = reason
            organisation.moderated_by = by
            organisation.moderated_at = timezone.now()
            organisation.save()
            changed += 1
            send_mail_after_commit(
                template=f"moderation_{status}",
                subject={
                    Organisation.Status.PUBLISHED: _("%(name)s is now in the directory"),
                    Organisation.Status.REJECTED: _("%(name)s was not published"),
                    Organisation.Status.ARCHIVED: _("%(name)s was archived"),
                }[status]
                % {"name": organisation.name},
                to=owner_recipients(organisation),
                context={
                    "organisation": organisation,
                    "reason": reason,
                    "profile_url": absolute_url(organisation.get_absolute_url()),
                    "edit_url": absolute_url(
                        reverse("organisations:edit", kwargs={"slug": organisation.slug})
                    ),
                },
            )
    return changed


def publish(*, organisations: Iterable[Organisation], by) -> int:
    """Publish organisations and tell their owners. Returns how many were published."""
    return _moderate(
        organisations=organisations, by=by, status=Organisation.Status.PUBLISHED, reason=""
    )


def reject(*, organisations: Iterable[Organisation], by, reason: str) -> int:
    """Reject organisations with a reason that is mailed to their owners."""
    if not reason.strip():
        raise WorkflowError(_("Give a reason: it is sent to the owners."))
    return _moderate(
        organisations=organisations, by=by, status=Organisation.Status.REJECTED, reason=reason
    )


def archive(*, organisations: Iterable[Organisation], by, reason: str = "") -> int:
    """Take organisations out of the directory without deleting them."""
    return _moderate(
        organisations=organisations, by=by, status=Organisation.Status.ARCHIVED, reason=reason
    )


# Members and invitations --------------------------------------------------------------------


def invitation_token(invitation: EditorInvitation) -> str:
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


def invitation_from_token(token: str) -> EditorInvitation:
    """The open invitation a link points to, or ``WorkflowError`` saying what is wrong."""
    try:
        pk = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired:
        raise WorkflowError(
            _("This invitation has expired. Ask the organisation to invite you again.")
        ) from None
    except signing.BadSignature:
        raise WorkflowError(_("This invitation link is not valid.")) from None
    invitation = (
        EditorInvitation.objects.select_related("organisation").filter(pk=pk).first()
        if isinstance(pk, int)
        else None
    )
    if invitation is None or invitation.accepted_at is not None:
        raise WorkflowError(_("This invitation has already been used or was withdrawn."))
    return invitation


def invite_editor(*, organisation: Organisation, email: str, by) -> EditorInvitation:
    """Invite someone by email to edit the organisation; resending renews the link."""
    email = email.strip().lower()
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise WorkflowError(_("This person is already a member of the organisation."))
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
        accept_path = reverse(
            "organisations:accept_invitation", kwargs={"token": invitation_token(invitation)}
        )
        send_mail_after_commit(
            template="editor_invitation",
            subject=_("You are invited to edit %(name)s on PeaceNet")
            % {"name": organisation.name},
            to=[email],
            context={
                "organisation": organisation,
                "by": by,
                "accept_url": absolute_url(accept_path),
                "days": INVITATION_MAX_AGE // (24 * 3600),
            },
        )
    return invitation


def accept_invitation(*, invitation: EditorInvitation, user) -> Membership:
    """Make ``user`` an editor. The invitation is for one email address: theirs."""
    with transaction.atomic():
        invitation = EditorInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise WorkflowError(_("This invitation has already been used or was withdrawn."))
        addresses = {user.email.lower()} | {
            address.lower()
            for address in user.emailaddress_set.filter(verified=True).values_list(
                "email", flat=True
            )
        }
        if invitation.email.lower() not in addresses:
            raise WorkflowError(
                _(
                    "This invitation was sent to %(email)s. Sign in with that address "
                    "to accept it."
                ),
                params={"email": invitation.email},
            )
        membership, _created = Membership.objects.get_or_create(
            user=user,
            organisation=invitation.organisation,
            defaults={"role": Membership.Role.EDITOR},
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def withdraw_invitation(*, invitation: EditorInvitation, by) -> None:
    with transaction.atomic():
        invitation.delete()


def remove_member(*, membership: Membership, by) -> None:
    """Remove someone from an organisation; the last owner cannot be removed."""
    with transaction.atomic():
        owners = list(
            Membership.objects.select_for_update()
            .filter(organisation_id=membership.organisation_id, role=Membership.Role.OWNER)
            .values_list("pk", flat=True)
        )
        if membership.role == Membership.Role.OWNER and owners == [membership.pk]:
            raise WorkflowError(
                _("An organisation needs at least one owner. Make someone else owner first.")
            )
        Membership.objects.filter(pk=membership.pk).delete()


# Claims -------------------------------------------------------------------------------------


def request_claim(*, organisation: Organisation, user, justification: str) -> ClaimRequest:
    """Ask staff to make ``user`` the owner of a pre-loaded organisation without members."""
    with transaction.atomic():
        if organisation.memberships.exists():
            raise WorkflowError(
                _("This organisation already has members. Ask them to invite you instead.")
            )
        try:
            with transaction.atomic():
                claim = ClaimRequest.objects.create(
                    organisation=organisation, user=user, justification=justification
                )
        except IntegrityError:
            raise WorkflowError(
                _("You have already asked to claim this organisation; staff will answer soon.")
            ) from None
        send_mail_after_commit(
            template="claim_staff",
            subject=_("Claim request for %(name)s") % {"name": organisation.name},
            to=staff_recipients(),
            context={
                "claim": claim,
                "organisation": organisation,
                "admin_url": admin_change_url(claim),
            },
        )
    return claim


def approve_claim(*, claim: ClaimRequest, by) -> Membership:
    """Make the requester an owner; other open claims for the organisation are declined."""
    with transaction.atomic():
        claim = (
            ClaimRequest.objects.select_for_update()
            .select_related("organisation")
            .get(pk=claim.pk)
        )
        if claim.status != ClaimRequest.Status.PENDING:
            raise WorkflowError(_("This claim has already been decided."))
        membership, _created = Membership.objects.update_or_create(
            user=claim.user,
            organisation=claim.organisation,
            defaults={"role": Membership.Role.OWNER},
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
            raise WorkflowError(_("This claim has already been decided."))
        _decide(claim=claim, by=by, status=ClaimRequest.Status.DECLINED, note=note)
    return claim


def _decide(*, claim: ClaimRequest, by, status: str, note: str) -> None:
    claim.status = status
    claim.decision_note = note
    claim.decided_by = by
    claim.decided_at = timezone.now()
    claim.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
    send_mail_after_commit(
        template=f"claim_{status}",
        subject=_("Your claim of %(name)s") % {"name": claim.organisation.name},
        to=[claim.user.email],
        context={
            "claim": claim,
            "organisation": claim.organisation,
            "note": note,
            "dashboard_url": absolute_url(reverse("dashboard")),
        },
    )


# Contact ------------------------------------------------------------------------------------


def contact_recipients(organisation: Organisation) -> list[str]:
    """Owners receive contact messages; an organisation without owners at its own address."""
    return owner_recipients(organisation) or ([organisation.email] if organisation.email else [])


def send_contact_message(*, organisation: Organisation, sender, subject: str, body: str):
    """Mail a message to the organisation without showing the sender any of its addresses.

    The message is stored first, then sent; its delivery (or the error) is recorded on it.
    """
    with transaction.atomic():
        message = ContactMessage.objects.create(
            organisation=organisation, sender=sender, subject=subject, body=body
        )
    recipients = contact_recipients(organisation)
    context = {
        "message": message,
        "organisation": organisation,
        "sender": sender,
        "report_url": absolute_url(
            reverse(
                "organisations:report_message",
                kwargs={"slug": organisation.slug, "pk": message.pk},
            )
        ),
    }
    text = render_to_string("organisations/email/contact_message.txt", context)
    sent = 0
    try:
        for recipient in recipients:
            sent += EmailMessage(
                f"[PeaceNet] {subject}", text, to=[recipient], reply_to=[sender.email]
            ).send()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Contact message %s not delivered: %s", message.pk, error)
        message.delivery_error = str(error)[:250]
    message.recipient_count = sent
    if sent and sent == len(recipients):
        message.delivered_at = timezone.now()
    elif not recipients:
        message.delivery_error = "The organisation has no owner or contact address."
    message.save(update_fields=["recipient_count", "delivered_at", "delivery_error"])
    return message


def report_contact_message(*, message: ContactMessage, by, reason: str) -> ContactMessage:
    """A recipient reports a contact message as abuse; staff are told."""
    with transaction.atomic():
        message.reported_at = timezone.now()
        message.reported_by = by
        message.report_reason = reason
        message.save(update_fields=["reported_at", "reported_by", "report_reason"])
        send_mail_after_commit(
            template="abuse_staff",
            subject=_("Contact message reported as abuse"),
            to=staff_recipients(),
            context={
                "message": message,
                "reason": reason,
                "admin_url": admin_change_url(message),
            },
        )
    return message
