"""A read replica for anonymous readers (``DATABASE_REPLICA_URL``).

Readers' pages are most of the load and can be a moment behind: they read from the
replica. Everything else reads from the primary: staff (who must see what they just
saved), any request that is not a GET or HEAD, management commands, and every write.
The page cache stays correct with a lagging replica: the change tokens a page is checked
against are read from the same replica as the page's data, so a page is never newer or
older than the tokens it is kept with.

``ReplicaMiddleware`` decides per request (after authentication); ``ReplicaRouter``
applies the decision. Both are installed only when ``DATABASE_REPLICA_URL`` is set.
"""

from __future__ import annotations

from contextvars import ContextVar

REPLICA = "replica"
_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


class ReplicaRouter:
    """Reads go to the replica while an anonymous GET/HEAD is answered; writes, and
    migrations, only ever to the primary."""

    def db_for_read(self, model, **hints) -> str:
        return REPLICA if _reading_from_replica.get() else "default"

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the same data on both databases

    def allow_migrate(self, db: str, app_label: str, model_name=None, **hints) -> bool:
        return db != REPLICA  # the replica follows the primary's schema


class ReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        anonymous_read = request.method in ("GET", "HEAD") and not (
            request.user.is_authenticated or request.path.startswith("/admin/")
        )
        token = _reading_from_replica.set(anonymous_read)
        try:
            return self.get_response(request)
        finally:
            _reading_from_replica.reset(token)
