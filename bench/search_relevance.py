"""Relevance and cost of the directory's search among many synthetic organisations.

    scripts/with-postgres .venv/bin/python bench/search_relevance.py --organisations 100000

It needs ``DATABASE_URL`` pointing at a PostgreSQL database it may fill (scripts/with-postgres
makes a throwaway one). Like ``bench/directory.py`` it migrates, loads the demo data and tops
the directory up with ``create_synthetic_organisations``, whose organisations share the demo's
words (women, youth, mediation, Somali, The Hague ...). Then, in-process, it builds the search
vocabulary afresh and reads it once (both timed: the daily recount, and the cost of the first
search after a change to the content) and runs
a few of the relevance cases of ``tests/organisations/test_relevance.py``: the real
organisation must still be among the first three results. It prints each query's top three
and time, and exits non-zero if a real entry is swamped.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.directory import environment, prepare  # noqa: E402

# Queries whose words the synthetic organisations use too, misspelt ones and other languages.
CASES = [
    ("ICC", "icc"),
    ("women peacemakers", "mwpn"),
    ("Somali federation", "fsan"),
    ("somalische associaties", "fsan"),
    ("human rihgts africa", "ahrn"),
    ("gender platform", "wo-men"),
    ("diaspora policy", "adpc"),
    ("peace projects diaspora", "thpp"),
    ("vluchtelingen organisaties", "von"),
    ("afghan refugees federation", "favon"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--organisations", type=int, default=100_000)
    arguments = parser.parse_args()
    env = environment()
    prepare(env, arguments.organisations)
    os.environ.update(env)
    from django.core.cache import caches
    from django.core.management import call_command

    from organisations import search
    from organisations.models import Organisation

    started = time.monotonic()
    call_command("rebuild_search_words", stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"rebuild_search_words (the daily recount): {time.monotonic() - started:.2f} s")
    caches["pages"].clear()
    started = time.monotonic()
    words = search.vocabulary()
    print(f"Vocabulary read: {len(words):,} words in {time.monotonic() - started:.2f} s")
    swamped = []
    for query, expected in CASES:
        started = time.monotonic()
        found = Organisation.objects.published().search(query).order_by("-rank", "name", "pk")
        top = list(found.values_list("slug", flat=True)[:3])
        total = found.count()
        took = time.monotonic() - started
        searched = str(search.understand(query))
        verdict = "ok" if expected in top else "SWAMPED"
        print(
            f"{verdict:8} {query!r} (searched {searched!r}): "
            f"{total:,} found, top {top}, {took:.2f} s"
        )
        if expected not in top:
            swamped.append(query)
    if swamped:
        sys.exit(f"Real entries swamped by synthetic ones for: {swamped}")


if __name__ == "__main__":
    main()
