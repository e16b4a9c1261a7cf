"""The deployment guide and the units it installs agree: every periodic job that PeaceNet
relies on (the README's "Periodic jobs") has a systemd service and timer, and the guide
enables every timer, so following it step by step leaves no job unscheduled (digests that
are never mailed, reminders that never go out)."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SYSTEMD = ROOT / "deploy" / "systemd"
README = (ROOT / "README.md").read_text()
GUIDE = (ROOT / "docs" / "deployment.md").read_text()


def periodic_commands():
    """The commands of the README's table of periodic jobs."""
    section = README.split("### Periodic jobs", 1)[1].split("\n#", 1)[0]
    return set(re.findall(r"^\| `manage\.py (\w+)` \|", section, flags=re.MULTILINE))


def timers():
    return {path.name for path in SYSTEMD.glob("*.timer")}


def test_every_periodic_job_has_a_service_started_by_a_timer():
    commands = periodic_commands()
    assert {"send_digests", "send_reminders", "send_progress_reminders"} <= commands
    started = {}
    for service in SYSTEMD.glob("*.service"):
        found = re.search(r"manage\.py (\w+)", service.read_text())
        if found:
            started[found.group(1)] = service
    for command in commands:
        assert command in started, f"no service in deploy/systemd runs {command}"
        timer = started[command].with_suffix(".timer").name
        assert timer in timers(), f"{started[command].name} has no timer"


def test_the_guide_enables_every_timer_and_lists_it_among_the_processes():
    enable = re.search(r"systemctl enable --now ((?:.|\\\n)*?)\n(?!\s)", GUIDE)
    enabled = set(re.findall(r"[\w@.-]+\.timer", enable.group(1)))
    processes = GUIDE.split("## Processes", 1)[1].split("\n## ", 1)[0]

    assert enabled == timers()
    for timer in timers():
        assert f"({timer.join(['../deploy/systemd/', ''])})" in processes, timer
