"""A paginator for lists that reach hundreds of thousands of rows (the case list, the triage queue).

COUNT(*) over a large filtered table reads every matching row, whatever the page. This paginator counts
exactly up to EXACT_LIMIT rows and, beyond that, takes PostgreSQL's own estimate of the query's rows (its
planner's, through the `socialpolicy_count_estimate` function of migration cases 0002), in one query
either way, so the page makes the same queries and costs about the same with a thousand cases or a
million (docs/PERFORMANCE.md). When the planner expects twice the limit or more, its estimate is taken
without counting at all. Past the limit the number is approximate (the page says "about").
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

EXACT_LIMIT = 5_000


class EstimatedCountPaginator(Paginator):
    exact_limit = EXACT_LIMIT
    # A planner estimate this far above the limit is taken as it is, without counting the first rows: a
    # list PostgreSQL expects to hold 10,000 rows or more does not hold fewer than 5,000 unless its
    # statistics are badly out, and reading 5,001 rows was most of the case list's and triage queue's SQL.
    trusted_estimate = 2 * EXACT_LIMIT

    @cached_property
    def count(self) -> int:
        rows = self.object_list.order_by().values("pk")
        using = rows.db
        capped_sql, capped_params = rows[: self.exact_limit + 1].query.sql_with_params()
        full_sql, full_params = rows.query.sql_with_params()
        with connections[using].cursor() as cursor:
            full_text = cursor.cursor.mogrify(full_sql, full_params).decode()
            # The capped count is a sub-query PostgreSQL runs only when the CASE needs it.
            cursor.execute(
                f"SELECT e.n, CASE WHEN e.n >= %s THEN NULL ELSE (SELECT count(*) FROM ({capped_sql}) capped) END "
                f"FROM (SELECT socialpolicy_count_estimate(%s) AS n) e",
                [self.trusted_estimate, *capped_params, full_text],
            )
            estimate, exact = cursor.fetchone()
        if exact is None:
            self.estimated = True
            return estimate
        self.estimated = exact > self.exact_limit
        return max(exact, estimate) if self.estimated else exact

    @property
    def count_is_estimate(self) -> bool:
        """Whether `count` is the planner's estimate (more than EXACT_LIMIT rows) rather than exact."""
        return self.count > self.exact_limit and self.estimated
