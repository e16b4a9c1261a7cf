"""Every URL of PeaceNet, for every kind of person: who may see and do what.

The tests walk every URL pattern the resolver knows (not a hand-written list) and ask each
one as seven people, the roles of DESIGN.md's "Who may do what":

    anonymous     a visitor who is not signed in
    nobody        signed in, a member of no organisation
    editor_a      an editor of organisation A
    owner_a       an owner of organisation A
    member_b      an owner of organisation B (a member of another organisation)
    staff_no_mfa  a staff account (superuser) whose session signed in with a password only:
                  a plain member everywhere, and no way into the admin
    staff_mfa     a staff account (superuser) whose session completed its second factor

For each URL the table ``URLS`` below says what each of them gets for GET and, for a view that
changes data, for POST: a status, where a redirect leads, and whether the POST changed the
database. Every refused POST must leave every table exactly as it was (``db_fingerprint``);
every allowed POST must change it, which proves the data sent would have done something.
GET never changes anything, for anyone.

**Adding a URL**: the walk fails until it is classified. Add its name to ``URLS`` with one
``Case`` per situation worth asking about (a published and a pending organisation, a draft
and an open proposal): how to build its URL kwargs from the ``World``, what each role gets
(``roles(...)``, in the order above), and for POST the data to send. Third-party URL sets
(``/accounts/``, ``/admin/``) are classified further down with fewer roles, but are walked
the same way.

Like pretix's permission tests, the table is data a newcomer can read: find the URL's name,
read its row left to right.
"""

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.cache import caches
from django.db import connection, transaction
from django.tasks import TaskResultStatus
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django_tasks_db.models import DBTaskResult

from alerts.models import Follow
from alerts.services import follow, subscription_for, unsubscribe_token
from events.models import Registration
from organisations.models import (
    Capacity,
    ClaimRequest,
    ConfirmationReminder,
    ContactMessage,
    EditorInvitation,
    Membership,
    Organisation,
    ThemeSuggestion,
)
from organisations.services import confirmation_token, invitation_token
from partnerships.models import Answer, Deliverable, ProposalStatus
from peacenet.settings import TASKS as PRODUCTION_TASKS
from peacenet.sitemaps import SITEMAPS
from tests.accounts import sign_in_with_mfa
from tests.events.factories import EventFactory, FollowUpFactory, SessionFactory
from tests.factories import (
    AnnouncementFactory,
    FacilitatorFactory,
    MembershipFactory,
    NetworkGroupFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.partnerships.factories import ParticipantFactory, ProposalFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "nobody", "editor_a", "owner_a", "member_b", "staff_no_mfa", "staff_mfa")
LONG_AGO = datetime.date(2020, 1, 1)
LONG_AGO_INSTANT = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
THIS_FILE = "tests/peacenet/test_permissions_matrix.py"


# The world every test starts from ----------------------------------------------------------


@dataclass
class World:
    """Three published organisations (A with an owner and an editor, B with an owner, C
    pre-loaded without members), a network group, an upcoming event that takes registrations
    and an unpublished one, an open invitation to edit A, a contact message to A, and one row
    of every model the admin shows. ``users`` maps each role to its user (None: anonymous)."""

    users: dict
    org_a: Organisation
    org_b: Organisation
    org_c: Organisation
    group: Any
    event: Any
    unpublished_event: Any
    invitation: EditorInvitation
    message: ContactMessage
    # What a case's ``arrange`` made, for its data and ``then``.
    current: Any = None
    current_participant: Any = None

    def proposal(self, status=ProposalStatus.OPEN, **kwargs):
        """A proposal led by A (A has accepted, as the lead always has); the case's own."""
        self.current = ProposalFactory(lead_participant=self.org_a, status=status, **kwargs)
        return self.current

    def taking_part(self, proposal, organisation, answer):
        return ParticipantFactory(proposal=proposal, organisation=organisation, answer=answer)

    def set_status(self, organisation, status):
        organisation.status = status
        organisation.save()


def build_world():
    users = {
        "anonymous": None,
        "nobody": UserFactory(),
        "editor_a": UserFactory(),
        "owner_a": UserFactory(),
        "member_b": UserFactory(),
        "staff_no_mfa": UserFactory(is_staff=True, is_superuser=True),
        "staff_mfa": UserFactory(is_staff=True, is_superuser=True),
    }
    TOTP.activate(users["staff_mfa"], generate_totp_secret())
    for user in users.values():
        if user is not None:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    group = NetworkGroupFactory()
    org_a = OrganisationFactory(last_confirmed=LONG_AGO, themes=["mediation"])
    org_a.network_groups.add(group)
    group.facilitator = org_a
    group.save()
    org_a.offers.add(Capacity.objects.create(name="Training", slug="training"))
    ThemeSuggestion.objects.create(name="Water", content_object=org_a)
    org_b = OrganisationFactory()
    org_c = OrganisationFactory()
    MembershipFactory(user=users["owner_a"], organisation=org_a, role=Membership.Role.OWNER)
    MembershipFactory(user=users["editor_a"], organisation=org_a, role=Membership.Role.EDITOR)
    MembershipFactory(user=users["member_b"], organisation=org_b, role=Membership.Role.OWNER)
    # A's editor facilitates the group for A (A's owner does not).
    FacilitatorFactory(group=group, user=users["editor_a"], organisation=org_a)
    AnnouncementFactory(group=group, organisation=org_a)
    event = EventFactory(organiser=org_a, capacity=10)
    FollowUpFactory(event=event, owner=org_a)
    SessionFactory(event=event)
    ClaimRequest.objects.create(organisation=org_c, user=UserFactory(), justification="Me.")
    ProposalFactory(lead_participant=org_b, status=ProposalStatus.COMPLETED)
    DBTaskResult.objects.create(  # a mail the task worker could not deliver
        task_path="peacenet.lib.mail.deliver",
        args_kwargs={"args": [], "kwargs": {"to": "someone@example.org"}},
        status=TaskResultStatus.FAILED,
        backend_name="default",
        run_after=LONG_AGO_INSTANT,
    )
    Group.objects.create(name="Curators")
    # A's owner follows the group and has a digest subscription.
    follow(user=users["owner_a"], kind=Follow.Kind.GROUP, target=group)
    return World(
        users=users,
        org_a=org_a,
        org_b=org_b,
        org_c=org_c,
        group=group,
        event=event,
        unpublished_event=EventFactory(organiser=org_a, is_published=False),
        invitation=EditorInvitation.objects.create(
            organisation=org_a, email=users["nobody"].email, invited_by=users["owner_a"]
        ),
        message=ContactMessage.objects.create(
            organisation=org_a, sender=users["nobody"], subject="Hello", body="A question."
        ),
    )


def client_for(world, role):
    client = Client()
    user = world.users[role]
    if role == "staff_mfa":
        sign_in_with_mfa(client, user)
    elif user is not None:
        client.force_login(user)
    return client


# Nothing changed: a fingerprint of every table ----------------------------------------------

# Sessions change when someone signs in or a message is kept for the next page; they are not
# PeaceNet's data.
NOT_FINGERPRINTED = {"django_session"}


def db_fingerprint():
    """Each table's row count and a hash of all its rows, by table name (plain SQL: the ORM
    would take ten times as long, and this runs twice for every request)."""
    prints = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in NOT_FINGERPRINTED:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows = sorted(map(repr, cursor.fetchall()))
            prints[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return prints


def changed_tables(before, after):
    return sorted(label for label in before if before[label] != after[label])


# What a role gets ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    """A status; for a redirect, where to (``to``); for a POST, whether data changed.

    ``to`` is ``"login"`` (the sign-in page, coming back here), ``"admin_login"`` (the admin's
    sign-in, coming back here), ``"then"`` (the case's ``then``), or a URL name (whatever
    the query string).
    """

    status: int
    to: str | None = None
    changes: bool = False

    def __post_init__(self):
        assert (300 <= self.status < 400) == (self.to is not None), "redirects need a target"


OK = Expect(200)
BAD_REQUEST = Expect(400)
DENIED = Expect(403)
MISSING = Expect(404)
POST_ONLY = Expect(405)
LOGIN = Expect(302, "login")
ADMIN_LOGIN = Expect(302, "admin_login")
DONE = Expect(302, "then", changes=True)  # did it, and went on to ``then``
REFUSED = Expect(302, "then")  # said why not (a message), went on to ``then``, changed nothing


def to(name):
    """A redirect to the page named ``name``."""
    return Expect(302, name)


def roles(anonymous, nobody, editor_a, owner_a, member_b, staff_no_mfa, staff_mfa):
    """What each role gets, in the order of ``ROLES``."""
    return dict(
        zip(
            ROLES,
            (anonymous, nobody, editor_a, owner_a, member_b, staff_no_mfa, staff_mfa),
            strict=True,
        )
    )


EVERYONE = roles(OK, OK, OK, OK, OK, OK, OK)
SIGNED_IN = roles(LOGIN, OK, OK, OK, OK, OK, OK)
# A signed-in-only view that takes POST alone: sign in first, then 405 for GET.
SIGNED_IN_POST_ONLY = roles(LOGIN, *[POST_ONLY] * 6)


@dataclass(frozen=True)
class Case:
    """One situation in which to ask a URL: ``arrange`` builds what it needs on top of the
    world and returns the URL's kwargs; ``get``/``post`` say what each role gets; ``data`` is
    the POST body; ``then`` is where a done (or politely refused) POST leads."""

    label: str
    get: dict
    arrange: Callable[[World], dict] = lambda w: {}
    post: dict | None = None
    data: Callable[[World], dict] = lambda w: {}
    then: Callable[[World], str] | None = None


# Arrangements and data -----------------------------------------------------------------------


def org_a(w):
    return {"slug": w.org_a.slug}


def a_pending(w):
    """A waits for review (it registered, or was sent back for review)."""
    w.set_status(w.org_a, Organisation.Status.PENDING)
    return {}


def pending_a(w):
    a_pending(w)
    return org_a(w)


def rejected_a(w):
    w.set_status(w.org_a, Organisation.Status.REJECTED)
    return org_a(w)


def profile_data(w):
    a = w.org_a
    return {
        "name": a.name,
        "kind": a.kind,
        "summary": "A new summary of the work.",
        "email_visibility": a.email_visibility,
        "phone_visibility": a.phone_visibility,
        "address_visibility": a.address_visibility,
        "city": a.city,
    }


def registration_data(w):
    return {
        "name": "Tosangana Peace Circle",
        "kind": "diaspora",
        "summary": "Congolese diaspora women building peace.",
        "email_visibility": "admins",
        "phone_visibility": "admins",
        "address_visibility": "admins",
        "city": "The Hague",
        "themes": "gender",
        "consent": "on",
        "homepage": "",
    }


def proposal_data(w, **extra):
    return {
        "title": "Youth dialogue on radicalisation",
        "lead": w.org_a.pk,
        "summary": "Young people from diaspora communities meet policy makers.",
        "description": "Four dialogues a year.",
        "goals": "Understanding.",
        "themes": "Youth",
        **extra,
    }


def proposal_kwargs(proposal):
    return {"slug": proposal.slug}


def open_proposal(w):
    """Open, led by A; B invited and not yet answered; an open call."""
    proposal = w.proposal(is_open_call=True)
    w.taking_part(proposal, w.org_b, Answer.INVITED)
    return proposal_kwargs(proposal)


def draft_proposal(w):
    """A draft led by A, with B already on its list to invite."""
    proposal = w.proposal(status=ProposalStatus.DRAFT)
    w.taking_part(proposal, w.org_b, Answer.INVITED)
    return proposal_kwargs(proposal)


def hidden_proposal(w):
    proposal = w.proposal(is_hidden=True, hidden_reason="Off topic.")
    w.taking_part(proposal, w.org_b, Answer.ACCEPTED)
    return proposal_kwargs(proposal)


def open_call_b_interested(w):
    proposal = w.proposal(is_open_call=True)
    w.current_participant = w.taking_part(proposal, w.org_b, Answer.INTERESTED)
    return proposal_kwargs(proposal)


def open_call_without_b(w):
    proposal = w.proposal(is_open_call=True)
    return proposal_kwargs(proposal)


def forming_proposal(w):
    """Forming: A and B accepted, C still invited (so it did not start by itself)."""
    proposal = w.proposal(status=ProposalStatus.FORMING)
    w.taking_part(proposal, w.org_b, Answer.ACCEPTED)
    w.taking_part(proposal, w.org_c, Answer.INVITED)
    return proposal_kwargs(proposal)


def active_proposal(w):
    proposal = w.proposal(status=ProposalStatus.ACTIVE)
    w.taking_part(proposal, w.org_b, Answer.ACCEPTED)
    return proposal_kwargs(proposal)


def the_proposal(w):
    return w.current.get_absolute_url()


def completed_proposal(w):
    proposal = w.proposal(status=ProposalStatus.COMPLETED)
    w.taking_part(proposal, w.org_b, Answer.ACCEPTED)
    return proposal_kwargs(proposal)


def deliverable_of(organisation):
    """An active proposal led by A with B accepted, and a deliverable ``organisation`` (a
    function of the world) answers for."""

    def arrange(w):
        kwargs = active_proposal(w)
        w.current_participant = Deliverable.objects.create(
            proposal=w.current,
            organisation=organisation(w),
            title="A shared report",
            due=datetime.date(2030, 1, 1),
        )
        return kwargs

    return arrange


def deliverable_data(w):
    return {
        "deliverable-title": "A training for partners",
        "deliverable-organisation": w.org_b.pk,
        "deliverable-due": "2030-01-01",
    }


def b_invited_to_open(w):
    kwargs = open_proposal(w)
    w.current_participant = w.current.participants.get(organisation=w.org_b)
    return kwargs


def registered_everyone(w):
    for user in w.users.values():
        if user is not None:
            Registration.objects.create(
                event=w.event, user=user, status=Registration.Status.CONFIRMED
            )
    return {"slug": w.event.slug}


def invitation_of_b_through_a(w):
    invitation = EditorInvitation.objects.create(
        organisation=w.org_b, email="someone@example.org", invited_by=w.users["member_b"]
    )
    return {**org_a(w), "pk": invitation.pk}


def message_to_b_through_a(w):
    message = ContactMessage.objects.create(
        organisation=w.org_b, sender=w.users["nobody"], subject="Hello", body="A question."
    )
    return {**org_a(w), "pk": message.pk}


def owner_a_unsubscribe_link(w):
    return {"token": unsubscribe_token(subscription_for(w.users["owner_a"]))}


def invitation_kwargs(w):
    return {"token": invitation_token(w.invitation)}


def confirmation_link_of(role, **reminder):
    """A confirmation link for A mailed to ``role`` (with ``reminder``'s fields)."""

    def arrange(w):
        created = ConfirmationReminder.objects.create(
            organisation=w.org_a, stage=12, confirmed_since=LONG_AGO, **reminder
        )
        return {**org_a(w), "token": confirmation_token(created, w.users[role])}

    return arrange


def confirmation_link_of_a_former_editor(w):
    kwargs = confirmation_link_of("editor_a")(w)
    w.org_a.memberships.filter(user=w.users["editor_a"]).delete()
    return kwargs


# The table: every URL of PeaceNet's own apps -------------------------------------------------
#
#                   anonymous nobody  editor_a owner_a member_b staff_no_mfa staff_mfa

ORG_EDITORS_GET = roles(LOGIN, DENIED, OK, OK, DENIED, DENIED, OK)
ORG_EDITORS_POST = roles(LOGIN, DENIED, DONE, DONE, DENIED, DENIED, DONE)
# A's members and staff see A while it is pending or rejected; everyone else gets 404.
HIDDEN_ORG_GET = roles(MISSING, MISSING, OK, OK, MISSING, MISSING, OK)
HIDDEN_ORG_EDITORS_GET = roles(LOGIN, MISSING, OK, OK, MISSING, MISSING, OK)
HIDDEN_ORG_EDITORS_POST = roles(LOGIN, MISSING, DONE, DONE, MISSING, MISSING, DONE)
ORG_OWNERS_GET = roles(LOGIN, DENIED, DENIED, OK, DENIED, DENIED, OK)
ORG_OWNERS_POST = roles(LOGIN, DENIED, DENIED, DONE, DENIED, DENIED, DONE)
# The lead (A's members) and staff act on a proposal led by A; others may not act for A.
LEAD_POST = roles(LOGIN, DENIED, DONE, DONE, DENIED, DENIED, DONE)
# Acting for B on a proposal: B's member and staff.
FOR_B_POST = roles(LOGIN, DENIED, DENIED, DENIED, DONE, DENIED, DONE)
SIGNED_IN_POST = roles(LOGIN, DONE, DONE, DONE, DONE, DONE, DONE)
# A draft or hidden proposal: only its lead's members and staff know it exists.
HIDDEN_PROPOSAL_GET = roles(MISSING, MISSING, OK, OK, MISSING, MISSING, OK)
# The group's facilitator (A's editor) and staff post to the group and see its member list.
FACILITATOR_GET = roles(LOGIN, DENIED, OK, DENIED, DENIED, DENIED, OK)
FACILITATOR_POST = roles(LOGIN, DENIED, DONE, DENIED, DENIED, DENIED, DONE)


def group_kwargs(w):
    return {"slug": w.group.slug}


def event_details(w, **extra):
    day = timezone.localdate() + datetime.timedelta(days=30)
    return {
        "title": "Network meeting on youth",
        "day": day.isoformat(),
        "start_time": "14:00",
        "end_time": "16:00",
        "city": "The Hague",
        **extra,
    }


URLS: dict[str, list[Case]] = {
    # The project: home, health, search engines, accessibility, dashboard.
    "home": [Case("", EVERYONE)],
    "healthz": [Case("", EVERYONE)],
    "robots_txt": [Case("", EVERYONE)],
    "favicon": [Case("", EVERYONE)],
    "web_manifest": [Case("", EVERYONE)],
    "sitemap": [Case("", EVERYONE)],
    "sitemap_section": [
        Case(section, EVERYONE, arrange=lambda w, s=section: {"section": s})
        for section in SITEMAPS
    ],
    "accessibility": [Case("", EVERYONE)],
    "open_data": [Case("", EVERYONE)],
    "statistics": [Case("", EVERYONE)],
    "statistics_csv": [
        Case("", EVERYONE, arrange=lambda w: {"chart": "organisations-by-kind"}),
        Case("unknown", roles(*[MISSING] * 7), arrange=lambda w: {"chart": "nothing"}),
    ],
    # Choosing a language: kept in a cookie, and remembered on a signed-in person's account
    # for the mail they receive. GET goes back without changing anything.
    "set_language": [
        Case(
            "",
            roles(*[to("home")] * 7),
            post=roles(Expect(302, "then"), *[DONE] * 6),
            data=lambda w: {"language": "nl", "next": "/events/"},
            then=lambda w: "/nl/events/",  # the same page in the chosen language
        )
    ],
    "dashboard": [Case("", SIGNED_IN)],
    # The directory, profiles and network groups.
    "organisations:directory": [Case("", EVERYONE)],
    "organisations:map": [Case("", EVERYONE)],
    "organisations:export_csv": [Case("", EVERYONE)],
    "organisations:export_json": [Case("", EVERYONE)],
    "organisations:network_groups": [Case("", EVERYONE)],
    "organisations:network_group": [Case("", EVERYONE, arrange=lambda w: {"slug": w.group.slug})],
    "organisations:network_group_feed": [Case("", EVERYONE, arrange=group_kwargs)],
    # What the group's facilitators do. Taking the member list is recorded, so it is a POST
    # that answers with the CSV file.
    "organisations:announce": [
        Case(
            "",
            FACILITATOR_GET,
            arrange=group_kwargs,
            post=FACILITATOR_POST,
            data=lambda w: {"title": "We meet again", "text": "On Friday.", "link": ""},
            then=lambda w: w.group.get_absolute_url(),
        )
    ],
    "organisations:group_members": [Case("", FACILITATOR_GET, arrange=group_kwargs)],
    "organisations:group_members_csv": [
        Case(
            "",
            SIGNED_IN_POST_ONLY,
            arrange=group_kwargs,
            post=roles(
                LOGIN, DENIED, Expect(200, changes=True), *[DENIED] * 3, Expect(200, changes=True)
            ),
        )
    ],
    "organisations:detail": [
        Case("published", EVERYONE, arrange=org_a),
        Case("pending", HIDDEN_ORG_GET, arrange=pending_a),
        Case("rejected", HIDDEN_ORG_GET, arrange=rejected_a),
    ],
    # The profile's Open Graph picture: seen by whoever may see the profile.
    "organisations:card": [
        Case("published", EVERYONE, arrange=org_a),
        Case("pending", HIDDEN_ORG_GET, arrange=pending_a),
    ],
    # Registering and managing an organisation.
    "organisations:register": [
        Case(
            "",
            SIGNED_IN,
            post=SIGNED_IN_POST,
            data=registration_data,
            then=lambda w: reverse("dashboard"),
        )
    ],
    "organisations:edit": [
        Case(
            "published",
            ORG_EDITORS_GET,
            arrange=org_a,
            post=ORG_EDITORS_POST,
            data=profile_data,
            then=lambda w: w.org_a.get_absolute_url(),
        ),
        Case(
            "pending",
            HIDDEN_ORG_EDITORS_GET,
            arrange=pending_a,
            post=HIDDEN_ORG_EDITORS_POST,
            data=profile_data,
            then=lambda w: w.org_a.get_absolute_url(),
        ),
    ],
    "organisations:confirm": [
        Case(
            "",
            SIGNED_IN_POST_ONLY,
            arrange=org_a,
            post=ORG_EDITORS_POST,
            then=lambda w: w.org_a.get_absolute_url(),
        )
    ],
    # The link mailed to A's owner confirms A for them, whoever opens it, without signing in;
    # a GET only shows. Forged, used, or of someone no longer a member: a page saying so.
    "organisations:confirm_by_link": [
        Case(
            "owner's link",
            EVERYONE,
            arrange=confirmation_link_of("owner_a"),
            post=roles(*[DONE] * 7),
            then=lambda w: w.org_a.get_absolute_url(),
        ),
        Case(
            "forged",
            roles(*[BAD_REQUEST] * 7),
            arrange=lambda w: {**org_a(w), "token": "forged"},
            post=roles(*[BAD_REQUEST] * 7),
        ),
        Case(
            "used",
            roles(*[BAD_REQUEST] * 7),
            arrange=confirmation_link_of("owner_a", used_at=LONG_AGO_INSTANT),
            post=roles(*[BAD_REQUEST] * 7),
        ),
        Case(
            "former editor's",
            roles(*[BAD_REQUEST] * 7),
            arrange=confirmation_link_of_a_former_editor,
            post=roles(*[BAD_REQUEST] * 7),
        ),
    ],
    "organisations:resubmit": [
        Case(
            "rejected",
            SIGNED_IN_POST_ONLY,
            arrange=rejected_a,
            post=HIDDEN_ORG_EDITORS_POST,
            then=lambda w: reverse("dashboard"),
        )
    ],
    "organisations:members": [
        Case(
            "",
            ORG_OWNERS_GET,
            arrange=org_a,
            post=ORG_OWNERS_POST,
            data=lambda w: {"email": "new.editor@example.org"},
            then=lambda w: reverse("organisations:members", kwargs=org_a(w)),
        )
    ],
    "organisations:remove_member": [
        Case(
            "the editor",
            SIGNED_IN_POST_ONLY,
            arrange=lambda w: {
                **org_a(w),
                "pk": w.org_a.memberships.get(user=w.users["editor_a"]).pk,
            },
            post=ORG_OWNERS_POST,
            then=lambda w: reverse("organisations:members", kwargs=org_a(w)),
        ),
        # B's membership asked for through A's address: A's owners cannot reach it.
        Case(
            "B's member through A",
            SIGNED_IN_POST_ONLY,
            arrange=lambda w: {**org_a(w), "pk": w.org_b.memberships.get().pk},
            post=roles(LOGIN, DENIED, DENIED, MISSING, DENIED, DENIED, MISSING),
        ),
    ],
    # Handing ownership over: owners (and staff) make an editor an owner.
    "organisations:make_owner": [
        Case(
            "the editor",
            SIGNED_IN_POST_ONLY,
            arrange=lambda w: {
                **org_a(w),
                "pk": w.org_a.memberships.get(user=w.users["editor_a"]).pk,
            },
            post=ORG_OWNERS_POST,
            then=lambda w: reverse("organisations:members", kwargs=org_a(w)),
        ),
        Case(
            "B's member through A",
            SIGNED_IN_POST_ONLY,
            arrange=lambda w: {**org_a(w), "pk": w.org_b.memberships.get().pk},
            post=roles(LOGIN, DENIED, DENIED, MISSING, DENIED, DENIED, MISSING),
        ),
    ],
    # Stepping down to editor: never the only owner, not even by staff.
    "organisations:step_down": [
        Case(
            "A's only owner",
            SIGNED_IN_POST_ONLY,
            arrange=lambda w: {
                **org_a(w),
                "pk": w.org_a.memberships.get(user=w.users["owner_a"]).pk,
            },
            post=roles(LOGIN, DENIED, DENIED, REFUSED, DENIED, DENIED, REFUSED),
            then=lambda w: reverse("organisations:members", kwargs=org_a(w)),
        ),
        Case(
            "a second owner",
            SIGNED_IN_POST_ONLY,
            arrange=lambda w: {
                **org_a(w),
                "pk": MembershipFactory(organisation=w.org_a, role=Membership.Role.OWNER).pk,
            },
            post=ORG_OWNERS_POST,
            then=lambda w: reverse("organisations:members", kwargs=org_a(w)),
        ),
    ],
    # Leaving: one's own membership only; A's only owner hands over first.
    "organisations:leave": [
        Case(
            "",
            SIGNED_IN_POST_ONLY,
            arrange=org_a,
            post=roles(LOGIN, MISSING, DONE, REFUSED, MISSING, MISSING, MISSING),
            then=lambda w: reverse("dashboard"),
        ),
    ],
    "organisations:withdraw_invitation": [
        Case(
            "",
            SIGNED_IN_POST_ONLY,
            arrange=lambda w: {**org_a(w), "pk": w.invitation.pk},
            post=ORG_OWNERS_POST,
            then=lambda w: reverse("organisations:members", kwargs=org_a(w)),
        ),
        Case(
            "B's invitation through A",
            SIGNED_IN_POST_ONLY,
            arrange=invitation_of_b_through_a,
            post=roles(LOGIN, DENIED, DENIED, MISSING, DENIED, DENIED, MISSING),
        ),
    ],
    # The invitation is for nobody's address: only they can accept it.
    "organisations:accept_invitation": [
        Case(
            "for nobody",
            SIGNED_IN,
            arrange=invitation_kwargs,
            post=roles(LOGIN, DONE, OK, OK, OK, OK, OK),
            then=lambda w: reverse("dashboard"),
        ),
        Case(
            "forged token",
            roles(LOGIN, *[BAD_REQUEST] * 6),
            arrange=lambda w: {"token": "forged"},
            post=roles(LOGIN, *[BAD_REQUEST] * 6),
        ),
    ],
    "organisations:claim": [
        Case(
            "pre-loaded",
            SIGNED_IN,
            arrange=lambda w: {"slug": w.org_c.slug},
            post=SIGNED_IN_POST,
            data=lambda w: {"justification": "I coordinate it.", "homepage": ""},
            then=lambda w: w.org_c.get_absolute_url(),
        ),
        # An organisation with members cannot be claimed: ask them for an invitation.
        Case(
            "has members",
            roles(LOGIN, *[REFUSED] * 6),
            arrange=org_a,
            post=roles(LOGIN, *[REFUSED] * 6),
            data=lambda w: {"justification": "I coordinate it.", "homepage": ""},
            then=lambda w: w.org_a.get_absolute_url(),
        ),
    ],
    "organisations:contact": [
        Case(
            "published",
            SIGNED_IN,
            arrange=org_a,
            post=SIGNED_IN_POST,
            data=lambda w: {"subject": "Working together", "body": "Shall we?", "homepage": ""},
            then=lambda w: w.org_a.get_absolute_url(),
        ),
        Case(
            "pending",
            roles(LOGIN, *[MISSING] * 6),
            arrange=pending_a,
            post=roles(LOGIN, *[MISSING] * 6),
            data=lambda w: {"subject": "Working together", "body": "Shall we?", "homepage": ""},
        ),
    ],
    "organisations:report_message": [
        Case(
            "",
            ORG_EDITORS_GET,
            arrange=lambda w: {**org_a(w), "pk": w.message.pk},
            post=ORG_EDITORS_POST,
            data=lambda w: {"reason": "Threatening."},
            then=lambda w: reverse("dashboard"),
        ),
        # A message to B, asked for through A's address.
        Case(
            "B's message through A",
            roles(LOGIN, DENIED, MISSING, MISSING, DENIED, DENIED, MISSING),
            arrange=message_to_b_through_a,
            post=roles(LOGIN, DENIED, MISSING, MISSING, DENIED, DENIED, MISSING),
            data=lambda w: {"reason": "Threatening."},
        ),
    ],
    # The newest organisations matching the directory's filters, as an Atom feed.
    "organisations:feed": [Case("", EVERYONE)],
    # Alerts: anyone signed in follows what is public and manages only their own alerts.
    "alerts:list": [Case("", SIGNED_IN)],
    "alerts:follow": [
        Case(
            "a published organisation",
            SIGNED_IN_POST_ONLY,
            post=roles(LOGIN, *[DONE] * 6),
            data=lambda w: {
                "kind": "organisation",
                "slug": w.org_b.slug,
                "next": w.org_b.get_absolute_url(),
            },
            then=lambda w: w.org_b.get_absolute_url(),
        ),
        Case(
            "a search",
            SIGNED_IN_POST_ONLY,
            post=roles(LOGIN, *[DONE] * 6),
            data=lambda w: {"kind": "search", "query": "kind=ngo", "next": "/organisations/"},
            then=lambda w: "/organisations/",
        ),
        # Nobody, staff included, follows what visitors cannot see.
        Case(
            "a pending organisation",
            SIGNED_IN_POST_ONLY,
            arrange=a_pending,
            post=roles(LOGIN, *[MISSING] * 6),
            data=lambda w: {"kind": "organisation", "slug": w.org_a.slug},
        ),
        Case(
            "a draft proposal",
            SIGNED_IN_POST_ONLY,
            arrange=lambda w: draft_proposal(w) and {},
            post=roles(LOGIN, *[MISSING] * 6),
            data=lambda w: {"kind": "partnership", "slug": w.current.slug},
        ),
        Case(
            "a search with bad filters",
            SIGNED_IN_POST_ONLY,
            post=roles(LOGIN, *[REFUSED] * 6),
            data=lambda w: {
                "kind": "search",
                "query": "kind=spaceship",
                "next": "/organisations/",
            },
            then=lambda w: "/organisations/",
        ),
    ],
    "alerts:unfollow": [
        Case(
            "A's owner's alert",
            SIGNED_IN_POST_ONLY,
            arrange=lambda w: {"pk": Follow.objects.get(user=w.users["owner_a"]).pk},
            post=roles(LOGIN, MISSING, MISSING, DONE, MISSING, MISSING, MISSING),
            then=lambda w: reverse("alerts:list"),
        )
    ],
    "alerts:frequency": [
        Case(
            "",
            SIGNED_IN_POST_ONLY,
            post=roles(LOGIN, *[DONE] * 6),
            data=lambda w: {"frequency": "daily"},
            then=lambda w: reverse("alerts:list"),
        )
    ],
    # The signed link in a digest works without signing in, for its own subscription only.
    "alerts:unsubscribe": [
        Case(
            "A's owner's link",
            EVERYONE,
            arrange=owner_a_unsubscribe_link,
            post=roles(*[Expect(200, changes=True)] * 7),
        ),
        Case(
            "a tampered link",
            roles(*[BAD_REQUEST] * 7),
            arrange=lambda w: {"token": owner_a_unsubscribe_link(w)["token"][:-3] + "xyz"},
            post=roles(*[BAD_REQUEST] * 7),
        ),
    ],
    # Events.
    "events:list": [Case("", EVERYONE)],
    "events:feed": [Case("", EVERYONE)],
    "events:feed_ics": [Case("", EVERYONE)],
    "events:detail": [
        Case("published", EVERYONE, arrange=lambda w: {"slug": w.event.slug}),
        Case(
            "unpublished",
            roles(*[MISSING] * 6, OK),
            arrange=lambda w: {"slug": w.unpublished_event.slug},
        ),
    ],
    "events:ics": [
        Case("published", EVERYONE, arrange=lambda w: {"slug": w.event.slug}),
        Case(
            "unpublished",
            roles(*[MISSING] * 6, OK),
            arrange=lambda w: {"slug": w.unpublished_event.slug},
        ),
    ],
    # Members of a published organisation submit its events for review (staff add theirs in
    # the admin): B's member choosing A as organiser gets the form back with an error.
    "events:submit": [
        Case(
            "",
            roles(LOGIN, DENIED, OK, OK, OK, DENIED, DENIED),
            post=roles(LOGIN, DENIED, DONE, DONE, OK, DENIED, DENIED),
            data=lambda w: event_details(w, organisation=w.org_a.pk, kind="training"),
            then=lambda w: reverse("events:list"),
        )
    ],
    "events:add_group_meeting": [
        Case(
            "",
            FACILITATOR_GET,
            arrange=group_kwargs,
            post=FACILITATOR_POST,
            data=event_details,
            then=lambda w: reverse("events:detail", kwargs={"slug": "network-meeting-on-youth"}),
        )
    ],
    "events:register": [
        Case(
            "",
            SIGNED_IN_POST_ONLY,
            arrange=lambda w: {"slug": w.event.slug},
            post=SIGNED_IN_POST,
            then=lambda w: w.event.get_absolute_url(),
        ),
        # Staff see an unpublished event, but no one can register for it.
        Case(
            "unpublished",
            SIGNED_IN_POST_ONLY,
            arrange=lambda w: {"slug": w.unpublished_event.slug},
            post=roles(LOGIN, *[MISSING] * 5, REFUSED),
            then=lambda w: w.unpublished_event.get_absolute_url(),
        ),
    ],
    "events:cancel": [
        Case(
            "registered",
            SIGNED_IN_POST_ONLY,
            arrange=registered_everyone,
            post=SIGNED_IN_POST,
            then=lambda w: w.event.get_absolute_url(),
        )
    ],
    # Partnerships.
    "partnerships:list": [Case("", EVERYONE)],
    "partnerships:feed": [Case("", EVERYONE)],
    "partnerships:network": [Case("", EVERYONE)],
    # One proposes for a published organisation one is a member of, staff too (the choice of
    # lead stays short whatever the size of the directory): B's member choosing A as the
    # lead gets the form back with an error.
    "partnerships:propose": [
        Case(
            "led by A",
            roles(LOGIN, DENIED, OK, OK, OK, DENIED, DENIED),
            post=roles(LOGIN, DENIED, DONE, DONE, OK, DENIED, DENIED),
            data=lambda w: proposal_data(w, action="submit"),
            then=lambda w: reverse(
                "partnerships:detail", kwargs={"slug": slugify(proposal_data(w)["title"])}
            ),
        ),
        # A's members cannot propose while A waits for review.
        Case(
            "A pending",
            roles(LOGIN, DENIED, DENIED, DENIED, OK, DENIED, DENIED),
            arrange=a_pending,
            post=roles(LOGIN, DENIED, DENIED, DENIED, OK, DENIED, DENIED),
            data=lambda w: proposal_data(w, action="submit"),
        ),
    ],
    "partnerships:partner_search": [Case("", SIGNED_IN)],
    "partnerships:detail": [
        Case("open", EVERYONE, arrange=open_proposal),
        Case("draft", HIDDEN_PROPOSAL_GET, arrange=draft_proposal),
        Case("hidden", HIDDEN_PROPOSAL_GET, arrange=hidden_proposal),
    ],
    "partnerships:card": [
        Case("open", EVERYONE, arrange=open_proposal),
        Case("draft", HIDDEN_PROPOSAL_GET, arrange=draft_proposal),
    ],
    "partnerships:edit": [
        Case(
            "open",
            ORG_EDITORS_GET,
            arrange=open_proposal,
            post=LEAD_POST,
            data=lambda w: proposal_data(w, title="A better title"),
            then=the_proposal,
        ),
        Case(
            "draft",
            HIDDEN_ORG_EDITORS_GET,
            arrange=draft_proposal,
            post=roles(LOGIN, MISSING, DONE, DONE, MISSING, MISSING, DONE),
            data=lambda w: proposal_data(w, title="A better title"),
            then=the_proposal,
        ),
    ],
    "partnerships:submit": [
        Case(
            "draft",
            SIGNED_IN_POST_ONLY,
            arrange=draft_proposal,
            post=roles(LOGIN, MISSING, DONE, DONE, MISSING, MISSING, DONE),
            then=the_proposal,
        )
    ],
    "partnerships:start": [
        Case(
            "forming",
            SIGNED_IN_POST_ONLY,
            arrange=forming_proposal,
            post=LEAD_POST,
            then=the_proposal,
        )
    ],
    "partnerships:answer": [
        Case(
            "B invited",
            SIGNED_IN_POST_ONLY,
            arrange=b_invited_to_open,
            post=FOR_B_POST,
            data=lambda w: {"participant": w.current_participant.pk, "decision": "accept"},
            then=the_proposal,
        )
    ],
    "partnerships:interest": [
        Case(
            "open call, for B",
            SIGNED_IN_POST_ONLY,
            arrange=open_call_without_b,
            post=FOR_B_POST,
            data=lambda w: {"organisation": w.org_b.pk, "message": "We can help."},
            then=the_proposal,
        )
    ],
    "partnerships:decide": [
        Case(
            "B interested",
            SIGNED_IN_POST_ONLY,
            arrange=open_call_b_interested,
            post=LEAD_POST,
            data=lambda w: {"participant": w.current_participant.pk, "decision": "accept"},
            then=the_proposal,
        )
    ],
    "partnerships:invite": [
        Case(
            "open, invite C",
            SIGNED_IN_POST_ONLY,
            arrange=open_proposal,
            post=LEAD_POST,
            data=lambda w: {"organisation": w.org_c.pk},
            then=the_proposal,
        ),
        # Hidden by the moderators: invites no one, whoever asks.
        Case(
            "hidden",
            SIGNED_IN_POST_ONLY,
            arrange=hidden_proposal,
            post=roles(LOGIN, MISSING, REFUSED, REFUSED, MISSING, MISSING, REFUSED),
            data=lambda w: {"organisation": w.org_c.pk},
            then=the_proposal,
        ),
    ],
    "partnerships:withdraw": [
        Case(
            "open",
            SIGNED_IN_POST_ONLY,
            arrange=open_proposal,
            post=LEAD_POST,
            data=lambda w: {"withdraw-note": "No funding."},
            then=the_proposal,
        )
    ],
    "partnerships:complete": [
        Case(
            "active",
            SIGNED_IN_POST_ONLY,
            arrange=active_proposal,
            post=LEAD_POST,
            data=lambda w: {"complete-note": "Done."},
            then=the_proposal,
        )
    ],
    "partnerships:add_deliverable": [
        Case(
            "open",
            SIGNED_IN_POST_ONLY,
            arrange=open_proposal,
            post=LEAD_POST,
            data=deliverable_data,
            then=the_proposal,
        ),
        Case(
            "draft",
            SIGNED_IN_POST_ONLY,
            arrange=draft_proposal,
            post=roles(LOGIN, MISSING, DONE, DONE, MISSING, MISSING, DONE),
            data=deliverable_data,
            then=the_proposal,
        ),
        # A finished proposal takes no new deliverables, not even from its lead.
        Case(
            "completed",
            SIGNED_IN_POST_ONLY,
            arrange=completed_proposal,
            post=roles(LOGIN, DENIED, REFUSED, REFUSED, DENIED, DENIED, REFUSED),
            data=deliverable_data,
            then=the_proposal,
        ),
    ],
    # The lead and the organisation answering for a deliverable mark it done.
    "partnerships:deliverable_done": [
        Case(
            "B's deliverable",
            SIGNED_IN_POST_ONLY,
            arrange=deliverable_of(lambda w: w.org_b),
            post=roles(LOGIN, DENIED, DONE, DONE, DONE, DENIED, DONE),
            data=lambda w: {"deliverable": w.current_participant.pk, "note": "Sent."},
            then=the_proposal,
        ),
        Case(
            "A's deliverable",
            SIGNED_IN_POST_ONLY,
            arrange=deliverable_of(lambda w: w.org_a),
            post=LEAD_POST,
            data=lambda w: {"deliverable": w.current_participant.pk, "note": "Sent."},
            then=the_proposal,
        ),
    ],
    # A partnership's news is public: a draft's or a hidden one's has no feed, for anyone.
    "partnerships:proposal_feed": [
        Case("open", EVERYONE, arrange=open_proposal),
        Case("draft", roles(*[MISSING] * 7), arrange=draft_proposal),
        Case("hidden", roles(*[MISSING] * 7), arrange=hidden_proposal),
    ],
    "partnerships:progress": [
        Case(
            "active, for A",
            SIGNED_IN_POST_ONLY,
            arrange=active_proposal,
            post=LEAD_POST,
            data=lambda w: {
                "organisation": w.org_a.pk,
                "date": "2026-01-15",
                "text": "Two meetings held.",
            },
            then=the_proposal,
        ),
        Case(
            "active, for B",
            SIGNED_IN_POST_ONLY,
            arrange=active_proposal,
            post=FOR_B_POST,
            data=lambda w: {
                "organisation": w.org_b.pk,
                "date": "2026-01-15",
                "text": "A workshop given.",
            },
            then=the_proposal,
        ),
    ],
}


# Walking the resolver ------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    route: str  # the full pattern, e.g. "organisations/<slug:slug>/edit/"
    name: str | None  # namespaced, e.g. "organisations:edit"; None for some admin patterns

    def __str__(self):
        return self.name or self.route


def walk(patterns, prefix="", namespace=""):
    """Every URL pattern below ``patterns``, with its full route and namespaced name."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            assert isinstance(pattern, URLPattern)
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield Route(prefix + str(pattern.pattern), name)


ROUTES = list(walk(get_resolver().url_patterns))


# Asking a URL as every role ------------------------------------------------------------------


def where(response):
    location = response.get("Location", "")
    split = urlsplit(location)
    return split.path, parse_qs(split.query)


def mismatch(expect, response, *, url, then, changed, method):
    """What is wrong with this answer, or None."""
    got = response.status_code
    location = response.get("Location", "")
    if got != expect.status:
        return f"{got} {location}".strip() + f", expected {expect.status}"
    if expect.to is not None:
        path, query = where(response)
        if expect.to in ("login", "admin_login"):
            login = reverse("account_login" if expect.to == "login" else "admin:login")
            if path != login or query.get("next") != [url]:
                return f"redirect to {location}, expected {login}?next={url}"
        elif expect.to == "then":
            if location != then:
                return f"redirect to {location}, expected {then}"
        elif path != reverse(expect.to):
            return f"redirect to {location}, expected {reverse(expect.to)}"
    if method == "get" and changed:
        return f"GET changed {', '.join(changed)}"
    if expect.changes and not changed:
        return "changed nothing: the POST was expected to do its work"
    if not expect.changes and changed:
        return f"a refused POST changed {', '.join(changed)}"
    if not expect.changes and mail.outbox:
        return f"a refused POST sent mail: {mail.outbox[0].subject}"
    return None


def sign_in_everyone(world, roles=ROLES):
    """A test client for each role, signed in as its user."""
    return {role: client_for(world, role) for role in roles}


def ask_every_role(clients, url, expectations, *, method="get", data=None, then=None):
    """Ask ``url`` as each role of ``expectations``, each time from the same database (a
    savepoint rolled back) and empty caches (rate limits, cached pages); return the wrong
    answers."""
    before = db_fingerprint()
    problems = []
    for role, expect in expectations.items():
        send = clients[role].get if method == "get" else clients[role].post
        with transaction.atomic():
            for each in caches.all():
                each.clear()
            mail.outbox = []
            response = send(url, data)
            changed = changed_tables(before, db_fingerprint())
            transaction.set_rollback(True)
        problem = mismatch(expect, response, url=url, then=then, changed=changed, method=method)
        if problem:
            problems.append(f"  {method.upper()} {url} as {role}: {problem}")
    return problems


# PeaceNet's own URLs -------------------------------------------------------------------------

THIRD_PARTY = ("accounts/", "admin/")


LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def own_url_params():
    """One test per URL and case; an unclassified URL is a test that fails. Each case is
    asked at its address in one of the languages, in turn (English plain, the others under
    /nl/, /fr/, /ar/), so the prefixed addresses are walked as well as the plain ones."""
    params = []
    for route in ROUTES:
        if route.route.startswith(THIRD_PARTY):
            continue
        cases = URLS.get(route.name) or [None]
        for case in cases:
            label = f"[{case.label}]" if case and case.label else ""
            language = LANGUAGE_CODES[len(params) % len(LANGUAGE_CODES)]
            params.append(pytest.param(route, case, language, id=f"{route}{label}-{language}"))
    return params


@pytest.mark.parametrize(("route", "case", "language"), own_url_params())
def test_own_url_answers_each_role_as_the_table_says(route, case, language):
    if case is None:
        pytest.fail(
            f"The URL {route.route!r} (name {route.name!r}) is not classified. Add it to URLS "
            f"in {THIS_FILE}: what each role gets for GET (and for POST if it changes data).",
            pytrace=False,
        )
    world = build_world()
    # Addresses (the URL, where redirects lead) are built in the language of the one asked.
    with translation.override(language):
        url = reverse(route.name, kwargs=case.arrange(world))
        clients = sign_in_everyone(world)
        then = case.then(world) if case.then else None
        problems = ask_every_role(clients, url, case.get, then=then)
        if case.post is not None:
            problems += ask_every_role(
                clients, url, case.post, method="post", data=case.data(world), then=then
            )
    assert not problems, "\n".join(problems)


def test_the_walk_asks_urls_in_every_language():
    asked = [param.values[2] for param in own_url_params()]

    assert set(asked) == set(LANGUAGE_CODES)
    assert min(asked.count(code) for code in LANGUAGE_CODES) > len(asked) // 5


def test_a_new_url_fails_until_it_is_classified(monkeypatch):
    monkeypatch.delitem(URLS, "partnerships:edit")

    unclassified = [p.values[0] for p in own_url_params() if p.values[1] is None]

    assert [route.name for route in unclassified] == ["partnerships:edit"]


def test_the_table_names_only_urls_that_exist():
    names = {route.name for route in ROUTES}
    stale = sorted(set(URLS) - names)
    assert not stale, f"URLS in {THIS_FILE} names URLs that no longer exist: {stale}"


# Accounts (allauth): walked for fewer roles ------------------------------------
#
# Members of organisations are nobody's equals on these pages; what matters is signed in or
# not, and staff with or without a second factor.

ACCOUNT_ROLES = ("anonymous", "nobody", "staff_no_mfa", "staff_mfa")


def accounts(anonymous, nobody, staff_no_mfa, staff_mfa):
    return dict(zip(ACCOUNT_ROLES, (anonymous, nobody, staff_no_mfa, staff_mfa), strict=True))


ACCOUNT_PAGE = accounts(LOGIN, OK, OK, OK)  # a signed-in person's own account page
ACCOUNT_PUBLIC = accounts(OK, OK, OK, OK)
SIGNED_IN_GO_HOME = accounts(OK, to("dashboard"), to("dashboard"), to("dashboard"))

ACCOUNTS = {
    "account_login": SIGNED_IN_GO_HOME,
    "account_signup": SIGNED_IN_GO_HOME,
    "account_logout": accounts(to("home"), OK, OK, OK),  # a page asking to confirm by POST
    "account_inactive": ACCOUNT_PUBLIC,
    "account_reauthenticate": ACCOUNT_PAGE,
    "account_request_reauthentication_code": ACCOUNT_PAGE,
    "account_confirm_reauthentication_code": accounts(
        LOGIN, *[to("account_request_reauthentication_code")] * 3
    ),
    "account_email": ACCOUNT_PAGE,
    "account_email_verification_sent": ACCOUNT_PUBLIC,
    "account_confirm_email": ACCOUNT_PUBLIC,  # a forged key: "this link is not valid"
    "account_change_password": ACCOUNT_PAGE,
    "account_set_password": accounts(LOGIN, *[to("account_change_password")] * 3),
    "account_reset_password": ACCOUNT_PUBLIC,
    "account_reset_password_done": ACCOUNT_PUBLIC,
    "account_reset_password_from_key": ACCOUNT_PUBLIC,  # a forged key: "not valid"
    "account_reset_password_from_key_done": ACCOUNT_PUBLIC,
    "account_confirm_login_code": accounts(to("account_login"), *[to("dashboard")] * 3),
    "mfa_index": ACCOUNT_PAGE,
    "mfa_authenticate": accounts(to("account_login"), *[to("dashboard")] * 3),
    # Confirming a second factor needs one; without, confirm the password.
    "mfa_reauthenticate": accounts(
        LOGIN, to("account_reauthenticate"), to("account_reauthenticate"), OK
    ),
    # Sensitive steps ask for the password again, unless the session signed in with it
    # moments ago (peacenet.adapter): staff_mfa did, the others never typed it (force_login).
    # staff_mfa already has an authenticator app: to add one is to be shown how to remove it.
    "mfa_activate_totp": accounts(
        LOGIN, *[to("account_reauthenticate")] * 2, to("mfa_deactivate_totp")
    ),
    # Only staff_mfa has an authenticator app to turn off, and no recovery codes yet.
    "mfa_deactivate_totp": accounts(LOGIN, MISSING, MISSING, OK),
    "mfa_view_recovery_codes": accounts(LOGIN, MISSING, MISSING, MISSING),
    "mfa_generate_recovery_codes": accounts(LOGIN, *[to("account_reauthenticate")] * 2, OK),
    "mfa_download_recovery_codes": accounts(LOGIN, MISSING, MISSING, MISSING),
}
ACCOUNT_KWARGS = {
    "account_confirm_email": {"key": "forged"},
    "account_reset_password_from_key": {"uidb36": "0", "key": "forged"},
}


def test_account_urls_answer_as_expected():
    world = build_world()
    clients = sign_in_everyone(world, ACCOUNT_ROLES)
    problems = []
    for route in ROUTES:
        if not route.route.startswith("accounts/"):
            continue
        if route.name not in ACCOUNTS:
            problems.append(
                f"  {route.route!r} (name {route.name!r}) is not classified: add it to "
                f"ACCOUNTS in {THIS_FILE} (what anonymous, nobody and staff get for GET)."
            )
            continue
        url = reverse(route.name, kwargs=ACCOUNT_KWARGS.get(route.name))
        problems += ask_every_role(clients, url, ACCOUNTS[route.name])
    assert not problems, "\n".join(problems)


# The admin: walked for fewer roles -----------------------------------------------------------
#
# Only staff whose session completed its second factor get in. Everyone else is sent to the
# admin's sign-in (which sends staff without a second factor on to set one up) and never sees
# an admin page. For staff with a second factor every page answers: the index, each app, each
# model's list, add, change, history and delete pages.

ADMIN_ROLES = ("anonymous", "owner_a", "staff_no_mfa", "staff_mfa")


def admin(anonymous, owner_a, staff_no_mfa, staff_mfa):
    return dict(zip(ADMIN_ROLES, (anonymous, owner_a, staff_no_mfa, staff_mfa), strict=True))


ADMIN_PAGE = admin(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, OK)
# What staff cannot do in the admin: claims, messages and invitations come from people on
# the site; task results are a record of what the task worker did.
ADMIN_CANNOT = {
    "organisations.ClaimRequest": {"add"},
    "organisations.ContactMessage": {"add"},
    "organisations.EditorInvitation": {"add"},
    # Suggested themes come from registrants; staff resolve them with the list's actions.
    "organisations.ThemeSuggestion": {"add"},
    # The queue of entries unconfirmed for 24 months is for archiving: nothing to add there.
    "organisations.UnconfirmedOrganisation": {"add", "delete"},
    "django_tasks_database.DBTaskResult": {"add", "delete"},
}


def admin_object(model):
    """The first row of ``model``: the world has one of every model the admin shows."""
    obj = model._base_manager.order_by("pk").first()
    assert obj is not None, f"build_world() in {THIS_FILE} needs a {model._meta.label} row"
    return obj


def admin_model(route):
    """The model of a route under admin/<app_label>/<model_name>/, if any."""
    parts = route.route.split("/")
    try:
        return apps.get_model(parts[1], parts[2]) if len(parts) > 3 else None
    except (LookupError, ValueError):
        return None


def admin_case(route, world):
    """The URL to ask for this admin route, and what each role gets for GET."""
    name, model = route.name, admin_model(route)
    if route.route.endswith("(?P<url>.*)$"):  # any other address under /admin/
        return "/admin/no-such-page/", admin(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, MISSING)
    if name is None:  # /admin/<app>/<model>/<pk>/ goes on to the change page
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        url = f"{changelist}{admin_object(model).pk}/"
        return url, admin(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, Expect(302, "then"))
    if name == "admin:login":
        # Members are told they may not; staff without a second factor are sent to set one up.
        return reverse(name), admin(LOGIN, DENIED, to("mfa_activate_totp"), to("admin:index"))
    if name == "admin:logout":
        return reverse(name), admin(*[to("admin:index")] * 3, POST_ONLY)
    if name == "admin:app_list":
        return reverse(name, kwargs={"app_label": "organisations"}), ADMIN_PAGE
    if name == "admin:view_on_site":
        kwargs = {
            "content_type_id": ContentType.objects.get_for_model(Organisation).pk,
            "object_id": world.org_a.pk,
        }
        return reverse(name, kwargs=kwargs), admin(*[ADMIN_LOGIN] * 3, Expect(302, "then"))
    if name == "admin:autocomplete":  # asked without saying for which field
        return reverse(name), admin(*[ADMIN_LOGIN] * 3, DENIED)
    if "<path:object_id>" in route.route or "<id>" in route.route:
        key = "object_id" if "<path:object_id>" in route.route else "id"
        url = reverse(name, kwargs={key: admin_object(model).pk})
    else:
        url = reverse(name)
    if model and name.rsplit("_", 1)[-1] in ADMIN_CANNOT.get(model._meta.label, ()):
        return url, admin(*[ADMIN_LOGIN] * 3, DENIED)
    return url, ADMIN_PAGE


def admin_then(route, world, url):
    """Where staff with a second factor are sent, for the routes that redirect them."""
    if route.name == "admin:view_on_site":
        return f"http://testserver{world.org_a.get_absolute_url()}"
    if route.name is None:
        return f"{url}change/"
    if route.name.endswith("_delete"):
        model = admin_model(route)
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return None


def admin_sections():
    """The admin's routes by model (``admin/organisations/organisation/``), and the site's
    own (``admin/``): one test each, asking every route of its section."""
    sections = {}
    for route in ROUTES:
        if route.route.startswith("admin/"):
            model = admin_model(route)
            key = f"admin/{model._meta.app_label}/{model._meta.model_name}/" if model else "admin/"
            sections.setdefault(key, []).append(route)
    return [pytest.param(routes, id=key) for key, routes in sections.items()]


@pytest.mark.parametrize("routes", admin_sections())
def test_admin_answers_only_staff_with_a_second_factor(routes, settings):
    settings.TASKS = PRODUCTION_TASKS  # the admin shows what the database's task queue holds
    world = build_world()
    clients = sign_in_everyone(world, ADMIN_ROLES)
    problems = []
    for route in routes:
        try:
            url, expectations = admin_case(route, world)
        except NoReverseMatch:
            pytest.fail(
                f"The admin URL {route.route!r} (name {route.name!r}) is not classified: say "
                f"how to ask for it in admin_case() in {THIS_FILE}.",
                pytrace=False,
            )
        then = admin_then(route, world, url)
        problems += ask_every_role(clients, url, expectations, then=then)
        if route.name and route.name.endswith("_delete"):
            # Deleting by POST: refused without changing anything, except for staff_mfa.
            post = admin(*[ADMIN_LOGIN] * 3, DONE if expectations["staff_mfa"] == OK else DENIED)
            problems += ask_every_role(
                clients, url, post, method="post", data={"post": "yes"}, then=then
            )
    assert not problems, "\n".join(problems)
