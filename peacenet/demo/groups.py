"""The network groups' facilitators, as at the 2016 seminar: a demo person of WO=MEN for
gender, of ICCT for radicalisation and of The Hague Peace Projects for youth, each with one
announcement to show what facilitators post. The people and the announcements are made up
and say so; the people cannot sign in (no password) until staff give them one."""

from django.contrib.auth import get_user_model

from organisations.models import Announcement, Facilitator, Membership, NetworkGroup, Organisation

DEMO_FACILITATORS = [
    {
        "group": "gender",
        "organisation": "wo-men",
        "email": "demo.facilitator.gender@example.org",
        "title": "Gender group: sharing experiences with the National Action Plan 1325",
        "text": (
            "Members of the gender group are invited to share what worked and what did not in "
            "their projects under the National Action Plan 1325, so that smaller diaspora "
            "organisations can find partners for the next round. (A demo announcement, made "
            "up to show what facilitators post.)"
        ),
    },
    {
        "group": "radicalisation",
        "organisation": "icct",
        "email": "demo.facilitator.radicalisation@example.org",
        "title": "Radicalisation group: community perspectives wanted",
        "text": (
            "The radicalisation group collects perspectives from diaspora communities on "
            "preventing violent extremism, to bring research and community work closer "
            "together. Reply through the group's next meeting. (A demo announcement, made up "
            "to show what facilitators post.)"
        ),
    },
    {
        "group": "youth",
        "organisation": "thpp",
        "email": "demo.facilitator.youth@example.org",
        "title": "Youth group: young peacebuilders, tell us what you need",
        "text": (
            "The youth group wants to hear from young people in diaspora organisations: what "
            "would help you take part in peacebuilding here and in your countries of origin? "
            "(A demo announcement, made up to show what facilitators post.)"
        ),
    },
]


def load():
    """Appoint the demo facilitators and post their announcements, once; needs the demo
    organisations and groups. Running it again changes nothing."""
    user_model = get_user_model()
    announcements = []
    for spec in DEMO_FACILITATORS:
        group = NetworkGroup.objects.get(slug=spec["group"])
        organisation = Organisation.objects.get(slug=spec["organisation"])
        person, created = user_model.objects.get_or_create(
            email=spec["email"],
            defaults={"first_name": "Demo facilitator", "last_name": organisation.short_name},
        )
        if created:
            person.set_unusable_password()
            person.save(update_fields=["password"])
        Membership.objects.get_or_create(
            user=person, organisation=organisation, defaults={"role": Membership.Role.EDITOR}
        )
        Facilitator.objects.get_or_create(
            group=group, user=person, defaults={"organisation": organisation}
        )
        announcement, _created = Announcement.objects.get_or_create(
            group=group,
            title=spec["title"],
            defaults={
                "text": spec["text"],
                "link": organisation.website,
                "organisation": organisation,
                "posted_by": person,
            },
        )
        announcements.append(announcement)
    return announcements
