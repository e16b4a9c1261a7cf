import icalendar
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from peacenet.demo.events import SEMINAR_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_reads_the_2016_seminar_and_adds_it_to_their_calendar(
    live_server, page, assert_accessible, screenshot
):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    page.goto(f"{live_server.url}/events/")
    assert_accessible()
    screenshot("events")
    page.get_by_role("link", name="Partnerships for Peace: Engaging with Diaspora").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Partnerships for Peace: Engaging with Diaspora"
    )
    programme = page.get_by_role("region", name="Programme")
    expect(programme.get_by_role("heading", name="Peace network group: gender")).to_be_visible()
    expect(programme.get_by_role("link", name="WO=MEN Dutch Gender Platform")).to_be_visible()
    expect(programme).to_contain_text("Olivier Muhizi")
    assert_accessible()
    screenshot("seminar")
    outcome = page.get_by_role("region", name="What came out of it")
    expect(outcome.get_by_role("heading", name="Explore concrete partnerships")).to_be_visible()
    trail = outcome.get_by_role(
        "link", name="A platform linking international NGOs and human rights defenders"
    )
    expect(trail).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to calendar").click()
    download = download_info.value

    assert download.suggested_filename == f"{SEMINAR_SLUG}.ics"
    with open(download.path(), "rb") as handle:
        calendar = icalendar.Calendar.from_ical(handle.read())
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Partnerships for Peace: Engaging with Diaspora"
    assert event.decoded("DTSTART").isoformat() == "2016-09-23T13:00:00+02:00"

    # The follow-up leads to the partnership it produced, which points back to the seminar.
    trail.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "A platform linking international NGOs and human rights defenders"
    )
    expect(page.get_by_role("link", name="Read about the event")).to_be_visible()
    screenshot("partnership-from-follow-up")

    # An upcoming meeting with its registration box passes the same checks.
    page.goto(f"{live_server.url}/events/demo-gender-network-meeting/")
    expect(page.get_by_role("link", name="Sign in to register")).to_be_visible()
    assert_accessible()
    screenshot("upcoming-meeting")
