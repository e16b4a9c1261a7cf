"""The one place for the rules of a partnership's life.

draft → open → forming → active → completed, or withdrawn by the lead before it is completed.
A proposal is *forming* once a partner has accepted, and *active* once at least two
organisations (the lead counts) have accepted and no invitation is left unanswered.

Every function takes keyword arguments only, runs in one transaction, locks the proposal's
row first (``select_for_update``) so that two people acting at the same moment are served one
after the other, checks who may act, records each step in the history, and mails the people
concerned once the transaction has committed. A rule that is broken raises ``DomainError``
with a message for the user; acting for an organisation one is not a member of raises
``PermissionDenied``.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisations.models import Organisation
from organisations.services import set_themes
from peacenet.lib import history
from peacenet.lib.caching import content_changed
from peacenet.lib.errors import DomainError
from peacenet.lib.slugs import unique_slug as _unique_slug
from peacenet.lib.staff import has_staff_powers

from . import emails, reporting
from .models import (
    RECRUITING,
    Answer,
    Deliverable,
    Participant,
    ParticipantRole,
    PartnershipProposal,
    ProgressReminder,
    ProgressUpdate,
    ProposalStatus,
    StatusChange,
)

# Allowed moves of a proposal's status; anything else is refused.
TRANSITIONS = {
    ProposalStatus.DRAFT: {ProposalStatus.OPEN, ProposalStatus.WITHDRAWN},
    ProposalStatus.OPEN: {ProposalStatus.FORMING, ProposalStatus.WITHDRAWN},
    ProposalStatus.FORMING: {ProposalStatus.ACTIVE, ProposalStatus.WITHDRAWN},
    ProposalStatus.ACTIVE: {ProposalStatus.COMPLETED, ProposalStatus.WITHDRAWN},
    ProposalStatus.COMPLETED: set(),
    ProposalStatus.WITHDRAWN: set(),
}
MINIMUM_ACCEPTED = 2
# Statuses in which no deliverable is marked done.
NO_TICKING = (ProposalStatus.WITHDRAWN,)


# Who may act ------------------------------------------------------------------------------


# The lead's steps and the status each moves the proposal to: a step is offered when
# TRANSITIONS allows that move from the proposal's status.
LEAD_STEPS = {
    "submit": ProposalStatus.OPEN,
    "start": ProposalStatus.ACTIVE,
    "complete": ProposalStatus.COMPLETED,
    "withdraw": ProposalStatus.WITHDRAWN,
}


@dataclass(frozen=True)
class AllowedActions:
    """What one user may do on one proposal (``allowed_actions``)."""

    is_lead: bool = False
    # Whether the user acts for any of the proposal's organisations (then they read why a
    # partner declined).
    takes_part: bool = False
    # The lead's steps (``LEAD_STEPS``), plus "edit" and "invite".
    steps: frozenset = frozenset()
    # Invitations of organisations the user acts for, still to be answered.
    invitations: tuple = ()
    # Organisations that asked to join, for the lead to decide.
    interested: tuple = ()
    # The user's own published organisations that may still ask to join an open call.
    may_join: tuple = ()
    # Accepted partners the user acts for, who may post progress updates.
    reporting: tuple = ()
    # The organisations whose deliverables the user may mark done (all, for the lead).
    ticks_for: frozenset = frozenset()


def allowed_actions(proposal, user):
    """What ``user`` may do on ``proposal`` now, derived from ``TRANSITIONS`` and from who
    acts for which organisation (``Organisation.editable_by``). The services check the same
    rules again when a step is taken. Expects ``participants`` prefetched with their
    organisations; costs one query, and one more for an open call still recruiting."""
    if not user.is_authenticated:
        return AllowedActions()
    participants = list(proposal.participants.all())
    acting = set(
        Organisation.objects.editable_by(user)
        .filter(pk__in=[p.organisation_id for p in participants])
        .values_list("pk", flat=True)
    )
    lead = next((p for p in participants if p.role == ParticipantRole.LEAD), None)
    is_lead = lead is not None and lead.organisation_id in acting
    moves = TRANSITIONS[ProposalStatus(proposal.status)]
    recruiting = proposal.status in RECRUITING and not proposal.is_hidden

    steps = set()
    if is_lead:
        steps = {step for step, target in LEAD_STEPS.items() if target in moves}
        if moves:  # Not finished.
            steps |= {"edit", "deliverables"}
        if proposal.status == ProposalStatus.DRAFT or recruiting:
            steps.add("invite")
        if proposal.is_hidden:  # ``_ensure_not_hidden``: no submitting, no inviting.
            steps -= {"submit", "invite"}

    may_join = ()
    if recruiting and proposal.is_recruiting:
        may_join = tuple(
            Organisation.objects.published()
            .filter(memberships__user=user)
            .exclude(pk__in=[p.organisation_id for p in participants])
        )
    return AllowedActions(
        is_lead=is_lead,
        takes_part=bool(acting),
        steps=frozenset(steps),
        invitations=tuple(
            p
            for p in participants
            if recruiting and p.answer == Answer.INVITED and p.organisation_id in acting
        ),
        interested=tuple(
            p for p in participants if recruiting and is_lead and p.answer == Answer.INTERESTED
        ),
        may_join=may_join,
        reporting=tuple(
            p.organisation
            for p in participants
            if proposal.status == ProposalStatus.ACTIVE
            and p.answer == Answer.ACCEPTED
            and p.organisation_id in acting
        ),
        ticks_for=frozenset(
            ()
            if proposal.status in NO_TICKING
            else {p.organisation_id for p in participants}
            if is_lead
            else acting
        ),
    )


def ensure_can_act_for(user, organisation):
    """Refuse unless ``user`` may act for ``organisation`` (``Organisation.editable_by``)."""
    if not organisation.is_editable_by(user):
        raise PermissionDenied(_("You cannot act for %(name)s.") % {"name": organisation})


def _lead_of(proposal):
    return proposal.participants.select_related("organisation").get(role=ParticipantRole.LEAD)


def _lock(proposal):
    """Re-read the proposal with its row locked until the transaction ends."""
    return PartnershipProposal.objects.select_for_update().get(pk=proposal.pk)


def _ensure_not_hidden(proposal):
    """A proposal the moderators have hidden invites no one, takes in no one and mails no
    one until they show it again."""
    if proposal.is_hidden:
        raise DomainError(
            _(
                "The moderators have hidden this proposal: it cannot invite, take in partners "
                "or mail anyone until they show it again."
            )
        )


def _lock_participant(participant):
    return (
        Participant.objects.select_for_update()
        .select_related("organisation")
        .get(pk=participant.pk)
    )


def _save_valid(instance):
    """Save ``instance`` if the model's own rules (``full_clean``) accept it, else refuse
    with their messages."""
    try:
        instance.full_clean()
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from None
    instance.save()
    return instance


# History and status -----------------------------------------------------------------------


def _record(*, proposal, by, to_status, from_status="", organisation=None, note=""):
    """A step in the proposal's story (``StatusChange``, shown on its page), and in the
    admin's history with who took it."""
    step = StatusChange.objects.create(
        proposal=proposal,
        organisation=organisation,
        from_status=from_status,
        to_status=to_status,
        by=by if by and by.is_authenticated else None,
        note=note,
    )
    if step.by is None:
        return
    if organisation is None:
        message = STATUS_MOVED if from_status else STATUS_BEGAN
    else:
        message = ANSWER_CHANGED if from_status else ANSWER_GIVEN
    history.record(
        user=by,
        obj=proposal,
        message=message,
        values={"organisation": organisation, "from": step.from_label, "to": step.to_label},
        note=note,
        flag=history.CHANGE if from_status else history.ADDITION,
    )


# What the admin's history says of each step.
STATUS_BEGAN = gettext_lazy("Status: %(to)s.")
STATUS_MOVED = gettext_lazy("Status: %(from)s → %(to)s.")
ANSWER_GIVEN = gettext_lazy("%(organisation)s: %(to)s.")
ANSWER_CHANGED = gettext_lazy("%(organisation)s: %(from)s → %(to)s.")


def _note(*, proposal, by, message, values=None, note=""):
    """Something done on ``proposal`` that is not a step of its status, in the admin's
    history."""
    history.record(
        user=by, obj=proposal, message=message, values=values, note=note, flag=history.CHANGE
    )


def _move(*, proposal, to, by, note=""):
    """Change a locked proposal's status if the rules allow it, and record the step."""
    current = ProposalStatus(proposal.status)
    if to not in TRANSITIONS[current]:
        raise DomainError(
            _("A proposal that is “%(current)s” cannot become “%(target)s”.")
            % {"current": current.label, "target": ProposalStatus(to).label}
        )
    proposal.status = to
    proposal.save(update_fields=["status", "updated"])
    _record(proposal=proposal, by=by, from_status=current, to_status=to, note=note)


def _advance(*, proposal, by):
    """Move a locked proposal along as far as its participants' answers allow."""
    answers = list(proposal.participants.values_list("answer", flat=True))
    accepted = answers.count(Answer.ACCEPTED)
    waiting = answers.count(Answer.INVITED)
    if proposal.status == ProposalStatus.OPEN and accepted >= MINIMUM_ACCEPTED:
        _move(proposal=proposal, to=ProposalStatus.FORMING, by=by)
    if proposal.status == ProposalStatus.FORMING and accepted >= MINIMUM_ACCEPTED and waiting == 0:
        _move(proposal=proposal, to=ProposalStatus.ACTIVE, by=by)


# Proposing --------------------------------------------------------------------------------


def unique_slug(title):
    return _unique_slug(
        title,
        queryset=PartnershipProposal.objects,
        fallback="proposal",
        under=reverse("partnerships:list"),
    )


@transaction.atomic
def create_proposal(*, proposal, themes, lead, partners, by, submit):
    """Save a new proposal led by ``lead`` with ``partners`` invited; submit it (open) or
    keep it as a draft. ``proposal`` is an unsaved instance with its fields filled in."""
    ensure_can_act_for(by, lead)
    if not lead.is_published:
        raise DomainError(
            _("%(name)s is not published yet, so it cannot propose partnerships.") % {"name": lead}
        )
    partners = [partner for partner in partners if partner.pk != lead.pk]
    if any(not partner.is_published for partner in partners):
        raise DomainError(_("Only published organisations can be invited."))
    proposal.status = ProposalStatus.DRAFT
    proposal.created_by = by
    proposal.slug = unique_slug(proposal.title)
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError:  # Someone took the same slug a moment ago.
        proposal.slug = f"{proposal.slug}-{get_random_string(6).lower()}"
        proposal.save()
    # Themes outside the vocabulary wait as suggestions for staff.
    set_themes(target=proposal, names=themes, by=by)
    Participant.objects.create(
        proposal=proposal,
        organisation=lead,
        role=ParticipantRole.LEAD,
        answer=Answer.ACCEPTED,
        answered_by=by,
        answered_at=timezone.now(),
    )
    Participant.objects.bulk_create(
        Participant(proposal=proposal, organisation=partner) for partner in partners
    )
    content_changed()  # bulk_create sends no signals.
    _record(proposal=proposal, by=by, to_status=ProposalStatus.DRAFT)
    if submit:
        submit_proposal(proposal=proposal, by=by)
    return proposal


@transaction.atomic
def submit_proposal(*, proposal, by):
    """Open a draft: it becomes public and the invited organisations are mailed."""
    proposal = _lock(proposal)
    lead = _lead_of(proposal)
    ensure_can_act_for(by, lead.organisation)
    _ensure_not_hidden(proposal)
    _move(proposal=proposal, to=ProposalStatus.OPEN, by=by)
    invited = Organisation.objects.filter(
        participations__proposal=proposal, participations__answer=Answer.INVITED
    )
    emails.invitation(proposal=proposal, lead=lead.organisation, organisations=invited)
    return proposal


@transaction.atomic
def invite_partners(*, proposal, organisations, by):
    """Invite more published organisations to a proposal that is still being formed."""
    proposal = _lock(proposal)
    lead = _lead_of(proposal)
    ensure_can_act_for(by, lead.organisation)
    if proposal.status not in (ProposalStatus.DRAFT, *RECRUITING):
        raise DomainError(_("This proposal no longer takes in partners."))
    _ensure_not_hidden(proposal)
    taken = set(proposal.participants.values_list("organisation_id", flat=True))
    new = [o for o in organisations if o.pk not in taken and o.is_published]
    Participant.objects.bulk_create(Participant(proposal=proposal, organisation=o) for o in new)
    content_changed()  # bulk_create sends no signals.
    if new:
        _note(
            proposal=proposal,
            by=by,
            message=gettext_lazy("Invited %(organisations)s."),
            values={"organisations": ", ".join(o.name for o in new)},
        )
    if proposal.status != ProposalStatus.DRAFT:
        emails.invitation(proposal=proposal, lead=lead.organisation, organisations=new)
    return new


def invite_partner(*, proposal, organisation, by):
    """Invite one published organisation; refused if it already takes part."""
    if not invite_partners(proposal=proposal, organisations=[organisation], by=by):
        raise DomainError(_("That organisation already takes part."))


# Answering --------------------------------------------------------------------------------


@transaction.atomic
def answer_invitation(*, participant, by, accept, message=""):
    """An invited organisation accepts or declines, with an optional message."""
    proposal = _lock(participant.proposal)
    participant = _lock_participant(participant)
    participant.proposal = proposal
    ensure_can_act_for(by, participant.organisation)
    if proposal.status not in RECRUITING or proposal.is_hidden:
        raise DomainError(_("This proposal is not taking answers."))
    if participant.answer != Answer.INVITED:
        raise DomainError(
            _("%(name)s has already answered this invitation.")
            % {"name": participant.organisation}
        )
    _set_answer(
        participant=participant,
        answer=Answer.ACCEPTED if accept else Answer.DECLINED,
        by=by,
        message=message,
    )
    _advance(proposal=proposal, by=by)
    lead = _lead_of(proposal)
    emails.answer(proposal=proposal, participant=participant, lead=lead.organisation)
    return participant


@transaction.atomic
def express_interest(*, proposal, organisation, by, message=""):
    """A published organisation asks to join an open call; the lead decides."""
    proposal = _lock(proposal)
    ensure_can_act_for(by, organisation)
    if not organisation.is_published:
        raise DomainError(
            _("%(name)s is not published yet, so it cannot join partnerships.")
            % {"name": organisation}
        )
    if not proposal.is_open_call or proposal.status not in RECRUITING or proposal.is_hidden:
        raise DomainError(_("This proposal is not an open call taking partners."))
    if proposal.call_has_closed:
        raise DomainError(
            _("This open call closed on %(date)s.")
            % {"date": formats.date_format(proposal.deadline)}
        )
    if proposal.participants.filter(organisation=organisation).exists():
        raise DomainError(
            _("%(name)s already takes part in this proposal.") % {"name": organisation}
        )
    try:
        with transaction.atomic():
            participant = Participant.objects.create(
                proposal=proposal,
                organisation=organisation,
                answer=Answer.INTERESTED,
                message=message,
                answered_by=by,
                answered_at=timezone.now(),
            )
    except IntegrityError:
        raise DomainError(
            _("%(name)s already takes part in this proposal.") % {"name": organisation}
        ) from None
    _record(
        proposal=proposal,
        organisation=organisation,
        to_status=Answer.INTERESTED,
        by=by,
        note=message,
    )
    lead = _lead_of(proposal)
    emails.interest(proposal=proposal, participant=participant, lead=lead.organisation)
    return participant


@transaction.atomic
def decide_interest(*, participant, by, accept):
    """The lead accepts or declines an organisation's interest."""
    proposal = _lock(participant.proposal)
    participant = _lock_participant(participant)
    participant.proposal = proposal
    lead = _lead_of(proposal)
    ensure_can_act_for(by, lead.organisation)
    if proposal.status not in RECRUITING:
        raise DomainError(_("This proposal is not taking partners."))
    _ensure_not_hidden(proposal)
    if participant.answer != Answer.INTERESTED:
        raise DomainError(
            _("The interest of %(name)s has already been answered.")
            % {"name": participant.organisation}
        )
    _set_answer(
        participant=participant,
        answer=Answer.ACCEPTED if accept else Answer.DECLINED,
        by=by,
        message=participant.message,
        note=_("Decided by the lead."),
    )
    _advance(proposal=proposal, by=by)
    emails.interest_decided(proposal=proposal, participant=participant)
    return participant


def _set_answer(*, participant, answer, by, message="", note=""):
    previous = participant.answer
    participant.answer = answer
    participant.message = message
    participant.answered_by = by
    participant.answered_at = timezone.now()
    participant.save(update_fields=["answer", "message", "answered_by", "answered_at"])
    _record(
        proposal=participant.proposal,
        organisation=participant.organisation,
        from_status=previous,
        to_status=answer,
        by=by,
        note=note or message,
    )


# The lead's decisions ---------------------------------------------------------------------


@transaction.atomic
def start_partnership(*, proposal, by, note=""):
    """The lead starts a forming partnership without waiting for the invitations still
    unanswered; it needs at least two organisations that accepted."""
    proposal = _lock(proposal)
    ensure_can_act_for(by, _lead_of(proposal).organisation)
    accepted = proposal.participants.filter(answer=Answer.ACCEPTED).count()
    if accepted < MINIMUM_ACCEPTED:
        raise DomainError(_("A partnership starts once at least two organisations have accepted."))
    _move(proposal=proposal, to=ProposalStatus.ACTIVE, by=by, note=note)
    return proposal


@transaction.atomic
def withdraw_proposal(*, proposal, by, note=""):
    """The lead withdraws; the partners who accepted, were invited or asked to join are told,
    unless the moderators have hidden the proposal."""
    proposal = _lock(proposal)
    lead = _lead_of(proposal)
    ensure_can_act_for(by, lead.organisation)
    was_public = proposal.status != ProposalStatus.DRAFT and not proposal.is_hidden
    _move(proposal=proposal, to=ProposalStatus.WITHDRAWN, by=by, note=note)
    if was_public:
        partners = Organisation.objects.filter(
            participations__proposal=proposal,
            participations__role=ParticipantRole.PARTNER,
            participations__answer__in=[Answer.INVITED, Answer.INTERESTED, Answer.ACCEPTED],
        )
        emails.withdrawn(proposal=proposal, lead=lead.organisation, partners=partners, note=note)
    return proposal


@transaction.atomic
def complete_proposal(*, proposal, by, note=""):
    proposal = _lock(proposal)
    ensure_can_act_for(by, _lead_of(proposal).organisation)
    _move(proposal=proposal, to=ProposalStatus.COMPLETED, by=by, note=note)
    return proposal


@transaction.atomic
def post_progress_update(*, proposal, organisation, by, text, date=None):
    """A participating organisation notes progress on an active partnership."""
    proposal = _lock(proposal)
    ensure_can_act_for(by, organisation)
    if proposal.status != ProposalStatus.ACTIVE:
        raise DomainError(_("Progress can be posted only while a partnership is active."))
    if not proposal.participants.filter(
        organisation=organisation, answer=Answer.ACCEPTED
    ).exists():
        raise DomainError(
            _("%(name)s is not a partner in this partnership.") % {"name": organisation}
        )
    update = _save_valid(
        ProgressUpdate(
            proposal=proposal,
            organisation=organisation,
            author=by,
            text=text,
            date=date or timezone.localdate(),
        )
    )
    _note(
        proposal=proposal,
        by=by,
        message=gettext_lazy("Progress posted for %(organisation)s."),
        values={"organisation": organisation.name},
    )
    return update


# Deliverables -----------------------------------------------------------------------------


@transaction.atomic
def add_deliverable(*, proposal, title, organisation, due, by):
    """The lead promises something: ``title``, answered for by ``organisation`` (one of the
    proposal's participants) by ``due``, while the proposal is not finished."""
    proposal = _lock(proposal)
    ensure_can_act_for(by, _lead_of(proposal).organisation)
    if not TRANSITIONS[ProposalStatus(proposal.status)]:
        raise DomainError(_("A finished proposal takes no new deliverables."))
    deliverable = _save_valid(
        Deliverable(
            proposal=proposal, title=title, organisation=organisation, due=due, created_by=by
        )
    )
    _note(
        proposal=proposal,
        by=by,
        message=gettext_lazy("Deliverable “%(title)s” added for %(organisation)s, due %(due)s."),
        values={"title": title, "organisation": organisation.name, "due": due.isoformat()},
    )
    return deliverable


@transaction.atomic
def mark_deliverable_done(*, deliverable, by, note=""):
    """The lead or the organisation answering for ``deliverable`` marks it done, with an
    optional note."""
    proposal = _lock(deliverable.proposal)
    deliverable = (
        Deliverable.objects.select_for_update()
        .select_related("organisation")
        .get(pk=deliverable.pk, proposal=proposal)
    )
    lead = _lead_of(proposal).organisation
    if not (lead.is_editable_by(by) or deliverable.organisation.is_editable_by(by)):
        raise PermissionDenied(
            _("Only the lead and %(name)s can mark this deliverable done.")
            % {"name": deliverable.organisation}
        )
    if proposal.status in NO_TICKING:
        raise DomainError(_("This proposal is withdrawn; its deliverables stay as they were."))
    if deliverable.is_done:
        raise DomainError(
            _("“%(title)s” was already marked done on %(date)s.")
            % {
                "title": deliverable.title,
                "date": formats.date_format(timezone.localdate(deliverable.done_at)),
            }
        )
    deliverable.done_at = timezone.now()
    deliverable.done_by = by
    deliverable.done_note = note.strip()
    deliverable.save(update_fields=["done_at", "done_by", "done_note"])
    _note(
        proposal=proposal,
        by=by,
        message=gettext_lazy("Deliverable “%(title)s” marked done."),
        values={"title": deliverable.title},
        note=deliverable.done_note,
    )
    return deliverable


# Progress reports ---------------------------------------------------------------------------


def send_progress_reminders(*, today=None):
    """Remind the lead of every active, public partnership whose progress report is due,
    once per due date (``reporting.Schedule.reminder_due``); return the proposals reminded.
    Running it again the same day, or later for the same due date, sends nothing more."""
    today = today or timezone.localdate()
    reminded = []
    active = PartnershipProposal.objects.public().filter(status=ProposalStatus.ACTIVE)
    for proposal in active.with_reporting().order_by("pk"):
        due = reporting.schedule(proposal, today=today).reminder_due
        if due is not None and _remind(proposal=proposal, due=due):
            reminded.append(proposal)
    return reminded


@transaction.atomic
def _remind(*, proposal, due):
    """Record and send one reminder; False if it was sent before."""
    _, created = ProgressReminder.objects.get_or_create(proposal=proposal, due=due)
    if created:
        emails.progress_reminder(proposal=proposal, lead=_lead_of(proposal).organisation, due=due)
    return created


# Moderation -------------------------------------------------------------------------------


@transaction.atomic
def hide_proposal(*, proposal, by, reason):
    """Staff hide a proposal that breaks the rules; the lead's members are told why."""
    if not has_staff_powers(by):
        raise PermissionDenied(_("Only moderators can hide proposals."))
    if not reason.strip():
        raise DomainError(_("Say why the proposal is hidden; the lead is told."))
    proposal = _lock(proposal)
    proposal.is_hidden = True
    proposal.hidden_reason = reason.strip()
    proposal.save(update_fields=["is_hidden", "hidden_reason", "updated"])
    _note(
        proposal=proposal,
        by=by,
        message=gettext_lazy("Hidden by the moderators."),
        note=proposal.hidden_reason,
    )
    lead = _lead_of(proposal)
    emails.hidden(proposal=proposal, lead=lead.organisation, reason=proposal.hidden_reason)
    return proposal


@transaction.atomic
def unhide_proposal(*, proposal, by):
    if not has_staff_powers(by):
        raise PermissionDenied(_("Only moderators can show hidden proposals."))
    proposal = _lock(proposal)
    proposal.is_hidden = False
    proposal.hidden_reason = ""
    proposal.save(update_fields=["is_hidden", "hidden_reason", "updated"])
    _note(proposal=proposal, by=by, message=gettext_lazy("Shown again by the moderators."))
    return proposal
