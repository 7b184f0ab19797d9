"""Two transactions at the same moment, on PostgreSQL: one holds, the other waits."""

import threading
import time

from django.db import connection, connections, transaction


def wait_for_a_blocked_query(seconds=10):
    """Return once another session of this database waits for a lock; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # A row lock is waited for as a transaction id, which has no database: the waiting
            # session says which database it is in.
            cursor.execute(
                "SELECT count(*) FROM pg_locks JOIN pg_stat_activity USING (pid) "
                "WHERE NOT granted AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the other transaction never waited for this one")


def while_another_waits(write):
    """Run `write` in a transaction of its own, in a thread, and commit it only once a second
    query is blocked behind it. Returns the thread; call what must wait, then join it.

    This makes the race every concurrency test is about happen every time: the second
    request has read what the first has not committed yet, and must wait to write.
    """
    done_writing = threading.Event()

    def run():
        try:
            with transaction.atomic():
                write()
                done_writing.set()
                wait_for_a_blocked_query()
        finally:
            done_writing.set()
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    done_writing.wait(10)
    return thread
