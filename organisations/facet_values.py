"""An organisation's facet values, denormalised onto its row.

Every organisation carries ``facet_values``: one token ``"<facet>:<value>"`` for each value
the directory's facets can choose, such as ``"kind:ngo"``, ``"network_group:gender"``,
``"theme:human-rights"``, ``"country:SO"``, ``"city:the hague"``. The facet's name is the
name of its filter in ``DirectoryFilter``. With the values on the row, a filter is one
indexed test (``facet_values__has="kind:ngo"``) instead of a join, and all the facets of a
search are counted in one pass over its matches (``organisations.facets``).

On PostgreSQL the column is a ``text[]`` with a GIN index (migration 0007), tested with
``@>``; on SQLite it is the same list as JSON text, tested with ``instr`` and counted with
``json_each``. The values are written by ``organisations.facets.refresh_facet_values``, which
signals call whenever what they are made of changes.
"""

import json

from django.db import models
from django.db.models import Lookup

from .cities import city_key
from .slots import Slot

# The facets whose values are stored on the row, by the name of their filter.
STORED_FACETS = ("kind", "network_group", "theme", "country", "city")


def token(facet, value):
    return f"{facet}:{value}"


def facet_tokens(*, kind, countries, city, network_groups, themes):
    """The facet values of one organisation, from its kind, its countries of focus (codes),
    its city, and the slugs of its network groups and themes; sorted, no repeats."""
    values = {token("kind", kind)}
    values.update(token("network_group", slug) for slug in network_groups)
    values.update(token("theme", slug) for slug in themes)
    values.update(token("country", str(code)) for code in countries if str(code))
    if key := city_key(city):
        values.add(token("city", key))
    return sorted(values)


class FacetValuesField(models.Field):
    """A list of strings: ``text[]`` on PostgreSQL, a JSON array in a text column elsewhere;
    written sorted in code point order (PostgreSQL's ``"C"`` collation), without repeats."""

    description = "A list of facet values"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("default") is list:
            del kwargs["default"]
        if kwargs.get("editable") is False:
            del kwargs["editable"]
        return name, path, args, kwargs

    def db_type(self, connection):
        return "text[]" if connection.vendor == "postgresql" else "text"

    def get_db_prep_value(self, value, connection, prepared=False):
        # Always stored sorted in code point order, without repeats: the counts find a
        # facet's values on a row as a slice of them (``organisations.facets``).
        values = sorted({str(item) for item in (value or [])})
        return values if connection.vendor == "postgresql" else json.dumps(values)

    def get_db_converters(self, connection):
        # psycopg reads a text[] as a list already (the column is never null): no converter,
        # so that reading many rows (an export) makes no call per row for it.
        if connection.vendor == "postgresql":
            return []
        return super().get_db_converters(connection)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return []
        return json.loads(value)

    def to_python(self, value):
        if isinstance(value, str):
            return json.loads(value)
        return list(value or [])


@FacetValuesField.register_lookup
class Has(Lookup):
    """``facet_values__has="kind:ngo"``: the row has this facet value (GIN-indexed on
    PostgreSQL)."""

    lookup_name = "has"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        # A ``Slot`` stays one: the facet counts find the values of a search by their slots.
        return "%s", [value if isinstance(value, str) else str(value)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        # JSON text of the list: the value's own JSON, quotes included, is a whole item.
        params = [
            value.derive(json.dumps) if isinstance(value, Slot) else json.dumps(value)
            for value in rhs_params
        ]
        return f"instr({lhs}, {rhs}) > 0", (*lhs_params, *params)

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @> ARRAY[{rhs}]::text[]", (*lhs_params, *rhs_params)


@FacetValuesField.register_lookup
class Holds(Has):
    """``facet_values__holds="kind:ngo"``: the same test as ``has``, for a row already read
    rather than to find rows. On PostgreSQL ``= ANY`` compares the value with each of the
    row's values; ``@>``, which the index needs, makes an array of both sides first and costs
    several times as much. The facet counts test every match against each chosen facet
    (``organisations.facets.compile_facet_statement``): about a millisecond of a search of
    thousands of matches."""

    lookup_name = "holds"

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{rhs}::text = ANY({lhs})", (*rhs_params, *lhs_params)
