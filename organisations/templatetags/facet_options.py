"""The options of the directory's facet panel, rendered in Python: a search nobody made before
renders its panel afresh, some seventy options with their counts, and a loop of template tags
(about 300 nodes) costs several times what the same markup costs here. Each value is escaped
once by ``escaped``: Django's ``format_html`` costs some 15 µs an option in its lazy-string
checks. Each option is a dict that ``organisations.views.directory.facet_options`` made.
Measured in ``docs/performance.md``."""

import html

from django import template
from django.template.defaulttags import querystring
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


def escaped(value):
    """``value`` as ``conditional_escape`` gives it: escaped, unless it is safe already."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def count_text(count):
    """A count as ``intcomma`` shows it in the reader's language ("1,234", "1.234"); a count
    under a thousand has no separator to place."""
    return str(count) if count < 1000 else number_format(count, force_grouping=True)


def _state(option, chosen):
    """The attribute of an option's control: ``chosen`` when chosen, disabled when no result
    has it."""
    return f" {chosen}" if option["chosen"] else " disabled" if option["empty"] else ""


@register.simple_tag
def select_options(options):
    """The ``<option>``s of a facet shown as a select (country, city): each with its count,
    the chosen one selected, one that no result has disabled."""
    return mark_safe(  # noqa: S308 -- every value escaped
        "".join(
            f'<option value="{escaped(option["value"])}"{_state(option, "selected")}>'
            f"{escaped(option['label'])} ({count_text(option['count'])})</option>"
            for option in options
        )
    )


@register.simple_tag
def check_options(name, options):
    """The check boxes of a facet whose options combine (themes), each in its ``<li>``."""
    name = escaped(name)
    items = []
    for option in options:
        value = escaped(option["value"])
        items.append(
            f'<li class="facet-check{" facet-empty" if option["empty"] else ""}">'
            f'<input type="checkbox" name="{name}" value="{value}" id="{name}-{value}"'
            f'{_state(option, "checked")}> <label for="{name}-{value}">'
            f"{escaped(option['label'])} "
            f'<span class="facet-count">({count_text(option["count"])})</span></label></li>'
        )
    return mark_safe("".join(items))  # noqa: S308 -- every value escaped


@register.simple_tag(takes_context=True)
def link_options(context, name, options):
    """The links of a facet with one choice (kind, network group, confirmation), each in its
    ``<li>``: to choose an option, or to leave the chosen one; an option that no result has
    is no link."""
    name = escaped(name)
    remove = escaped(gettext("(chosen; select to remove)"))
    items = []
    for option in options:
        label = escaped(option["label"])
        count = f'<span class="facet-count">({count_text(option["count"])})</span>'
        if not option["chosen"] and not option["count"]:
            items.append(
                f'<li><span class="facet-option facet-empty" aria-disabled="true">{label} '
                f"{count}</span></li>"
            )
            continue
        href = escaped(querystring(context, context["request"].GET, option["query"]))
        link = f'id="facet-{name}-{escaped(option["value"])}" href="{href}"'
        if option["chosen"]:
            items.append(
                f'<li><a class="facet-option facet-chosen" {link} aria-current="true">{label} '
                f'{count}<span class="visually-hidden"> {remove}</span></a></li>'
            )
        else:
            items.append(f'<li><a class="facet-option" {link}>{label} {count}</a></li>')
    return mark_safe("".join(items))  # noqa: S308 -- every value escaped
