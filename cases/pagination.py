"""A paginator for lists that reach hundreds of thousands of rows (the case list, the triage queue).

COUNT(*) over a large filtered table reads every matching row, whatever the page. This paginator counts
exactly up to EXACT_LIMIT rows and, beyond that, takes PostgreSQL's own estimate of the query's rows (its
planner's, through the `socialpolicy_count_estimate` function of migration cases 0002), in one query
either way, so the page makes the same queries and costs about the same with a thousand cases or a
million (docs/PERFORMANCE.md). Past the limit the number of pages is approximate: a page past the true
end is shown empty.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

EXACT_LIMIT = 5_000


class EstimatedCountPaginator(Paginator):
    exact_limit = EXACT_LIMIT

    @cached_property
    def count(self) -> int:
        rows = self.object_list.order_by().values("pk")
        using = rows.db
        capped_sql, capped_params = rows[: self.exact_limit + 1].query.sql_with_params()
        full_sql, full_params = rows.query.sql_with_params()
        with connections[using].cursor() as cursor:
            full_text = cursor.cursor.mogrify(full_sql, full_params).decode()
            cursor.execute(
                f"SELECT count(*), CASE WHEN count(*) > %s THEN socialpolicy_count_estimate(%s) END "
                f"FROM ({capped_sql}) capped",
                [self.exact_limit, full_text, *capped_params],
            )
            exact, estimate = cursor.fetchone()
        self.estimated = estimate is not None
        return max(exact, estimate or 0)

    @property
    def count_is_estimate(self) -> bool:
        """Whether `count` is the planner's estimate (more than EXACT_LIMIT rows) rather than exact."""
        return self.count > self.exact_limit and self.estimated
