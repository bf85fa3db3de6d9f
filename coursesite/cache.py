"""Django's Redis cache, keeping its Redis client.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` on every
cache call. The connection comes from a pool either way, but building the
client fills its table of about 170 response callbacks each time, which cost
more CPU than the round trip itself on a cached page (about 0.3 ms of the
1 ms a hit took; measured with bench/static_parity.py). A `redis.Redis` is
safe to share between threads, so one per connection pool is kept.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class KeptRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class KeptClientRedisCache(RedisCache):
    """`django.core.cache.backends.redis.RedisCache` with `KeptRedisCacheClient`."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = KeptRedisCacheClient
