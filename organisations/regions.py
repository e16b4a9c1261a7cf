"""The world's regions, for choosing countries of focus region by region.

The regions are those of the United Nations' standard country codes (M49): Africa, the
Americas, Asia, Europe and Oceania, with Antarctica apart. Every ISO 3166 country that
django-countries knows belongs to exactly one (``tests/organisations/test_country_picker.py``
checks this); a code added later falls under "Other territories" until it is placed here.
"""

from django.utils.translation import gettext_lazy as _

REGIONS = [
    (
        _("Africa"),
        # Northern, Eastern, Middle, Southern and Western Africa.
        "DZ EG LY MA SD TN EH "
        "IO BI KM DJ ER ET TF KE MG MW MU YT MZ RE RW SC SO SS UG TZ ZM ZW "
        "AO CM CF TD CG CD GQ GA ST "
        "BW SZ LS NA ZA "
        "BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG",
    ),
    (
        _("The Americas"),
        # The Caribbean, Central America, South America and Northern America.
        "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI "
        "BZ CR SV GT HN MX NI PA "
        "AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE "
        "BM CA GL PM US",
    ),
    (
        _("Asia"),
        # Central, Eastern, South-eastern, Southern and Western Asia.
        "KZ KG TJ TM UZ "
        "CN HK MO KP JP MN KR TW "
        "BN KH ID LA MY MM PH SG TH TL VN "
        "AF BD BT IN IR MV NP PK LK "
        "AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE",
    ),
    (
        _("Europe"),
        # Eastern, Northern, Southern and Western Europe.
        "BY BG CZ HU PL MD RO RU SK UA "
        "AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB "
        "AL AD BA HR GI GR VA IT MT ME MK PT SM RS SI ES "
        "AT BE FR DE LI LU MC NL CH",
    ),
    (
        _("Oceania"),
        # Australia and New Zealand, Melanesia, Micronesia and Polynesia.
        "AU CX CC HM NZ NF FJ NC PG SB VU GU KI MH FM NR MP PW UM AS CK PF NU PN WS TK TO TV WF",
    ),
    (_("Antarctica"), "AQ"),
]

OTHER = _("Other territories")

REGION_OF = {code: name for name, codes in REGIONS for code in codes.split()}


def by_region(choices):
    """``[(code, name), …]`` grouped as ``[(region, [(code, name), …]), …]``, the regions in
    their fixed order and the countries in the order given (django-countries sorts them by
    name in the current language). Regions none of the choices belong to are left out."""
    groups = {name: [] for name, _codes in REGIONS}
    groups[OTHER] = []
    for code, name in choices:
        if code:
            groups[REGION_OF.get(code, OTHER)].append((code, name))
    return [(region, members) for region, members in groups.items() if members]
