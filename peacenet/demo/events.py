"""The 2016 seminar that PeaceNet grew out of, and two invented upcoming network meetings.

The seminar follows seminar_facts.csv, told in our own words; where the sources are unsure
(the venue, the Municipality's role, which facilitator led which group) the text says so.
The upcoming meetings are made up so the events list has something ahead; they are marked as
demo events everywhere they appear.
"""

import datetime
from zoneinfo import ZoneInfo

from events.models import CoOrganiser, Event, FollowUp, Session, Speaker
from organisations.models import NetworkGroup, Organisation

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SEMINAR_SLUG = "partnerships-for-peace-2016"

# Stable keys for the seminar's follow-ups, for loaders that link partnerships to them.
FOLLOW_UP_EXCHANGE = "Keep exchanging experiences"
FOLLOW_UP_PARTNERSHIPS = "Explore concrete partnerships"

SEMINAR = {
    "title": "Partnerships for Peace: Engaging with Diaspora",
    "kind": Event.Kind.SEMINAR,
    "summary": (
        "Diaspora organisations, NGOs and policymakers met to talk openly about what makes "
        "working together for peace hard, and what makes it possible."
    ),
    "description": (
        "An afternoon of open, interactive exchange. Diaspora organisations, non-governmental "
        "organisations and policymakers compared their experience of building peace together: "
        "where partnerships stall and where they work. The aim was to leave with next steps "
        "and practical advice for making such partnerships work better.\n\n"
        "The reports we found do not record the venue or the exact times. It most likely took "
        "place in The Hague, where the African Diaspora Policy Centre is based."
    ),
    "outcome": (
        "Both speakers made the same point: no organisation builds lasting peace alone. The "
        "groups then reached a conclusion that shaped what came next. Many diaspora "
        "organisations are small and short of money and staff; instead of seeing that only as "
        "a weakness, they can treat it as a reason to join forces with NGOs and government, "
        "which in turn gain the knowledge and trust that diaspora communities hold.\n\n"
        "The seminar closed by asking for two things: an overview of the organisations in "
        "The Hague working for peace, and a way to keep the conversation going until it "
        "turns into real partnerships."
    ),
    "start": datetime.datetime(2016, 9, 23, 13, 0, tzinfo=AMSTERDAM),
    "end": datetime.datetime(2016, 9, 23, 17, 30, tzinfo=AMSTERDAM),
    "venue": "",
    "city": "",
    "report_url": "https://www.kpsrl.org/partnerships-for-peace-engaging-diaspora",
    "is_published": True,
}

SESSIONS = [
    {
        "kind": Session.Kind.PLENARY,
        "title": "Welcome",
        "description": "The organiser opened the afternoon and set out why it was held.",
        "speakers": [{"name": "Awil Mohamoud", "role": "director", "organisation": "adpc"}],
    },
    {
        "kind": Session.Kind.TALK,
        "title": "Running a diaspora peacebuilding organisation",
        "description": (
            "What it takes to run a small diaspora organisation working for peace, from an "
            "organisation closely involved in the partnership behind the Dutch National Action "
            "Plan 1325 on women, peace and security."
        ),
        "speakers": [
            {
                "name": "Juliënne Doppenberg-Difukidi",
                "organisation": "tosangana",
                "topic": "Tosangana and the National Action Plan 1325 partnership",
            }
        ],
    },
    {
        "kind": Session.Kind.TALK,
        "title": "Connecting international NGOs with local human rights defenders",
        "description": (
            "A newly founded platform that links international NGOs with human rights defenders "
            "on the ground."
        ),
        "notes": (
            "People from diasporas of conflict-affected countries often know the situation on "
            "the ground very well, so Dutch and international NGOs gain by working with "
            "diaspora and migrant organisations."
        ),
        "speakers": [
            {
                "name": "Olivier Muhizi",
                "role": "coordinator",
                "organisation": "ahrn",
                "topic": "A platform linking international NGOs and local human rights defenders",
            }
        ],
    },
    *[
        {
            "kind": Session.Kind.BREAKOUT,
            "title": f"Peace network group: {name}",
            "group": group,
            "facilitator": facilitator,
            "description": (
                "Participants joined the group closest to their expertise, talked through the "
                "obstacles and openings they meet when building partnerships, and agreed next "
                "steps together."
            ),
            "notes": (
                "The report names the three facilitating organisations in the same order as "
                "the groups; which one led which group is inferred from that order."
            ),
        }
        for name, group, facilitator in (
            ("gender", "gender", "wo-men"),
            ("radicalisation", "radicalisation", "icct"),
            ("youth", "youth", "thpp"),
        )
    ],
]

FOLLOW_UPS = [
    {
        "title": FOLLOW_UP_EXCHANGE,
        "description": (
            "Keep the three peace network groups meeting, so diaspora organisations, NGOs and "
            "government go on learning from each other's experience."
        ),
        "owner": "adpc",
        "status": FollowUp.Status.IN_PROGRESS,
    },
    {
        "title": FOLLOW_UP_PARTNERSHIPS,
        "description": (
            "Look for concrete partnerships in which small diaspora organisations and larger "
            "NGOs or government bring together what each has: knowledge and trust of "
            "communities on one side, money, staff and access to policy on the other."
        ),
        "owner": None,
        "status": FollowUp.Status.IN_PROGRESS,
    },
]

DEMO_MEETINGS = [
    {
        "slug": "demo-gender-network-meeting",
        "title": "Demo: Gender network group meeting",
        "summary": (
            "An invented example meeting: diaspora women's organisations and NGOs compare "
            "notes on taking part in the National Action Plan 1325."
        ),
        "group": "gender",
        "weeks_ahead": 3,
        "capacity": 30,
    },
    {
        "slug": "demo-youth-network-meeting",
        "title": "Demo: Youth network group meeting",
        "summary": (
            "An invented example meeting: young people from diaspora communities and youth "
            "organisations plan activities for the coming year."
        ),
        "group": "youth",
        "weeks_ahead": 7,
        "capacity": 40,
    },
]


def load_seminar(organisations, groups):
    event, created = Event.objects.get_or_create(
        slug=SEMINAR_SLUG, defaults={**SEMINAR, "organiser": organisations["adpc"]}
    )
    if not created:
        return event  # Loaded before: keep whatever curators changed since.
    event.network_groups.set(groups.values())
    CoOrganiser.objects.create(
        event=event,
        organisation=organisations["gemeente-den-haag"],
        note=(
            "named as a partner in AHRN's account of the seminar only; the seminar report "
            "does not mention it"
        ),
    )
    sessions = {}
    for position, spec in enumerate(SESSIONS):
        session = Session.objects.create(
            event=event,
            kind=spec["kind"],
            title=spec["title"],
            description=spec.get("description", ""),
            notes=spec.get("notes", ""),
            network_group=groups.get(spec.get("group")),
            facilitator=organisations.get(spec.get("facilitator")),
            position=position,
        )
        sessions[spec["title"]] = session
        for speaker_position, speaker in enumerate(spec.get("speakers", [])):
            Speaker.objects.create(
                session=session,
                name=speaker["name"],
                role=speaker.get("role", ""),
                organisation=organisations[speaker["organisation"]],
                topic=speaker.get("topic", ""),
                position=speaker_position,
            )
    for position, spec in enumerate(FOLLOW_UPS):
        FollowUp.objects.create(
            event=event,
            title=spec["title"],
            description=spec["description"],
            owner=organisations.get(spec["owner"]),
            status=spec["status"],
            position=position,
        )
    return event


def next_thursday_after(day):
    return day + datetime.timedelta(days=(3 - day.weekday()) % 7 or 7)


def meeting_day(day):
    """The first Thursday after ``day`` outside the Christmas and New Year break."""
    thursday = next_thursday_after(day)
    if (thursday.month, thursday.day) >= (12, 18):
        return next_thursday_after(datetime.date(thursday.year + 1, 1, 6))
    if (thursday.month, thursday.day) <= (1, 6):
        return next_thursday_after(datetime.date(thursday.year, 1, 6))
    return thursday


def load_demo_meetings(groups, today=None):
    """The demo meetings, some weeks ahead of ``today``. A demo meeting that has passed is
    moved to its next date, so the demo always has meetings to register for; one that is
    still to come keeps whatever curators made of it."""
    today = today or datetime.date.today()
    meetings = []
    for spec in DEMO_MEETINGS:
        day = meeting_day(today + datetime.timedelta(weeks=spec["weeks_ahead"]))
        start = datetime.datetime.combine(day, datetime.time(15, 0), tzinfo=AMSTERDAM)
        event, created = Event.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "title": spec["title"],
                "kind": Event.Kind.NETWORK_MEETING,
                "summary": spec["summary"],
                "description": (
                    "This is a demo event, made up to show how PeaceNet lists upcoming "
                    "meetings and takes registrations. It is not a real meeting."
                ),
                "start": start,
                "end": start + datetime.timedelta(hours=2),
                "city": "The Hague",
                "capacity": spec["capacity"],
                "is_published": True,
                "is_demo": True,
            },
        )
        if created:
            event.network_groups.set([groups[spec["group"]]])
        elif event.is_demo and event.end < datetime.datetime.combine(
            today, datetime.time(0), tzinfo=AMSTERDAM
        ):
            event.start, event.end = start, start + datetime.timedelta(hours=2)
            event.save(update_fields=["start", "end", "updated"])
        meetings.append(event)
    return meetings


def load():
    """Load the seminar and the demo meetings; needs the demo organisations and groups."""
    organisations = {
        organisation.slug: organisation for organisation in Organisation.objects.all()
    }
    groups = {group.slug: group for group in NetworkGroup.objects.all()}
    return [load_seminar(organisations, groups), *load_demo_meetings(groups)]
