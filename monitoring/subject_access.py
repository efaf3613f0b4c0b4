"""What the monitoring app tells an employee on their "My data" page: how long each kind of monitoring
information about them is kept (clause 4.2). The usage itself is on "My monitoring data"."""

from monitoring.retention import retention_periods
from socialpolicy.subject_access import subject_data


@subject_data("monitoring_retention", "How long monitoring information about you is kept (clause 4.2)", order=60)
def monitoring_retention(employee):
    return retention_periods()
