"""Running calls at the same moment in threads, for tests of row locks (PostgreSQL)."""

import threading

from django.db import connection


def at_the_same_moment(*calls):
    """Start every call at once, each in its own thread and database connection; the
    exceptions they raised, in the order they were raised."""
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors
