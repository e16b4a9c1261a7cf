"""Registering an organisation, keeping its profile current and submitting it again."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peacenet.lib import history
from peacenet.lib.slugs import unique_slug

from .. import emails
from ..models import FormerSlug, Membership, Organisation
from .errors import DomainError, OrganisationNameTaken
from .themes import set_themes


def _name_taken(name: str) -> OrganisationNameTaken:
    return OrganisationNameTaken(
        _("An organisation called “%(name)s” was registered a moment ago.") % {"name": name}
    )


def _set_relations(organisation: Organisation, relations: dict, *, by=None) -> None:
    """Set the many-to-many fields (themes, network groups, offers, needs) of a saved
    organisation: ``relations`` maps a field's name to its new values. Themes are names as
    typed: those outside the vocabulary wait as suggestions for staff (``set_themes``)."""
    for name, values in relations.items():
        if name == "themes":
            set_themes(target=organisation, names=values, by=by)
        else:
            getattr(organisation, name).set(values)


def register_organisation(*, organisation: Organisation, relations: dict, owner) -> Organisation:
    """Save ``organisation`` (unsaved, its fields filled in) as pending, owned by ``owner``,
    with its many-to-many ``relations``; staff are asked to review it.

    The database's unique constraints decide between two identical registrations sent at the
    same moment: the second raises ``OrganisationNameTaken`` and nothing of it is saved.
    """
    organisation.status = Organisation.Status.PENDING
    organisation.status_reason = ""
    organisation.last_confirmed = timezone.localdate()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                organisation.slug = unique_slug(
                    organisation.name,
                    queryset=Organisation.objects,
                    fallback="organisation",
                    under=reverse("organisations:directory"),
                    # A renamed organisation's old address keeps leading to it.
                    also_taken=[FormerSlug.objects],
                )
                organisation.save()
                _set_relations(organisation, relations, by=owner)
                Membership.objects.create(
                    user=owner, organisation=organisation, role=Membership.Role.OWNER
                )
                history.record(
                    user=owner,
                    obj=organisation,
                    message=gettext_lazy("Registered on the site; waiting for review."),
                )
                _notify_staff_of_registration(organisation=organisation, by=owner)
            return organisation
        except IntegrityError:
            organisation.pk = None
            organisation._state.adding = True
            if Organisation.objects.filter(name__iexact=organisation.name).exists():
                raise _name_taken(organisation.name) from None
            # Another name with the same slug won the race: try the next free slug.
    raise OrganisationNameTaken(
        _("PeaceNet is busy registering organisations with this name. Try again in a moment.")
    )


def _notify_staff_of_registration(*, organisation: Organisation, by, resubmitted=False):
    emails.registered(organisation=organisation, by=by, resubmitted=resubmitted)


def update_organisation(
    *, organisation: Organisation, relations: dict, by, changed=()
) -> Organisation:
    """Save ``by``'s edit of the profile (``organisation`` with its changed fields, and its
    many-to-many ``relations``; ``changed`` names the fields that changed, for the history).
    Editing confirms the profile is current; status stays. A new name gets a new address;
    the old one keeps working (``move_address``)."""
    organisation.last_confirmed = timezone.localdate()
    try:
        with transaction.atomic():
            before = Organisation.objects.select_for_update().values("name", "slug")
            before = before.get(pk=organisation.pk)
            if slugify(organisation.name) != slugify(before["name"]):
                organisation.slug = unique_slug(
                    organisation.name,
                    queryset=Organisation.objects.exclude(pk=organisation.pk),
                    fallback="organisation",
                    under=reverse("organisations:directory"),
                    # Its own old address it may take back; another's keeps leading there.
                    also_taken=[FormerSlug.objects.exclude(organisation=organisation)],
                )
            organisation.save()
            _set_relations(organisation, relations, by=by)
            move_address(organisation=organisation, old_slug=before["slug"])
            _record_confirmed(organisation=organisation, by=by, changed=changed)
    except IntegrityError:
        raise _name_taken(organisation.name) from None
    return organisation


def move_address(*, organisation: Organisation, old_slug: str) -> None:
    """Keep ``old_slug`` as a former address of ``organisation`` once its slug has changed
    (by a new name, or by staff in the admin), so old links redirect to the new one."""
    if organisation.slug == old_slug:
        return
    # The new slug is live again if it was a former address: it no longer redirects.
    FormerSlug.objects.filter(slug=organisation.slug).delete()
    FormerSlug.objects.update_or_create(slug=old_slug, defaults={"organisation": organisation})


def confirm_current(*, organisation: Organisation, by) -> Organisation:
    """Record that a member (``by``) checked the profile and it is still correct."""
    with transaction.atomic():
        organisation.last_confirmed = timezone.localdate()
        organisation.save(update_fields=["last_confirmed", "updated"])
        _record_confirmed(organisation=organisation, by=by)
    return organisation


def _record_confirmed(*, organisation: Organisation, by, changed=()) -> None:
    """The history of an edit (which fields changed) or of a confirmation without one."""
    history.record(
        user=by,
        obj=organisation,
        message=history.changed_fields(organisation, changed)
        if changed
        else gettext_lazy("Confirmed that the details are current."),
        flag=history.CHANGE,
    )


def resubmit(*, organisation: Organisation, by) -> Organisation:
    """Send a rejected organisation back to the moderation queue."""
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if organisation.status != Organisation.Status.REJECTED:
            raise DomainError(_("Only a rejected organisation can be submitted again."))
        organisation.status = Organisation.Status.PENDING
        organisation.save()
        history.record(
            user=by,
            obj=organisation,
            message=gettext_lazy("Submitted again for review."),
            flag=history.CHANGE,
        )
        _notify_staff_of_registration(organisation=organisation, by=by, resubmitted=True)
    return organisation
