"""``{% fragment "name" value… %}…{% endfragment %}``: a part of a page rendered once per
content generation (``peacenet.lib.caching``), language, day and the values given, and read
back with the generation in one round trip. The day, as for whole pages: what turns with the
calendar (stale entries, upcoming events, deadlines) is never shown from yesterday. For the
parts of a page that are the same for everyone who asks the same thing (a directory's facets
and result cards), so that pages rendered for signed-in users reuse them; never for anything
that depends on who asks (their actions, a CSRF token), unless what it depends on is among
the values (a profile's body is keyed by the contact details it shows the reader)."""

import hashlib

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from peacenet.lib.caching import PAGE_CACHE_SECONDS, Stamped

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, values):
        self.nodelist, self.name, self.values = nodelist, name, values

    def render(self, context):
        parts = [
            str(self.name.resolve(context)),
            get_language() or "",
            timezone.localdate().isoformat(),
        ]
        parts += [str(value.resolve(context)) for value in self.values]
        key = "peacenet:fragment:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()
        stamped = Stamped(key)
        html = stamped.get(key)
        if html is None:
            html = self.nodelist.render(context)
            stamped.set(key, str(html), PAGE_CACHE_SECONDS)
        return mark_safe(html)  # noqa: S308 -- rendered by the template above


def named_block(parser, token):
    """What ``{% tag "name" value… %}…{% endtag %}`` holds: its nodes, its name and its values
    (compiled), for the block tags keyed by them (``fragment``, ``layout``)."""
    tag, *bits = token.split_contents()
    if not bits:
        raise template.TemplateSyntaxError(f"{tag} needs a name")
    nodelist = parser.parse((f"end{tag}",))
    parser.delete_first_token()
    return nodelist, parser.compile_filter(bits[0]), [parser.compile_filter(b) for b in bits[1:]]


@register.tag
def fragment(parser, token):
    return FragmentNode(*named_block(parser, token))
