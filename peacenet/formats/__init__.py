"""Dates and numbers as PeaceNet's readers write them, one module per interface language.

Django's own formats are the fallback for anything not set here. Besides Django's names,
every language defines the same few of our own, used as ``{{ value|date:"DAY_DATETIME_FORMAT" }}``:

- ``DAY_DATE_FORMAT`` / ``DAY_DATETIME_FORMAT``: with the day of the week, for an event's day;
- ``MONTH_YEAR_SHORT_FORMAT``: an abbreviated month and year, for a chart's axis.

Times are always Amsterdam time (``TIME_ZONE``); templates never spell a date format out.
"""

OWN_FORMATS = ("DAY_DATE_FORMAT", "DAY_DATETIME_FORMAT", "MONTH_YEAR_SHORT_FORMAT")
