"""Cities as the directory knows them: one spelling for each city, whatever name it was given.

An organisation's city is stored in its canonical form (``canonical_city``), so "Den Haag",
"'s-Gravenhage" and "the hague" are all saved as "The Hague" and the city facet counts them
as one. The same function reads the city a visitor filters on, so any alias finds the city.
"""

import unicodedata

# Every name a city goes by, compared without case, accents or punctuation, and the name it is
# stored under. The first of each group is the stored name.
CITY_NAMES = [
    ["The Hague", "Den Haag", "'s-Gravenhage", "s-Gravenhage", "Gravenhage", "La Haye", "Haag"],
    ["Amsterdam"],
    ["Rotterdam"],
    ["Utrecht"],
    ["Leiden", "Leyden"],
    ["Delft"],
    ["Zoetermeer"],
    ["Rijswijk"],
    ["Leidschendam-Voorburg", "Leidschendam", "Voorburg"],
    ["Wassenaar"],
    ["Brussels", "Brussel", "Bruxelles"],
]


def _key(name):
    """A name reduced to what tells cities apart: lower case letters and digits."""
    decomposed = unicodedata.normalize("NFKD", str(name))
    return "".join(char for char in decomposed.casefold() if char.isalnum())


ALIASES = {_key(alias): names[0] for names in CITY_NAMES for alias in names}


def canonical_city(name):
    """The stored form of a city: its canonical name when it is a known alias, else the name
    with its spaces tidied (and capitalised when it was typed all in one case)."""
    name = " ".join(str(name or "").split())
    if not name:
        return ""
    known = ALIASES.get(_key(name))
    if known:
        return known
    if name.islower() or name.isupper():
        return name.title()
    return name


def city_key(name):
    """A city as filters and facets compare it: the canonical name, in any case."""
    return canonical_city(name).casefold()
