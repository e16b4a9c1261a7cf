"""PeaceNet's demo data: real, public facts about peace organisations in The Hague.

The CSV files beside this module are part of the project; nothing outside it is read.
Each loader is idempotent: it updates rows by their stable slug and never duplicates them.
"""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent


def read_csv(name):
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
