"""Organisations' cards, rendered in Python: the directory shows twenty on every page of a
search nobody made before, and the card's template (an include with a dozen lookups on the
model, each tried as a dictionary key first) cost five times what the same markup costs here.
The home page and the network groups' member lists show the same cards. Every value is
escaped (``escaped``). Measured in ``docs/performance.md``.

    <ol class="card-grid">{% organisation_cards page_obj "li" %}</ol>
    {% stale_flag organisation %}
"""

from django import template
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from organisations.models import Confirmation, Organisation
from organisations.templatetags.facet_options import escaped

register = template.Library()


def _stale_flag(organisation):
    since = organisation.confirmed_since
    text = gettext('Not confirmed since <time datetime="%(iso_date)s">%(date)s</time>') % {
        "iso_date": since.isoformat(),
        "date": escaped(date_format(since, "DATE_FORMAT")),
    }
    return f'<p class="stale-flag">{text}</p>'


@register.simple_tag
def stale_flag(organisation):
    """ "Not confirmed since …", for an organisation whose details are stale
    (``Organisation.is_stale``); the caller asks whether they are."""
    return mark_safe(_stale_flag(organisation))  # noqa: S308 -- every value escaped


def _card(organisation, language, stale_before, kinds):
    logo = organisation.logo_card
    summary = organisation.text_in("summary", language)
    city = organisation.city
    kind = organisation.kind
    return "".join(
        (
            '<article class="card">',
            f'<img class="card-logo" src="{escaped(logo.url)}" alt="" width="48" height="48" '
            'loading="lazy" decoding="async">'
            if logo
            else "",
            f'<h3 class="card-title"><a href="{escaped(organisation.get_absolute_url())}">'
            f"<bdi>{escaped(organisation.display_name)}</bdi></a></h3>",
            f'<p class="card-meta"><span class="badge badge-{escaped(kind)}">'
            f"{escaped(kinds.get(kind, kind))}</span>",
            f" · {escaped(city)}" if city else "",
            "</p>",
            f'<p dir="auto" lang="{escaped(summary.language)}">'
            if summary.foreign
            else '<p dir="auto">',
            f"{escaped(summary.text)}</p>",
            # ``Organisation.is_stale``, with the day worked out once for the list.
            _stale_flag(organisation) if organisation.confirmed_since < stale_before else "",
            "</article>",
        )
    )


@register.simple_tag
def organisation_cards(organisations, item=""):
    """The card of each of ``organisations`` (an ``<article class="card">``: logo, name
    linking to the profile, kind, city, summary in the reader's language, and whether its
    details are stale), each inside an ``item`` element when one is named ("li")."""
    item = escaped(item)
    start, end = (f"<{item}>", f"</{item}>") if item else ("", "")
    # What every card asks alike, once for the list: the reader's language, the day before
    # which details are stale, the kinds' labels in that language.
    language, stale_before = get_language(), Confirmation.stale_before()
    kinds = {kind.value: str(kind.label) for kind in Organisation.Kind}
    return mark_safe(  # noqa: S308 -- every value escaped
        "".join(
            f"{start}{_card(organisation, language, stale_before, kinds)}{end}"
            for organisation in organisations
        )
    )
