"""Nothing unpublished shows to visitors: one of every unpublished thing, each with a word of
its own and linked into published things wherever it can be, and a visitor's crawl of every
public page, feed, export, calendar, sitemap and htmx fragment never meets one of the words."""

import datetime

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from partnerships.models import Answer, Deliverable, ParticipantRole, ProgressUpdate, StatusChange
from tests.crawl import crawl
from tests.events.factories import (
    CoOrganiserFactory,
    EventFactory,
    FollowUpFactory,
    SessionFactory,
    SpeakerFactory,
)
from tests.factories import AnnouncementFactory, NetworkGroupFactory, OrganisationFactory
from tests.languages import in_language
from tests.partnerships.factories import ParticipantFactory, ProposalFactory

pytestmark = pytest.mark.django_db

# One word per unpublished thing; none of them is part of anything else on the site.
PENDING = "Zorblaxpending"
REJECTED = "Quorvexrejected"
ARCHIVED = "Vintarisarchived"
DRAFT = "Mulbrendraft"
HIDDEN = "Ostrakhidden"
UNPUBLISHED_EVENT = "Plimsoreunpublished"
PENDING_THEME = "Gorventhemepending"
DRAFT_THEME = "Trellanthemedraft"
HIDDEN_THEME = "Wexfordthemehidden"
HIDDEN_ANNOUNCEMENT = "Brindlehushannounce"
HIDDEN_MEETING = "Quillmoorhiddenmeeting"
WORDS = [
    HIDDEN_ANNOUNCEMENT,
    HIDDEN_MEETING,
    PENDING,
    REJECTED,
    ARCHIVED,
    DRAFT,
    HIDDEN,
    UNPUBLISHED_EVENT,
    PENDING_THEME,
    DRAFT_THEME,
    HIDDEN_THEME,
]


def unpublished_organisation(word, status, group, theme=None):
    organisation = OrganisationFactory(
        name=f"{word} Foundation",
        short_name=word,
        summary=f"The {word} summary.",
        status=status,
        themes=[theme] if theme else [],
    )
    organisation.network_groups.add(group)
    return organisation


@pytest.fixture
def site():
    """A published site with every kind of unpublished thing linked into it."""
    group = NetworkGroupFactory()
    host = OrganisationFactory(name="Host Foundation", themes=["Youth"])
    host.network_groups.add(group)
    pending = unpublished_organisation(PENDING, "pending", group, theme=PENDING_THEME)
    rejected = unpublished_organisation(REJECTED, "rejected", group)
    archived = unpublished_organisation(ARCHIVED, "archived", group)
    hidden_organisations = [pending, rejected, archived]
    group.facilitator = pending
    group.save()
    NetworkGroupFactory(facilitator=archived)

    # Events: a published one organised, co-organised, facilitated and spoken at by
    # unpublished organisations, with their follow-ups; and an unpublished event.
    event = EventFactory(organiser=rejected, network_groups=[group])
    past_event = EventFactory(organiser=archived, past=True)
    for organisation in hidden_organisations:
        CoOrganiserFactory(event=event, organisation=organisation)
        session = SessionFactory(event=event, facilitator=organisation, network_group=group)
        SpeakerFactory(session=session, organisation=organisation, name="A. Speaker")
        FollowUpFactory(event=event, owner=organisation, title="A next step")
    CoOrganiserFactory(event=past_event, organisation=pending)
    secret_event = EventFactory(
        title=f"{UNPUBLISHED_EVENT} seminar",
        summary=UNPUBLISHED_EVENT,
        organiser=host,
        is_published=False,
        network_groups=[group],
    )
    SessionFactory(event=secret_event, facilitator=host, network_group=group)
    # A group meeting staff hid, and announcements: one hidden, one posted for an
    # organisation that is no longer listed.
    EventFactory(
        title=f"{HIDDEN_MEETING} meeting",
        kind="network_meeting",
        organiser=host,
        is_published=False,
        network_groups=[group],
    )
    AnnouncementFactory(
        group=group, title=f"{HIDDEN_ANNOUNCEMENT} news", text=HIDDEN_ANNOUNCEMENT, is_hidden=True
    )
    AnnouncementFactory(group=group, title="Posted before", organisation=pending)
    secret_follow_up = FollowUpFactory(event=secret_event, owner=host, title=UNPUBLISHED_EVENT)

    # Proposals: public ones with unpublished organisations as lead, partners in every
    # answer, and in the history; one that came from the unpublished event's follow-up;
    # a draft and a hidden one led by a published organisation.
    public = ProposalFactory(
        lead_participant=host, network_group=group, themes=["Youth"], is_open_call=True
    )
    for organisation, answer in zip(
        hidden_organisations, [Answer.INTERESTED, Answer.ACCEPTED, Answer.DECLINED], strict=True
    ):
        ParticipantFactory(
            proposal=public, organisation=organisation, role=ParticipantRole.PARTNER, answer=answer
        )
        StatusChange.objects.create(
            proposal=public, organisation=organisation, from_status="invited", to_status=answer
        )
    led_by_archived = ProposalFactory(
        lead_participant=archived, network_group=group, follow_up=secret_follow_up
    )
    ParticipantFactory(proposal=led_by_archived, organisation=host, answer=Answer.ACCEPTED)
    FollowUpFactory(event=event, owner=host, title="Proposals came of it").proposals.add(public)
    draft = ProposalFactory(
        title=f"{DRAFT} partnership",
        summary=DRAFT,
        status="draft",
        lead_participant=host,
        network_group=group,
        themes=[DRAFT_THEME],
    )
    hidden = ProposalFactory(
        title=f"{HIDDEN} partnership",
        summary=HIDDEN,
        lead_participant=host,
        network_group=group,
        themes=[HIDDEN_THEME],
        is_hidden=True,
        hidden_reason="Breaks the rules",
    )
    for proposal in (draft, hidden):
        partner = ParticipantFactory(proposal=proposal, organisation=OrganisationFactory())
        word = DRAFT if proposal is draft else HIDDEN
        # Their deliverables (one done, one overdue) and progress never show either.
        Deliverable.objects.create(
            proposal=proposal,
            organisation=partner.organisation,
            title=f"{word} deliverable",
            due=datetime.date(2020, 1, 1),
            done_at=timezone.now(),
            done_note=f"{word} note",
        )
        Deliverable.objects.create(
            proposal=proposal,
            organisation=host,
            title=f"{word} overdue",
            due=datetime.date(2020, 1, 1),
        )
        ProgressUpdate.objects.create(
            proposal=proposal, organisation=host, text=f"{word} progress report"
        )
    # A public proposal's deliverable answered for by an organisation no longer listed.
    Deliverable.objects.create(
        proposal=public, organisation=pending, title="Mapping", due=datetime.date(2020, 1, 1)
    )
    FollowUpFactory(event=event, owner=host, title="Secret outcomes").proposals.add(draft, hidden)
    return {"group": group, "event": event, "public": public}


def test_a_visitor_never_meets_anything_unpublished(client, site):
    pages = crawl(client)

    reached = {resolve(page.url.partition("?")[0]).view_name for page in pages}
    assert {
        "organisations:directory",
        "organisations:network_group",
        "organisations:network_group_feed",
        "organisations:detail",
        "organisations:export_csv",
        "organisations:export_json",
        "events:detail",
        "events:ics",
        "events:feed",
        "events:feed_ics",
        "partnerships:detail",
        "partnerships:feed",
        "partnerships:proposal_feed",
        "sitemap_section",
    } <= reached
    assert any(page.htmx for page in pages)
    assert [page.url for page in pages if page.status >= 500] == []
    leaks = {
        (page.url + (" (htmx)" if page.htmx else "")): sorted(
            word for word in WORDS if word.lower() in page.text.lower()
        )
        for page in pages
    }
    found = {url: words for url, words in leaks.items() if words}
    assert not found, "unpublished words shown:\n" + "\n".join(
        f"{url}: {', '.join(words)}" for url, words in found.items()
    )


def test_unlisted_organisations_are_named_by_a_neutral_label(client, site):
    event = client.get(site["event"].get_absolute_url()).content.decode()
    proposal = client.get(site["public"].get_absolute_url()).content.decode()
    group = client.get(site["group"].get_absolute_url()).content.decode()

    label = "an organisation no longer listed"
    # Organiser, three co-organisers, facilitators, speakers and follow-up owners.
    assert event.count(label) == 1 + 3 * 4
    # The three partners in the participants' table and in the history, and the one
    # answering for a deliverable.
    assert proposal.count(label) == 3 * 2 + 1
    assert f"Facilitated by {label}" in group


def test_unlisted_organisations_are_named_by_a_neutral_label_in_dutch(client, site):
    event = client.get(in_language(site["event"].get_absolute_url(), "nl")).content.decode()

    assert "een organisatie die niet meer vermeld wordt" in event


def test_registration_suggests_only_themes_of_published_organisations_and_public_proposals(
    client, user
):
    OrganisationFactory(themes=["mediation"])
    ProposalFactory(themes=["youth"])
    for status in ("pending", "rejected", "archived"):
        OrganisationFactory(status=status, themes=[f"{status}-theme"])
    ProposalFactory(status="draft", themes=["draft-theme"])
    ProposalFactory(is_hidden=True, hidden_reason="Spam", themes=["hidden-theme"])
    client.force_login(user)

    body = client.get(reverse("organisations:register")).content.decode()

    assert "for example: mediation, youth." in body
