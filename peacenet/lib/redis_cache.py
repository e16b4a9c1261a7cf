"""Django's Redis cache, with one ``redis.Redis`` client per connection pool.

Django's ``RedisCacheClient`` builds a new ``redis.Redis`` for every cache command, and
building one sets up its table of some 170 response callbacks: about an eighth of the time a
visitor's cached page takes. A client takes a connection from its pool for each command and
is safe to share between threads, so one per pool is enough."""

from django.core.cache.backends import redis


class ReusingRedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
