"""Lighthouse scores of PeaceNet's main pages, served as in production.

    npm ci --prefix bench/lighthouse          # once: Lighthouse 12.2.3 (runs on Node 20)
    scripts/with-postgres .venv/bin/python bench/lighthouse.py --organisations 100000

Like bench/directory.py it migrates the PostgreSQL database in ``DATABASE_URL``, loads the
demo data, tops the directory up to ``--organisations`` and starts gunicorn (``DEBUG`` off) on
127.0.0.1. Then it runs Lighthouse (mobile, simulated throttling, its defaults) with Debian's
Chromium (``CHROME_PATH``, default /usr/bin/chromium) on the home page, the directory, a new
search (asked for the first time, so rendered, not cached), a profile, a partnership and an
event, and prints the performance, accessibility, best-practices and SEO scores. It exits 1
when a page scores under 95 on performance or under 100 on accessibility or best practices
(a search results page is ``noindex`` on purpose, so SEO is shown, not judged).
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from directory import environment, free_port, prepare, start_gunicorn

HERE = Path(__file__).resolve().parent
LIGHTHOUSE = HERE / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100}


def pages():
    from events.models import Event
    from organisations.models import Organisation
    from partnerships.models import PartnershipProposal

    profile = Organisation.objects.published().order_by("name").first()
    partnership = PartnershipProposal.objects.public().order_by("pk").first()
    event = Event.objects.published().order_by("pk").first()
    search = urlencode({"q": "women peace dialogue", "kind": "diaspora", "page": 2})
    return {
        "home": "/",
        "directory": "/organisations/",
        "new search": f"/organisations/?{search}&lighthouse={time.time_ns()}",
        "profile": profile.get_absolute_url(),
        "partnership": partnership.get_absolute_url(),
        "event": event.get_absolute_url(),
    }


def lighthouse(url):
    """The scores (0-100) of one page and the audits that failed in the judged categories."""
    result = subprocess.run(  # noqa: S603 -- our own pinned Lighthouse, fixed arguments
        [
            str(LIGHTHOUSE),
            url,
            "--output=json",
            "--output-path=stdout",
            "--quiet",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
        ],
        env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(result.stdout)
    scores = {name: round((report["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}
    failed = [
        f"{name}: {report['audits'][ref['id']]['title']}"
        for name in TARGETS
        for ref in report["categories"][name]["auditRefs"]
        if ref["weight"] and (report["audits"][ref["id"]].get("score") or 0) < 1
    ]
    return scores, failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--organisations", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Install Lighthouse first: npm ci --prefix bench/lighthouse")

    env = environment()
    prepare(env, args.organisations)
    port = free_port()
    server = start_gunicorn(env, port, args.workers)
    ok = True
    try:
        print(
            f"\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average "
            f"{' '.join(f'{load:.2f}' for load in os.getloadavg())}\n"
        )
        print(f"{'page':12} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5}")
        for title, path in pages().items():
            scores, failed = lighthouse(f"http://127.0.0.1:{port}{path}")
            print(f"{title:12} " + " ".join(f"{scores[name]:5}" for name in CATEGORIES))
            for line in failed:
                print(f"    {line}")
            ok &= all(scores[name] >= target for name, target in TARGETS.items())
        print(f"\nload average after: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    finally:
        server.terminate()
        server.wait(timeout=10)
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
