"""Data versions of cached pages, from the rows they are built from (docs/performance.md).

The debrief and the comparison cache what they compute under a key that holds a *signature*
of the rows they read, taken in the same query as the page's main object: a change shows on
the next view, in every process, and no process can serve a page older than its data.

A set of rows' signature is their number and the sums of their ``xmin`` and ``cmin`` (the
transaction, and the command within it, that last wrote each row). Any insert, update or
delete of those rows changes it, whether it came through the app, the admin or SQL, and also
several changes within one transaction. The rows are read through foreign-key indexes
(``= ANY(array)``), a few dozen to a few thousand per page, in a millisecond or two.
"""

SIGNATURE = "count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) || ':' || coalesce(sum(cmin::text::bigint), 0)"

# Only bounds the memory (the cache is each process's own): a changed page gets a new key at once.
CACHE_SECONDS = 600
