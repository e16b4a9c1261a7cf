"""`make run` serves the site with the task worker beside it (scripts/with-worker)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Runs beside the worker: queue a mail and wait (bounded) until the worker has sent it.
QUEUE_AND_WAIT = """
import time
import django
django.setup()
from django_tasks_db.models import DBTaskResult
from peacenet.lib import mail
result = mail.deliver.enqueue(to="newcomer@example.org", subject="[PeaceNet] Welcome", body="Hi")
deadline = time.monotonic() + 90
while DBTaskResult.objects.get(pk=result.id).status != "SUCCESSFUL":
    assert time.monotonic() < deadline, "the worker sent nothing"
    time.sleep(0.2)
"""


def test_with_worker_sends_mail_beside_the_command_and_stops_with_it(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "EMAIL_HOST"}},
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "peacenet.settings",
        "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        "PYTHON": sys.executable,
        "PYTHONUNBUFFERED": "1",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)

    # The output pipe stays open while any process holds it: run() returning before its
    # timeout also proves that the worker stopped when the command ended.
    done = subprocess.run(
        [str(ROOT / "scripts" / "with-worker"), sys.executable, "-c", QUEUE_AND_WAIT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )

    assert done.returncode == 0, done.stderr
    assert "Subject: [PeaceNet] Welcome" in done.stdout
    assert "To: newcomer@example.org" in done.stdout
