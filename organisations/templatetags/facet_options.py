"""The options of the directory's facet panel, rendered in Python: a search nobody made before
renders its panel afresh, some seventy options with their counts, and a loop of template tags
(about 300 nodes) costs several times what the same markup costs here: 1.3 ms less of the
16 ms of Python that rendering a page of results takes (``docs/performance.md``). Each
option is a dict that ``organisations.views.directory.facet_options`` made."""

from django import template
from django.template.defaulttags import querystring
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()

SELECTED, CHECKED = mark_safe(" selected"), mark_safe(" checked")
DISABLED, EMPTY = mark_safe(" disabled"), mark_safe(" facet-empty")


def count_text(count):
    """A count as ``intcomma`` shows it in the reader's language ("1,234", "1.234"); a count
    under a thousand has no separator to place."""
    return str(count) if count < 1000 else number_format(count, force_grouping=True)


@register.simple_tag
def select_options(options):
    """The ``<option>``s of a facet shown as a select (country, city): each with its count,
    the chosen one selected, one that no result has disabled."""
    return format_html_join(
        "",
        '<option value="{}"{}>{} ({})</option>',
        (
            (
                option["value"],
                SELECTED if option["chosen"] else DISABLED if option["empty"] else "",
                option["label"],
                count_text(option["count"]),
            )
            for option in options
        ),
    )


@register.simple_tag
def check_options(name, options):
    """The check boxes of a facet whose options combine (themes), each in its ``<li>``."""
    return format_html_join(
        "",
        '<li class="facet-check{}"><input type="checkbox" name="{}" value="{}" id="{}-{}"{}>'
        ' <label for="{}-{}">{} <span class="facet-count">({})</span></label></li>',
        (
            (
                EMPTY if option["empty"] else "",
                name,
                option["value"],
                name,
                option["value"],
                CHECKED if option["chosen"] else DISABLED if option["empty"] else "",
                name,
                option["value"],
                option["label"],
                count_text(option["count"]),
            )
            for option in options
        ),
    )


@register.simple_tag(takes_context=True)
def link_options(context, name, options):
    """The links of a facet with one choice (kind, network group, confirmation), each in its
    ``<li>``: to choose an option, or to leave the chosen one; an option that no result has
    is no link."""
    remove = gettext("(chosen; select to remove)")
    return format_html_join(
        "", "<li>{}</li>", ((_link(context, name, option, remove),) for option in options)
    )


def _link(context, name, option, remove):
    if not option["chosen"] and not option["count"]:
        return format_html(
            '<span class="facet-option facet-empty" aria-disabled="true">{} '
            '<span class="facet-count">(0)</span></span>',
            option["label"],
        )
    href = querystring(context, context["request"].GET, option["query"])
    if option["chosen"]:
        return format_html(
            '<a class="facet-option facet-chosen" id="facet-{}-{}" href="{}" aria-current="true">'
            '{} <span class="facet-count">({})</span><span class="visually-hidden"> {}</span></a>',
            name,
            option["value"],
            href,
            option["label"],
            count_text(option["count"]),
            remove,
        )
    return format_html(
        '<a class="facet-option" id="facet-{}-{}" href="{}">'
        '{} <span class="facet-count">({})</span></a>',
        name,
        option["value"],
        href,
        option["label"],
        count_text(option["count"]),
    )
