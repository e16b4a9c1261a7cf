"""``{% url %}`` for every template (a builtin: ``TEMPLATES["OPTIONS"]["builtins"]``), with
the address of a page that takes no arguments worked out once per process.

Every page names some fifteen addresses of that kind (the navigation, the footer, the
language switch) and a directory page some twenty-five; each ``reverse()`` costs some 35 µs
on the slower machine. Such an address depends only on the name, the application namespace
asked for, the active language (``i18n_patterns``), the script prefix and the URLconf, which
are the key it is kept under (``peacenet.lib.links.reversed_once``). An address with
arguments is reversed each time, as Django's tag does.
"""

from django import template
from django.template import defaulttags
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from peacenet.lib.links import reversed_once

register = template.Library()


class ReversedOnceNode(defaulttags.URLNode):
    """Django's ``URLNode`` for an address with no arguments, reversed once per key."""

    def render(self, context):
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        try:
            url = reversed_once(view_name, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
            url = ""
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = defaulttags.url(parser, token)
    if node.args or node.kwargs:
        return node
    return ReversedOnceNode(node.view_name, node.args, node.kwargs, node.asvar)
