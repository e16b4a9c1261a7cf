"""When an active partnership reports its progress: the one place for the schedule.

An active partnership is asked for a progress report every ``REPORT_EVERY_MONTHS`` months,
counted from its latest report (a progress update by any of its organisations) or, before the
first, from the day it became active. One that has said nothing for ``NO_NEWS_AFTER_MONTHS``
months shows "no news since" that day. Days are Amsterdam days (``timezone.localdate``).
"""

import calendar
import datetime
from dataclasses import dataclass

from django.utils import timezone

REPORT_EVERY_MONTHS = 3
NO_NEWS_AFTER_MONTHS = 6


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by whole calendar months, kept within the month (31 May + 3 = 31 Aug,
    30 Nov + 3 = 28 or 29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


@dataclass(frozen=True)
class Schedule:
    """An active partnership's reporting on ``today``."""

    last_news: datetime.date  # the latest report, or the day it became active
    last_report: datetime.date | None
    next_due: datetime.date  # when the next report is (or was) due
    today: datetime.date

    @property
    def report_is_late(self):
        return self.next_due < self.today

    @property
    def no_news_since(self):
        """The day of its last news when that is ``NO_NEWS_AFTER_MONTHS`` or more ago."""
        if add_months(self.last_news, NO_NEWS_AFTER_MONTHS) <= self.today:
            return self.last_news
        return None

    @property
    def reminder_due(self):
        """The report due date to remind the lead of today: the latest of every
        ``REPORT_EVERY_MONTHS`` months after the last news that has come, or None."""
        due, months = None, REPORT_EVERY_MONTHS
        while (candidate := add_months(self.last_news, months)) <= self.today:
            due, months = candidate, months + REPORT_EVERY_MONTHS
        return due


def schedule(proposal, *, today=None):
    """The reporting schedule of an active ``proposal`` (``PartnershipProposal.reporting``),
    or None for any other status.

    Reads the annotations of ``PartnershipProposal.objects.with_reporting()`` when present
    (no query), else asks the database (two queries)."""
    if proposal.status != proposal.Status.ACTIVE:
        return None
    if not hasattr(proposal, "last_report_date"):
        proposal = type(proposal).objects.with_reporting().get(pk=proposal.pk)
    today = today or timezone.localdate()
    became_active = timezone.localdate(proposal.active_since_at or proposal.created)
    last_report = proposal.last_report_date
    last_news = max(filter(None, [became_active, last_report]))
    return Schedule(
        last_news=last_news,
        last_report=last_report,
        next_due=add_months(last_news, REPORT_EVERY_MONTHS),
        today=today,
    )
