"""Values that mark their place in a compiled statement.

A ``Slot`` is a text that also carries the name of what it is (``"tsquery"``, ``"kind"``,
``"theme1"``). The search and the facet filters hand their values to the ORM as slots, and
the slots come out of ``sql_with_params()`` as they went in (or ``derive``d from what they
were, where a lookup rewrites its value), so ``organisations.facets`` can tell which
parameters of a compiled statement are the values of a search and compile each shape of
search only once. To the database a slot is plain text.
"""


class Slot(str):
    """``value``, which stands in the slot ``name``, made from the slot's value by the
    functions ``steps`` (a lookup that writes its value as JSON, say)."""

    def __new__(cls, value, name=None, steps=()):
        slot = super().__new__(cls, value)
        slot.name, slot.steps = name, steps
        return slot

    def derive(self, function):
        """What ``function`` makes of this value, still in the same slot."""
        return Slot(function(str(self)), self.name, (*self.steps, function))

    def encode(self, value):
        """The parameter this one would be for the slot's value ``value``."""
        for function in self.steps:
            value = function(value)
        return value

    def __repr__(self):
        return f"Slot({str(self)!r}, {self.name!r})"
