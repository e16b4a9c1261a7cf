"""Suggested partners: the published organisations most worth contacting, and why.

Ranked by complementarity, as the 2016 seminar put it: small diaspora organisations gain most
by joining forces with NGOs and government. A candidate scores for

- being of a different kind (a diaspora group with an NGO or a government body),
- sharing themes and network groups,
- working in the same countries,
- offering what the other needs (and, less, needing what the other offers).

A candidate must share at least one theme, network group, country or capacity: a different
kind alone is no reason to get in touch. Each suggestion says its reasons in plain words.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from organisations.models import Organisation
from organisations.themes import tagged_items
from peacenet.lib.caching import cached_for_generation

# How long suggestions are kept at most; a change to any organisation or proposal retires
# them sooner (peacenet.lib.caching).
SUGGESTIONS_TIMEOUT = 60 * 60
WEIGHT_DIFFERENT_KIND = 2
WEIGHT_THEME = 2
WEIGHT_GROUP = 2
WEIGHT_COUNTRY = 2
WEIGHT_OFFER_MEETS_NEED = 3
WEIGHT_NEED_MET_BY_US = 1
# How many organisations the database hands over for scoring in Python.
MAX_CANDIDATES = 200


@dataclass
class Profile:
    """What a suggestion is matched against: an organisation, or an open proposal."""

    kind: str
    themes: dict = field(default_factory=dict)
    groups: dict = field(default_factory=dict)
    countries: set = field(default_factory=set)
    offers: dict = field(default_factory=dict)
    needs: dict = field(default_factory=dict)
    exclude: set = field(default_factory=set)


@dataclass
class Suggestion:
    """A suggested partner. ``headline`` is its strongest specific reason, as a sentence;
    ``details`` the other shared things. ``reasons`` lists them all, a different kind
    included (which pages say once for the whole list, not per suggestion)."""

    organisation: Organisation
    score: int
    reasons: list
    headline: str = ""
    details: list = field(default_factory=list)

    @property
    def reason_text(self):
        return "; ".join(self.reasons)


def _names(values):
    """ "a", "a and b", "a, b and c"."""
    values = sorted(values, key=str.lower)
    if len(values) == 1:
        return values[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(values[:-1]), "last": values[-1]}


def profile_of_organisation(organisation):
    return Profile(
        kind=organisation.kind,
        themes={tag.pk: tag.name for tag in organisation.themes.all()},
        groups={group.pk: group.name for group in organisation.network_groups.all()},
        countries=set(organisation.countries),
        offers={c.pk: c.name for c in organisation.offers.all()},
        needs={c.pk: c.name for c in organisation.needs.all()},
        exclude={organisation.pk},
    )


def profile_of_proposal(proposal):
    """The lead organisation's profile, widened by the proposal's themes and group; the
    organisations already taking part are left out."""
    lead = proposal.lead_organisation
    profile = profile_of_organisation(lead)
    profile.themes |= {tag.pk: tag.name for tag in proposal.themes.all()}
    if proposal.network_group_id:
        profile.groups[proposal.network_group_id] = proposal.network_group.name
    profile.exclude |= {p.organisation_id for p in proposal.participants.all()}
    return profile


def _prescores(profile):
    """Organisation id → a score the database can count quickly (shared themes, groups and
    capacities, and countries), for published organisations sharing anything at all.

    Each count is one grouped query over a link table, so a directory of 100,000
    organisations costs a few index scans rather than a subquery per organisation.
    """
    published = Organisation.objects.published()
    scores = Counter()

    def add(rows, weight):
        for organisation_id, hits in rows:
            scores[organisation_id] += hits * weight

    def counted(queryset, column):
        return queryset.order_by().values_list(column).annotate(hits=Count("pk"))

    if profile.themes:
        tagged = tagged_items(
            Organisation,
            tag_id__in=list(profile.themes),
            object_id__in=published.values("pk"),
        )
        add(counted(tagged, "object_id"), WEIGHT_THEME)
    links = [
        (Organisation.network_groups.through, "networkgroup_id", profile.groups, WEIGHT_GROUP),
        (Organisation.offers.through, "capacity_id", profile.needs, WEIGHT_OFFER_MEETS_NEED),
        (Organisation.needs.through, "capacity_id", profile.offers, WEIGHT_NEED_MET_BY_US),
    ]
    for through, column, values, weight in links:
        if values:
            rows = through.objects.filter(
                **{f"{column}__in": list(values)},
                organisation__status=Organisation.Status.PUBLISHED,
            )
            add(counted(rows, "organisation_id"), weight)
    if profile.countries:
        shares_country = Q()
        for country in profile.countries:
            shares_country |= Q(countries__contains=country)
        add(
            ((pk, 1) for pk in published.filter(shares_country).values_list("pk", flat=True)),
            WEIGHT_COUNTRY,
        )
    for pk in profile.exclude:
        scores.pop(pk, None)
    return scores


def _candidates(profile):
    """The MAX_CANDIDATES organisations with the best quick score, ready to be scored with
    reasons in Python (their themes, groups and capacities prefetched)."""
    best = [pk for pk, _score in _prescores(profile).most_common(MAX_CANDIDATES)]
    return Organisation.objects.filter(pk__in=best).prefetch_related(
        "themes", "network_groups", "offers", "needs"
    )


def _headline(themes, countries, offers, groups, needs):
    """The strongest specific reason as a sentence, and which shared things it says: what
    they work on where, then what they offer that is needed, then any one shared thing."""
    if themes and countries:
        sentence = _("Works on %(themes)s in %(countries)s, as you do.")
        return sentence % {"themes": _names(themes), "countries": _names(countries)}, {
            "themes",
            "countries",
        }
    if offers:
        sentence = _("Offers %(capacities)s, which you need.")
        return sentence % {"capacities": _names(offers)}, {"offers"}
    if themes:
        return _("Works on %(themes)s, as you do.") % {"themes": _names(themes)}, {"themes"}
    if countries:
        sentence = _("Works in %(countries)s, as you do.")
        return sentence % {"countries": _names(countries)}, {"countries"}
    if groups:
        sentence = ngettext(
            "In the %(groups)s network group, as you are.",
            "In the %(groups)s network groups, as you are.",
            len(groups),
        )
        return sentence % {"groups": _names(groups)}, {"groups"}
    return _("Needs %(capacities)s, which you offer.") % {"capacities": _names(needs)}, {"needs"}


def _score(profile, candidate):
    """The candidate's score, all its reasons, its headline and the reasons the headline
    does not already say; a zero score when it shares nothing."""
    score, kind_reason = 0, []
    if candidate.kind != profile.kind:
        score += WEIGHT_DIFFERENT_KIND
        kind_reason.append(
            _("a different kind of organisation (%(kind)s)")
            % {"kind": candidate.get_kind_display()}
        )
    themes = {t.name for t in candidate.themes.all() if t.pk in profile.themes}
    groups = {g.name for g in candidate.network_groups.all() if g.pk in profile.groups}
    countries = {c.name for c in candidate.countries if c.code in profile.countries}
    offers = {c.name.lower() for c in candidate.offers.all() if c.pk in profile.needs}
    needs = {c.name.lower() for c in candidate.needs.all() if c.pk in profile.offers}
    if not (themes or groups or countries or offers or needs):
        return 0, [], "", []
    score += (
        WEIGHT_THEME * len(themes)
        + WEIGHT_GROUP * len(groups)
        + WEIGHT_COUNTRY * len(countries)
        + WEIGHT_OFFER_MEETS_NEED * len(offers)
        + WEIGHT_NEED_MET_BY_US * len(needs)
    )
    shared = []  # (what it is, the reason in words), strongest kinds of reason first.
    if themes:
        shared.append(("themes", _("both work on %(themes)s") % {"themes": _names(themes)}))
    if groups:
        shared.append(
            (
                "groups",
                ngettext(
                    "both are in the %(groups)s network group",
                    "both are in the %(groups)s network groups",
                    len(groups),
                )
                % {"groups": _names(groups)},
            )
        )
    if countries:
        shared.append(
            ("countries", _("both work in %(countries)s") % {"countries": _names(countries)})
        )
    if offers:
        shared.append(
            (
                "offers",
                _("they offer %(capacities)s, which you need") % {"capacities": _names(offers)},
            )
        )
    if needs:
        shared.append(
            (
                "needs",
                _("they need %(capacities)s, which you offer") % {"capacities": _names(needs)},
            )
        )
    headline, said = _headline(themes, countries, offers, groups, needs)
    details = [text for key, text in shared if key not in said]
    return score, kind_reason + [text for _key, text in shared], headline, details


def suggest(profile, limit=5):
    suggestions = []
    for candidate in _candidates(profile):
        score, reasons, headline, details = _score(profile, candidate)
        if score:
            suggestions.append(Suggestion(candidate, score, reasons, headline, details))
    suggestions.sort(key=lambda s: (-s.score, s.organisation.name.lower()))
    return suggestions[:limit]


def _cached(key, compute):
    """Suggestions for the current content generation and language (the reasons are in the
    reader's language): working them out reads every candidate, about a second at 100,000
    organisations, and they change only when some organisation or proposal does."""
    key = f"partnerships:suggestions:{key}:{get_language()}"
    return cached_for_generation(key, compute, SUGGESTIONS_TIMEOUT)


def suggest_for_organisation(organisation, limit=5):
    return _cached(
        f"organisation:{organisation.pk}:{limit}",
        lambda: suggest(profile_of_organisation(organisation), limit=limit),
    )


def suggest_for_proposal(proposal, limit=5):
    return _cached(
        f"proposal:{proposal.pk}:{limit}",
        lambda: suggest(profile_of_proposal(proposal), limit=limit),
    )
