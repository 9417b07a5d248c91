"""Background work of matchmaking (C13): the suggestions ranked again after a change of the
registry, off the request path, into the shared cache (`queries.warm_suggestions`)."""

from django.db import connection, transaction
from django_tasks import task


@task()
def warm_suggestions_task() -> int:
    """Rank every community with a suggestions page at the registry's current version; nothing
    when that version was warmed already (a burst of changes enqueues one task per commit)."""
    from twinning.matchmaking.queries import warm_suggestions

    return warm_suggestions()


def _enqueue() -> None:
    warm_suggestions_task.enqueue()


def registry_changed(**_kwargs: object) -> None:
    """A community, partnership, profile or country was saved or deleted: once the transaction
    commits, enqueue the warming once (however many rows it wrote). Writes that send no signal
    (`QuerySet.update()`, `bulk_create`) enqueue nothing: the first view builds its ranking
    itself, as it does whenever the shared cache lacks it."""
    # The callbacks waiting for this transaction's commit (dropped by a rollback): (savepoint
    # ids, callback, robust) each.
    if any(waiting[1] is _enqueue for waiting in connection.run_on_commit):
        return
    transaction.on_commit(_enqueue)
