"""Sessions kept in the database and cached (in Redis), which a cache outage
does not break and which a logout ends for good.

Django's `cached_db` store already reads past a failing cache, and logs a
failed write when it saves a session. Two of its cache calls are left
unguarded: the copy it writes into the cache after reading a session from the
database (so every logged-in page fails while the cache is away), and the
check a new session key makes (so does every login). Here both fall back to
the database, which holds every session either way.

Ending a session (logging out, or logging in over an existing one) first puts
an end marker in the cache under a key of its own, then deletes the row and
the cached copy. Every copy is read together with the marker, and every copy
written (after a database read, or a save) is checked against it afterwards
and taken out again if the session was ended meanwhile. So a request that was
under way during a logout cannot bring the session back, which Django's store
allows (`tests/test_session_store.py`). Ending a session while the cache is
away fails before anything is written or deleted.
"""

from __future__ import annotations

import logging

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.db import DatabaseError, InterfaceError

logger = logging.getLogger("django.contrib.sessions")

# How long the end marker stays: longer than any request runs (gunicorn stops
# a worker after 30 s), so no request that read the session can outlive it.
ENDED_SECONDS = 300


class SessionStore(cached_db.SessionStore):
    ended_key_prefix = cached_db.KEY_PREFIX + ".ended:"

    def load(self):
        copy_key, ended_key = self.cache_key, self.ended_key_prefix + self.session_key
        try:
            found = self._cache.get_many([copy_key, ended_key])
        except Exception:
            # As Django's: some backends refuse some keys; or the cache is away.
            logger.warning("The session cache failed; reading the session from the database.")
            found = {}
        if ended_key in found:
            self._session_key = None
            return {}
        if copy_key in found:
            return found[copy_key]
        row = self._get_session_from_db()
        if row is None:
            return {}
        data = self.decode(row.session_data)
        self._keep_copy(data, self.get_expiry_age(expiry=row.expire_date), replace=False)
        return data

    def save(self, must_create=False):
        if self.session_key is None:
            return self.create()  # which saves again, with a key: one copy kept
        DatabaseStore.save(self, must_create)  # raises if the session was ended meanwhile
        self._keep_copy(self._session, self.get_expiry_age(), replace=True)

    def _keep_copy(self, data, seconds: int, *, replace: bool) -> None:
        """Write the cached copy, unless the session has been ended by then;
        a cache that fails only costs the next request a database read."""
        copy_key = self.cache_key
        try:
            if replace:
                self._cache.set(copy_key, data, seconds)
            else:  # a copy that is there is as new as the database's, or newer
                self._cache.add(copy_key, data, seconds)
            if self._cache.get(self.ended_key_prefix + self.session_key) is not None:
                self._cache.delete(copy_key)
        except Exception:
            logger.warning("The session cache failed; the session is in the database.")

    def exists(self, session_key):
        try:
            return super().exists(session_key)
        except (DatabaseError, InterfaceError):
            raise
        except Exception:
            logger.warning("The session cache failed; asking the database.")
            return DatabaseStore.exists(self, session_key)

    def delete(self, session_key=None):
        if session_key is None:
            session_key = self.session_key
        if session_key is None:
            return
        self._end(session_key)
        DatabaseStore.delete(self, session_key)
        self._cache.delete(self.cache_key_prefix + session_key)

    def flush(self):
        """Logging out: ended in the cache before anything is cleared, so a cache
        that is away refuses the logout with the session (and its cookie) whole."""
        if self.session_key is not None:
            self._end(self.session_key)
        super().flush()

    def cycle_key(self):
        """Logging in: the old session is ended before the new one is made, so a
        cache that is away refuses the login before anything is written."""
        if self.session_key is not None:
            self._session  # noqa: B018 (read now: ended, it would read as empty)
            self._end(self.session_key)
        super().cycle_key()

    def _end(self, session_key: str) -> None:
        # Raises while the cache is away: nothing has been changed yet.
        self._cache.set(self.ended_key_prefix + session_key, True, ENDED_SECONDS)
