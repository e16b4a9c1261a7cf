"""Two demo partnerships: the Dutch National Action Plan 1325 as an active partnership, and an
open call that came out of the 2016 seminar.

The NAP 1325 partnership's deliverables (one done, one due, one overdue), its latest progress
report and the open call's deadline are set relative to the day the demo is loaded, so a fresh
demo always shows each of them.

The facts follow seminar_facts.csv (NAP 1325 rows and the seminar's speakers), told in our own
words. The rows are written directly, as the service would have left them after each step, so
the history reads as the partnership's story.
"""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from events.models import Event, FollowUp
from organisations import services as organisation_services
from organisations.models import NetworkGroup, Organisation
from partnerships.models import (
    Answer,
    Deliverable,
    Participant,
    ParticipantRole,
    PartnershipProposal,
    ProgressUpdate,
    ProposalStatus,
    StatusChange,
)

from .events import FOLLOW_UP_PARTNERSHIPS, SEMINAR_SLUG

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

NAP_1325 = {
    "slug": "dutch-national-action-plan-1325",
    "title": "Dutch National Action Plan 1325: women, peace and security",
    "summary": (
        "Government and civil society writing, carrying out and monitoring the Dutch plan for "
        "UN Security Council Resolution 1325 together."
    ),
    "description": (
        "Resolution 1325 (2000) asks countries to involve women in preventing conflict and "
        "building peace. In the Netherlands the National Action Plan is shared: ministries, "
        "the police, knowledge institutes and more than sixty civil society organisations "
        "sign it together, from large development agencies to small diaspora and migrant "
        "women's organisations. The Ministry of Foreign Affairs coordinates the government "
        "side and WO=MEN the civil society side."
    ),
    "goals": (
        "Five outcomes in the fourth plan (from 2021 to 2025, extended to the end of 2027): "
        "participation; prevention; protection; relief, reconstruction and recovery; and "
        "women, peace and security in all policy."
    ),
    "partners_bring": (
        "The ministries bring funding and access to policy; the signatories bring knowledge "
        "of women's situations in conflict areas and in diaspora communities."
    ),
    "partners_need": (
        "Diaspora women's organisations who know the countries of focus and can reach women "
        "there and in the Netherlands."
    ),
    "is_open_call": False,
    "status": ProposalStatus.ACTIVE,
    "lead": "mfa-nl",
    "group": "gender",
    "themes": ["Gender", "Human rights"],
    "partners": [
        ("wo-men", Answer.ACCEPTED, "WO=MEN coordinates the civil society signatories."),
        ("tosangana", Answer.ACCEPTED, "Lobbies on women, peace and security in DR Congo."),
        ("vond", Answer.ACCEPTED, "Brings the voices of Darfuri women."),
        ("mwpn", Answer.ACCEPTED, "Organises the yearly networking day for diaspora women."),
        ("gender-concerns", Answer.ACCEPTED, ""),
        ("pvdv", Answer.ACCEPTED, ""),
    ],
    "history": [
        (datetime.datetime(2007, 12, 1, 12, 0), "", ProposalStatus.DRAFT),
        (datetime.datetime(2007, 12, 10, 12, 0), ProposalStatus.DRAFT, ProposalStatus.OPEN),
        (datetime.datetime(2007, 12, 20, 12, 0), ProposalStatus.OPEN, ProposalStatus.FORMING),
        (datetime.datetime(2008, 1, 1, 12, 0), ProposalStatus.FORMING, ProposalStatus.ACTIVE),
    ],
    "updates": [
        (
            datetime.date(2011, 12, 19),
            "wo-men",
            "The second plan, for 2012 to 2015, is signed in Leiden by three ministries, 31 civil "
            "society organisations and four knowledge institutes.",
        ),
        (
            datetime.date(2025, 2, 20),
            "mfa-nl",
            "The cabinet extends the fourth plan by two years, to the end of 2027.",
        ),
        (
            -40,  # days before the demo is loaded
            "wo-men",
            "The civil society signatories met in The Hague to agree on what they will report "
            "on in the extended plan; diaspora women's organisations asked for more room on "
            "the agenda.",
        ),
    ],
    # What, who, due (days from the day the demo is loaded), done (days from then, or None),
    # and the note left when it was marked done.
    "deliverables": [
        (
            "Shadow report on the plan's results, written with the diaspora signatories",
            "wo-men",
            -30,
            -33,
            "Presented at the signatories' meeting; shared with the ministries.",
        ),
        (
            "Networking day for diaspora women from the plan's countries of focus",
            "mwpn",
            45,
            None,
            "",
        ),
        ("Mid-term review of the extended plan", "mfa-nl", -14, None, ""),
    ],
}

AHRN_PLATFORM = {
    "slug": "platform-linking-international-ngos-and-human-rights-defenders",
    "title": "A platform linking international NGOs and human rights defenders",
    "summary": (
        "Connect Dutch and international NGOs with human rights defenders in the Great Lakes "
        "region through the diaspora who know them."
    ),
    "description": (
        "At the 2016 seminar AHRN's coordinator presented a platform he had just set up to "
        "connect international NGOs with local human rights defenders. Members of "
        "conflict-affected diasporas are well informed about what happens on the ground; NGOs "
        "that work with diaspora and migrant organisations reach defenders sooner and protect "
        "them better. This open call looks for NGOs and institutes to build the platform with."
    ),
    "goals": (
        "A shared list of contacts, a way to ask for urgent support, and two meetings a year "
        "in The Hague."
    ),
    "partners_bring": (
        "Trusted contacts with human rights defenders in DR Congo, Burundi, Rwanda and Uganda."
    ),
    "partners_need": "Security training, international networks and funding.",
    "is_open_call": True,
    "status": ProposalStatus.OPEN,
    "lead": "ahrn",
    "group": None,
    "themes": ["Human rights"],
    "partners": [
        ("pbi-nl", Answer.INVITED, ""),
        ("justice-and-peace", Answer.INVITED, ""),
    ],
    "history": [
        (datetime.datetime(2016, 10, 3, 10, 0), "", ProposalStatus.DRAFT),
        (datetime.datetime(2016, 10, 3, 10, 5), ProposalStatus.DRAFT, ProposalStatus.OPEN),
    ],
    "deadline": 60,  # days from the day the demo is loaded
    "updates": [],
}


def _seminar_follow_up():
    event = Event.objects.filter(slug=SEMINAR_SLUG).first()
    if event is None:
        return None
    return FollowUp.objects.filter(event=event, title=FOLLOW_UP_PARTNERSHIPS).first()


def load_proposal(spec, organisations, follow_up=None):
    proposal, created = PartnershipProposal.objects.get_or_create(
        slug=spec["slug"],
        defaults={
            "title": spec["title"],
            "summary": spec["summary"],
            "description": spec["description"],
            "goals": spec["goals"],
            "partners_bring": spec["partners_bring"],
            "partners_need": spec["partners_need"],
            "is_open_call": spec["is_open_call"],
            "status": spec["status"],
            "network_group": NetworkGroup.objects.filter(slug=spec["group"]).first(),
            "follow_up": follow_up,
        },
    )
    if not created:
        return proposal  # Loaded before: keep whatever happened since.
    today = timezone.localdate()
    began = spec["history"][0][0].replace(tzinfo=AMSTERDAM)
    # Created when its history began (not today), so its deliverables may be due before today.
    PartnershipProposal.objects.filter(pk=proposal.pk).update(
        created=began,
        deadline=today + datetime.timedelta(days=spec["deadline"]) if "deadline" in spec else None,
    )
    proposal.refresh_from_db()
    organisation_services.set_themes(target=proposal, names=spec["themes"])
    answered = spec["history"][-1][0].replace(tzinfo=AMSTERDAM)
    Participant.objects.create(
        proposal=proposal,
        organisation=organisations[spec["lead"]],
        role=ParticipantRole.LEAD,
        answer=Answer.ACCEPTED,
        answered_at=answered,
    )
    for slug, answer, message in spec["partners"]:
        Participant.objects.create(
            proposal=proposal,
            organisation=organisations[slug],
            answer=answer,
            message=message,
            answered_at=answered if answer != Answer.INVITED else None,
        )
    for at, from_status, to_status in spec["history"]:
        StatusChange.objects.create(
            proposal=proposal,
            from_status=from_status,
            to_status=to_status,
            at=at.replace(tzinfo=AMSTERDAM),
        )
    for date, slug, text in spec["updates"]:
        if isinstance(date, int):
            date = today + datetime.timedelta(days=date)
        ProgressUpdate.objects.create(
            proposal=proposal, organisation=organisations[slug], date=date, text=text
        )
    for title, slug, due, done, note in spec.get("deliverables", []):
        done_on = today + datetime.timedelta(days=done) if done is not None else None
        Deliverable.objects.create(
            proposal=proposal,
            organisation=organisations[slug],
            title=title,
            due=today + datetime.timedelta(days=due),
            done_at=datetime.datetime.combine(done_on, datetime.time(15), tzinfo=AMSTERDAM)
            if done_on
            else None,
            done_note=note,
        )
    return proposal


def load():
    """Load the two demo partnerships; needs the demo organisations, groups and seminar."""
    organisations = {o.slug: o for o in Organisation.objects.all()}
    return [
        load_proposal(NAP_1325, organisations),
        load_proposal(AHRN_PLATFORM, organisations, follow_up=_seminar_follow_up()),
    ]
