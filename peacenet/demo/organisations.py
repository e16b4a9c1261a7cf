"""The 40 demo organisations, their themes and the three peace network groups."""

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from organisations import vocabulary
from organisations.models import Capacity, NetworkGroup, Organisation, Theme, months_before
from peacenet.lib.cards import mark

from . import read_csv

THEME_NAMES = {
    "gender": "Gender",
    "radicalisation": "Radicalisation",
    "youth": "Youth",
    "human_rights": "Human rights",
    "mediation": "Mediation",
    "justice": "Justice",
    "development": "Development",
    "migration": "Migration",
    "media": "Media",
    "research": "Research",
}

# The three groups formed at the 2016 seminar; facilitators follow the order in which the
# seminar report lists them (gender: WO=MEN, radicalisation: ICCT, youth: The Hague Peace
# Projects).
NETWORK_GROUPS = [
    {"slug": "gender", "facilitator": "wo-men", "theme": "gender"},
    {"slug": "radicalisation", "facilitator": "icct", "theme": "radicalisation"},
    {"slug": "youth", "facilitator": "thpp", "theme": "youth"},
]

# Countries of focus (ISO 3166) where the source names them clearly.
COUNTRIES = {
    "tosangana": ["CD"],
    "ahrn": ["CD", "BI", "RW", "UG"],
    "pax": ["CO"],
    "impunity-watch": ["GT", "BI", "TN", "IQ"],
    "pbi-nl": ["CO", "MX", "GT", "HN", "KE", "ID", "NP"],
    "pvdv": ["SD"],
    "gender-concerns": ["AF", "PK", "EG", "LY", "MA", "TN", "SL", "MM"],
    "hsc": ["ML", "NG", "TN", "LY", "NL"],
    "vond": ["SD"],
    "hirda": ["SO"],
    "fsan": ["SO", "NL"],
    "favon": ["AF", "NL"],
    "uvavin": ["AF", "NL"],
    "bwpd": ["BI"],
    "ssvnl": ["SY", "NL"],
    "thpp": ["SY"],
    "iom-nl": ["AF", "ET", "GH", "IQ", "MA", "NG", "SL", "SO"],
    "gemeente-den-haag": ["NL"],
    "nctv": ["NL"],
    "wo-men": ["NL"],
    "new-women-connectors": ["NL"],
    "von": ["NL"],
    "umoja": ["NL"],
}

# A starting point for the capacity exchange, by kind, as the seminar described it: diaspora
# organisations bring community access and local knowledge and lack capacity; NGOs, government
# and institutes bring funding, training, research and access to policy. Organisations
# correct their own entry once they claim it.
CAPACITY_BY_KIND = {
    "diaspora": (
        ["community-access", "local-knowledge"],
        ["funding", "funding-expertise", "organisational-capacity"],
    ),
    "ngo": (
        ["funding-expertise", "training", "networks"],
        ["community-access", "local-knowledge"],
    ),
    "government": (["funding", "policy-access", "venue"], ["community-access", "research"]),
    "knowledge_institute": (["research", "training", "venue"], ["local-knowledge"]),
    "international": (["networks", "funding", "policy-access"], ["community-access"]),
}


# A handful of organisations get a logo, drawn here as a simple mark (initials on a disc):
# no real organisation's logo is copied into the demo.
DEMO_MARKS = {
    "adpc": ("AD", (29, 78, 137)),
    "tosangana": ("T", (138, 59, 0)),
    "thpp": ("HP", (30, 94, 42)),
    "pax": ("PX", (107, 44, 122)),
    "hirda": ("HI", (18, 52, 89)),
    "humanity-hub": ("HH", (74, 79, 87)),
}


def summary_of(description):
    """The first sentence of a description, as the one-line summary."""
    first = description.split(". ")[0].strip()
    return (first if first.endswith(".") else first + ".")[:250]


def _in_every_language(field, languages):
    return {f"{field}_{code}": text for code, text in languages.items()}


def load_capacities():
    return {
        slug: Capacity.objects.get_or_create(
            slug=slug, defaults=_in_every_language("name", names)
        )[0]
        for slug, names in vocabulary.CAPACITIES.items()
    }


def load_themes():
    """The themes of the vocabulary, named in every language, by the demo data's keys."""
    themes = {
        slug: Theme.objects.get_or_create(slug=slug, defaults=_in_every_language("name", names))[0]
        for slug, names in vocabulary.THEMES.items()
    }
    return {key: themes[slugify(name)] for key, name in THEME_NAMES.items()}


# A few entries confirmed long ago (months before the first load), so the directory shows
# "Not confirmed since …", its "confirmed" filter finds something, reminders are due, and the
# staff's queue of entries unconfirmed for 24 months is not empty.
CONFIRMED_MONTHS_AGO = {"umoja": 12, "vond": 15, "favon": 20, "uvavin": 26}


def confirmed_on(slug):
    months = CONFIRMED_MONTHS_AGO.get(slug)
    return months_before(timezone.localdate(), months) if months else None


def load_organisations():
    capacities = load_capacities()
    themes = load_themes()
    organisations = {}
    for row in read_csv("organisations.csv"):
        organisation, created = Organisation.objects.get_or_create(
            slug=row["id"],
            defaults={
                "name": row["name"],
                "short_name": row["short_name"],
                "kind": row["kind"],
                "summary": summary_of(row["description"]),
                "description": row["description"],
                "website": f"https://{row['website']}" if row["website"] else "",
                "city": row["city"],
                "founded": int(row["founded"]) if row["founded"] else None,
                "countries": COUNTRIES.get(row["id"], []),
                "focus_regions": row["focus_regions"][:250],
                "status": Organisation.Status.PUBLISHED,
                "published_at": timezone.now(),
                "last_confirmed": confirmed_on(row["id"]),
            },
        )
        organisations[row["id"]] = organisation
        if not created:
            continue  # Loaded before: keep whatever curators changed since.
        organisation.themes.set([themes[theme] for theme in row["themes"].split(";") if theme])
        offers, needs = CAPACITY_BY_KIND[row["kind"]]
        organisation.offers.set([capacities[slug] for slug in offers])
        organisation.needs.set([capacities[slug] for slug in needs])
        if row["id"] in DEMO_MARKS:
            initials, colour = DEMO_MARKS[row["id"]]
            organisation.logo.save(f"demo-{row['id']}.png", ContentFile(mark(initials, colour)))
    return organisations


def load_network_groups(organisations):
    for position, spec in enumerate(NETWORK_GROUPS):
        texts = vocabulary.NETWORK_GROUPS[spec["slug"]]
        group, created = NetworkGroup.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                **_in_every_language("name", texts["name"]),
                **_in_every_language("tagline", texts["tagline"]),
                **_in_every_language("description", texts["description"]),
                "facilitator": organisations[spec["facilitator"]],
                "position": position,
            },
        )
        if not created:
            continue
        theme_slug = slugify(THEME_NAMES[spec["theme"]])
        members = [
            organisation
            for organisation in organisations.values()
            if organisation.themes.filter(slug=theme_slug).exists()
        ]
        group.organisations.set(members)


def load():
    organisations = load_organisations()
    load_network_groups(organisations)
    return organisations
