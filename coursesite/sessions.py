"""Sessions kept in the database and cached (in Redis), which a cache outage
does not break.

Django's `cached_db` store already reads past a failing cache, and logs a
failed write when it saves a session. Two of its cache calls are left
unguarded: the copy it writes into the cache after reading a session from the
database (so every logged-in page fails while the cache is away), and the
check a new session key makes (so does every login). Here both fall back to
the database, which holds every session either way.

Deleting goes the other way round from Django's (cache first, then the
database): a session that was ended (logging out) must not live on in a cache
that comes back with its data, and Django's order would delete the database
row and then fail on the cache, leaving exactly that. Here a logout while the
cache is away fails before anything is deleted, and the person stays logged
in until it can be done whole.
"""

from __future__ import annotations

import logging

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.db import DatabaseError, InterfaceError

logger = logging.getLogger("django.contrib.sessions")


class SessionStore(cached_db.SessionStore):
    def load(self):
        try:
            return super().load()
        except (DatabaseError, InterfaceError):
            raise
        except Exception:
            logger.warning("The session cache failed; reading the session from the database.")
            return DatabaseStore.load(self)

    def exists(self, session_key):
        try:
            return super().exists(session_key)
        except (DatabaseError, InterfaceError):
            raise
        except Exception:
            logger.warning("The session cache failed; asking the database.")
            return DatabaseStore.exists(self, session_key)

    def delete(self, session_key=None):
        key = session_key or self.session_key
        if key is not None:
            self._cache.delete(self.cache_key_prefix + key)  # raises while the cache is away
        super().delete(session_key)  # the database, then the cache once more (a read between)
