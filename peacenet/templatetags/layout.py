"""``{% layout "name" value… %}…{% endlayout %}``: a part of the site's layout (``base.html``)
rendered once per process for each language, script prefix, URLconf and the values given.

The head's links, the navigation and the footer are the same on every page of a language
but for the page the navigation marks as current (a value given), and rendering them costs
about a millisecond of every page rendered afresh on the slower machine (a new search, a
member's own pages): some sixty nodes of translations, addresses and static files. What
they show changes only with a deploy, a setting (a test's: every change of settings forgets
them all) or, in development, an edited file (the autoreloader's ``file_changed``).

Only for what is the same for everyone: a part may hold no ``{% block %}`` (a page could
not replace it) and no ``{% csrf_token %}`` (each visitor's own), which are refused when
the template is read. Who asks (the account navigation, messages) stays outside.
"""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaulttags import CsrfTokenNode
from django.template.loader_tags import BlockNode
from django.urls import get_script_prefix, get_urlconf
from django.utils.autoreload import file_changed
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .fragments import named_block

register = template.Library()

# Parts kept by (node, language, script prefix, URLconf, values): a few per language and
# page kind. Emptied when full, which only a template naming a value per address would do.
MAX_PARTS = 1024
_parts = {}


class LayoutNode(template.Node):
    def __init__(self, nodelist, name, values):
        self.nodelist, self.name, self.values = nodelist, name, values

    def render(self, context):
        key = (
            self,
            get_language(),
            get_script_prefix(),
            get_urlconf(),
            *(value.resolve(context) for value in self.values),
        )
        html = _parts.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(_parts) >= MAX_PARTS:
                _parts.clear()
            _parts[key] = html
        return mark_safe(html)  # noqa: S308 -- rendered by the template above


@register.tag
def layout(parser, token):
    nodelist, name, values = named_block(parser, token)
    for refused in (BlockNode, CsrfTokenNode):
        if nodelist.get_nodes_by_type(refused):
            raise template.TemplateSyntaxError(
                f"layout {name.token} holds a {refused.__name__}: "
                "its part is the same for everyone"
            )
    return LayoutNode(nodelist, name, values)


def forget_parts():
    _parts.clear()


@receiver(setting_changed)
def _settings_changed(**kwargs):
    forget_parts()


@receiver(file_changed)
def _file_changed(**kwargs):
    forget_parts()  # and let the autoreloader decide what else to do (returns None)
