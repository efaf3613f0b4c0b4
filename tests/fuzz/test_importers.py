"""Every importer driven with generated input: no crash, every line accounted for, and a failed import
leaves nothing but its own report (clause 4.1 data is only ever written whole)."""

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitoring.models import CsvMapping, UsageImport, UsageRecord
from monitoring.services import usage_import_run
from tests.fuzz.test_forms import EXAMPLES

pytestmark = pytest.mark.django_db

SQUID = (
    "1764151200.123    245 10.20.1.15 TCP_TUNNEL/200 5120 CONNECT www.facebook.com:443 oak\\jwilson "
    "HIER_DIRECT/1.2.3.4 -"
)
FORTI = (
    'date=2026-11-26 time=10:05:01 devname="FGT" type="utm" subtype="webfilter" srcip=10.20.1.15 '
    'user="jwilson" hostname="www.tiktok.com" url="https://www.tiktok.com/" sentbyte=100 rcvdbyte=900'
)
CSV = "time,user,source,group,status,url,categories\n2026-11-26 10:05:01,jwilson,10.20.1.15,Staff,allowed,https://x.com/,Social\n"

# Lines that mix real log lines, their mutilated forms and arbitrary bytes, including invalid UTF-8,
# NUL bytes, very long lines and lines without an end.
line = st.one_of(
    st.sampled_from([SQUID, FORTI, "", " ", "#comment", "\x00\x00", "\ufeff" + SQUID]),
    st.builds(lambda s, i, j: s[:i] + s[j:], st.sampled_from([SQUID, FORTI]), st.integers(0, 120), st.integers(0, 160)),
    st.text(max_size=200),
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
    st.integers(1, 5).map(lambda n: "x" * (n * 20_000)),
)
files = st.lists(line, max_size=30).map(lambda lines: "\n".join(lines).encode("utf-8", "surrogateescape"))
raw_bytes = st.binary(max_size=4000)


def _run(data: bytes, fmt: str, actor):
    mapping = CsvMapping.objects.filter(name__icontains="smoothwall").first() if fmt == "csv" else None
    return usage_import_run(
        actor=actor, stream=io.BytesIO(data), file_name="fuzz.log", file_size=len(data), format=fmt, mapping=mapping
    )


@pytest.mark.parametrize("fmt", ["squid", "fortigate", "csv"])
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.one_of(files, raw_bytes, st.just(CSV.encode())))
def test_importer_accounts_for_every_line_and_never_crashes(fmt, data, demo_user):
    records_before = UsageRecord.objects.count()
    result = _run(data, fmt, demo_user("hr"))
    result = UsageImport.objects.get(pk=result.pk)
    assert result.status in (UsageImport.Status.DONE, UsageImport.Status.FAILED)
    if result.status == UsageImport.Status.DONE:
        assert result.lines_kept + result.lines_dropped + result.lines_rejected == result.lines_read
    else:
        # A failed import is all or nothing: its report explains, and no usage was written.
        assert UsageRecord.objects.count() == records_before
