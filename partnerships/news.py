"""What a partnership's followers hear of: its progress reports, and its deliverables marked
done or become overdue. One partnership's Atom feed (``partnership_news``) and the digests of
the people who follow partnerships (``partnerships.digests.deliverables``) tell them in the
same words."""

import datetime
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import Deliverable

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Entry:
    """One piece of a partnership's news."""

    title: str
    text: str
    at: datetime.datetime
    link: str  # the place on the partnership's page
    guid: str  # the entry's own identity (a deliverable is overdue first, done later)


def _start_of(day):
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_current_timezone())


def overdue_from(deliverable):
    """The instant a deliverable not done became overdue: the start of the day after it was
    due (as ``DeliverableQuerySet.with_state`` counts)."""
    return _start_of(deliverable.due + ONE_DAY)


def report_entry(update, *, at=None):
    url = update.proposal.get_absolute_url()
    return Entry(
        title=_("Progress report from %(name)s") % {"name": update.organisation.public_name},
        text=update.text,
        at=at or _start_of(update.date),
        link=f"{url}#report-{update.pk}",
        guid=f"{url}#report-{update.pk}",
    )


def deliverable_entry(deliverable, state):
    """The entry of ``deliverable`` being done or overdue (``state``)."""
    url = deliverable.proposal.get_absolute_url()
    values = {
        "title": deliverable.title,
        "name": deliverable.organisation.public_name,
        "due": formats.date_format(deliverable.due),
    }
    done = state == Deliverable.State.DONE
    return Entry(
        title=(_("Done: %(title)s") if done else _("Overdue: %(title)s")) % values,
        text=(done and deliverable.done_note) or _("%(name)s, due %(due)s") % values,
        at=deliverable.done_at if done else overdue_from(deliverable),
        link=f"{url}#deliverable-{deliverable.pk}",
        guid=f"{url}#deliverable-{deliverable.pk}-{state}",
    )


def partnership_news(proposal, *, today=None):
    """A public partnership's news, newest first: its progress reports (on the day they
    report on), the deliverables done and those overdue (two queries)."""
    entries = [
        report_entry(update)
        for update in proposal.progress_updates.select_related("proposal", "organisation")
    ]
    entries += [
        deliverable_entry(deliverable, deliverable.state)
        for deliverable in Deliverable.objects.filter(proposal=proposal)
        .with_state(today=today)
        .exclude(state=Deliverable.State.DUE)
        .select_related("proposal", "organisation")
    ]
    return sorted(entries, key=lambda entry: (entry.at, entry.guid), reverse=True)
