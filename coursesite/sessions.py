"""Sessions kept in the database and cached (in Redis), which a cache outage
does not break and a logout always ends.

Django's `cached_db` store already reads past a failing cache, and logs a
failed write when it saves a session. Two of its cache calls are left
unguarded: the copy it writes into the cache after reading a session from the
database (so every logged-in page fails while the cache is away), and the
check a new session key makes (so does every login). Here both fall back to
the database, which holds every session either way.

Ending a session (logging out) leaves a marker in the cache before the row is
deleted, and copies read from the database go into the cache only where there
is nothing (`add`, not `set`): a request that read the session from the
database just before the logout cannot put it back into the cache after it,
which Django's store allows. A logout while the cache is away fails before
anything is deleted, and the person stays logged in until it can be done
whole.
"""

from __future__ import annotations

import logging

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.db import DatabaseError, InterfaceError

logger = logging.getLogger("django.contrib.sessions")

# What the cache holds for a session that was ended, for as long as a request
# that read it before could still be under way.
ENDED = "coursesite:session-ended"
ENDED_SECONDS = 300


class SessionStore(cached_db.SessionStore):
    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:
            # As Django's: some backends refuse some keys; or the cache is away.
            logger.warning("The session cache failed; reading the session from the database.")
            data = None
        if data == ENDED:
            self._session_key = None
            return {}
        if data is not None:
            return data
        row = self._get_session_from_db()
        if row is None:
            return {}
        data = self.decode(row.session_data)
        try:
            self._cache.add(self.cache_key, data, self.get_expiry_age(expiry=row.expire_date))
        except Exception:
            logger.warning("The session cache failed; the session was read from the database.")
        return data

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
        # First, and left in place: raises while the cache is away, before
        # anything is deleted.
        self._cache.set(self.cache_key_prefix + session_key, ENDED, ENDED_SECONDS)
        DatabaseStore.delete(self, session_key)
