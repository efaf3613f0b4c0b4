"""Lines from public Squid and FortiGate samples (sources in samples/real_world/README.md), each with what it
must become. Their dates are the samples' own, so each import runs with the clock frozen just after them."""

import datetime as dt
import io

import pytest
import time_machine

from monitoring.importer import import_stream
from monitoring.models import Site, UsageImport, UsageRecord
from monitoring.parsers import Dropped, Rejected, parse_fortigate, parse_squid
from tests.monitoring.conftest import SAMPLES

REAL = SAMPLES / "real_world"
BLOCKED = "blocked by the filter"
NOT_WEB = "not web use (a firewall event, or traffic with no site named)"


def _lines(name: str) -> list[str]:
    return (REAL / name).read_text().splitlines()


# line number: (host, user, client, refused) for a line read as a request, or the exception it raises
SQUID_EXPECTED = {
    1: ("login.yahoo.com", "badeyek", "10.105.21.199", ""),  # TCP_MISS/200 CONNECT: a visit
    2: ("www.goonernews.com", "badeyek", "10.105.21.199", ""),  # TCP_REFRESH_HIT/304
    3: ("www.goonernews.com", "badeyek", "10.105.21.199", ""),  # TCP_HIT/200 from the cache
    4: ("impgb.tradedoubler.com", "badeyek", "10.105.21.199", ""),  # TCP_MISS/302 from the site
    5: ("hi5.com", "-", "10.105.47.218", BLOCKED),  # TCP_DENIED/407: asked to sign in, page not shown
    6: ("hi5.com", "nazsoau", "10.105.47.218", ""),
    7: ("hi5.com", "nazsoau", "10.105.47.218", ""),
    8: ("images.hi5.com", "nazsoau", "10.105.47.218", ""),  # TCP_IMS_HIT/304
    9: ("hi5.com", "nazsoau", "10.105.47.218", ""),
    10: ("us.mcafee.com", "-", "10.105.37.17", BLOCKED),  # TCP_DENIED/407 CONNECT
    11: ("login.live.com", "-", "10.105.37.180", BLOCKED),
    12: ("us.js2.yimg.com", "badeyek", "81.2.69.145", ""),  # TCP_SWAPFAIL_MISS/200
    13: (Rejected, "'58938' is not a Squid result code such as TCP_MISS/200"),  # a custom logformat
}

FORTIGATE_EXPECTED = {
    1: (Dropped, NOT_WEB),  # forward traffic with no host name (an app-control session)
    2: (Dropped, NOT_WEB),  # local traffic to the firewall's own web page
    3: (Dropped, NOT_WEB),  # event: SD-WAN health check
    4: (Dropped, NOT_WEB),  # event: administrator login (has user= and srcip=, still not web use)
    5: (Dropped, NOT_WEB),  # event: REST API request (its url= is the firewall's own API)
    6: (Dropped, NOT_WEB),  # UTM virus line
    7: ("morrishittu.ddns.net", "", "10.1.100.11", BLOCKED),  # web filter ftgd_blk, action=blocked
    8: (Dropped, NOT_WEB),  # traffic with utmaction=block and no host name
    9: (Dropped, NOT_WEB),  # UTM DNS query
    10: (Dropped, NOT_WEB),  # UTM application control (a host name, but not a web-filter line)
    11: (Dropped, NOT_WEB),  # traffic client-rst with utmaction=block, no host name
    12: (Dropped, NOT_WEB),  # UTM IPS
    13: ("ambrishsriv.wixsite.com", "bob", "10.1.100.11", BLOCKED),  # Fortinet's own web-filter example
}


def _check(parse, line: str, expected: tuple) -> None:
    if isinstance(expected[0], type):
        with pytest.raises(expected[0]) as raised:
            parse(line)
        assert str(raised.value) == expected[1]
        return
    hit = parse(line)
    assert (hit.host, hit.user, hit.address, hit.refused) == expected


@pytest.mark.parametrize("number", sorted(SQUID_EXPECTED))
def test_each_real_squid_line(number):
    assert len(_lines("squid_access.log")) == len(SQUID_EXPECTED)
    _check(parse_squid, _lines("squid_access.log")[number - 1], SQUID_EXPECTED[number])


@pytest.mark.parametrize("number", sorted(FORTIGATE_EXPECTED))
def test_each_real_fortigate_line(number):
    assert len(_lines("fortigate.log")) == len(FORTIGATE_EXPECTED)
    _check(parse_fortigate, _lines("fortigate.log")[number - 1], FORTIGATE_EXPECTED[number])


def test_a_real_squid_line_gives_its_elapsed_time_and_bytes():
    hit = parse_squid(_lines("squid_access.log")[0])
    assert (hit.timestamp, hit.elapsed, hit.bytes) == (1157689312.049, 5.006, 19763)


def _import(name: str, fmt: str, now: dt.datetime) -> UsageImport:
    usage_import = UsageImport.objects.create(file_name=name, format=fmt)
    with time_machine.travel(now, tick=False):
        return import_stream(usage_import, io.BytesIO((REAL / name).read_bytes()), now=now)


@pytest.mark.django_db
def test_the_real_squid_log_stores_the_hi5_visits_and_nothing_else():
    Site.objects.create(name="hi5", category="network", domains=["hi5.com"])  # a 2006 social network (1.2)
    report = _import("squid_access.log", "squid", dt.datetime(2006, 9, 9, 12, 0, tzinfo=dt.UTC))
    assert report.status == UsageImport.Status.DONE, report.failure
    assert (report.lines_read, report.lines_kept, report.lines_dropped, report.lines_rejected) == (13, 4, 8, 1)
    assert report.dropped_reasons == {"not a social media site": 7, BLOCKED: 1}
    assert report.rejections == [[13, SQUID_EXPECTED[13][1]]]
    assert report.unmatched == [["username", "nazsoau"]]
    record = UsageRecord.objects.get(site__name="hi5")
    assert (record.identity_kind, record.identity_value, record.device) == ("username", "nazsoau", "unknown")
    assert record.started_at == dt.datetime(2006, 9, 8, 4, 22, tzinfo=dt.UTC)
    assert (record.requests, record.bytes) == (4, 29359 + 5930 + 217 + 27799)
    # The first request's connection opened 4.969 s before it was logged.
    assert record.first_seen == dt.datetime.fromtimestamp(1157689344.736 - 4.969, dt.UTC)


@pytest.mark.django_db
def test_the_real_fortigate_74_export_is_read_line_by_line_and_stores_no_blocked_visit():
    Site.objects.create(name="Wix sites", category="blog", domains=["wixsite.com"])
    report = _import("fortigate.log", "fortigate", dt.datetime(2019, 5, 20, 12, 0, tzinfo=dt.UTC))
    assert report.status == UsageImport.Status.DONE, report.failure  # never refused whole
    assert (report.lines_read, report.lines_kept, report.lines_dropped, report.lines_rejected) == (13, 0, 13, 0)
    assert report.dropped_reasons == {NOT_WEB: 11, "not a social media site": 1, BLOCKED: 1}
    assert not UsageRecord.objects.filter(site__name="Wix sites").exists()
