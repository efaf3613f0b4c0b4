"""The three log formats, line by line, on lines like the ones real filters write."""

import pytest

from monitoring.models import CsvMapping
from monitoring.parsers import (
    CsvLayout,
    Rejected,
    host_of,
    normalise_address,
    normalise_user,
    parse_fortigate,
    parse_squid,
)

SQUID = "1795510801.500 215 10.10.4.21 {code} 5120 GET http://www.facebook.com/ jwilson HIER_DIRECT/1.2.3.4 text/html"


@pytest.mark.parametrize(
    ("code", "blocked"),
    [
        ("TCP_MISS/200", False),
        ("TCP_HIT/200", False),
        ("TCP_MEM_HIT/200", False),
        ("TCP_IMS_HIT/304", False),
        ("TCP_REFRESH_UNMODIFIED/304", False),
        ("TCP_REFRESH_MODIFIED/200", False),
        ("TCP_CLIENT_REFRESH_MISS/200", False),
        ("TCP_SWAPFAIL_MISS/200", False),
        ("TCP_MISS_ABORTED/000", False),
        ("TCP_TUNNEL/200", False),
        ("TCP_TUNNEL_ABORTED/200", False),
        ("TAG_NONE/503", False),
        ("NONE/400", False),
        ("NONE_NONE/000", False),
        ("TCP_DENIED/403", True),
        ("TCP_DENIED_REPLY/403", True),
        ("TCP_DENIED/407", True),
        ("NONE/407", True),
    ],
)
def test_it_reads_every_squid_result_code_form(code, blocked):
    hit = parse_squid(SQUID.format(code=code))
    assert hit.host == "www.facebook.com"
    assert hit.blocked is blocked
    assert hit.bytes == 5120
    assert hit.timestamp == pytest.approx(1795510801.5)


@pytest.mark.parametrize("code", ["TCP_MISS", "200", "TCP_MISS/OK", "TCP MISS/200", "<script>/200"])
def test_it_rejects_a_squid_result_code_of_another_shape(code):
    with pytest.raises(Rejected, match="result code"):
        parse_squid(SQUID.format(code=code))


def test_a_connect_line_has_a_host_and_port_without_a_scheme():
    hit = parse_squid(
        "1795510801.500 60211 10.10.4.21 TCP_TUNNEL/200 48211 CONNECT www.instagram.com:443 jwilson DIRECT/1.2.3.4 -"
    )
    assert hit.host == "www.instagram.com"


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("http://www.facebook.com/path?q=1", "www.facebook.com"),
        ("https://user:secret@m.facebook.com:8443/x", "m.facebook.com"),
        ("www.youtube.com:443", "www.youtube.com"),
        ("[2a03:2880:f12f:83:face:b00c:0:25de]:443", "2a03:2880:f12f:83:face:b00c:0:25de"),
        ("http://[2001:db8::1]/", "2001:db8::1"),
        ("WWW.TikTok.COM.", "www.tiktok.com"),
        ("x.com", "x.com"),
    ],
)
def test_host_of_reads_urls_connect_targets_and_ipv6_literals(url, host):
    assert host_of(url) == host


@pytest.mark.parametrize(
    ("raw", "address"),
    [
        ("10.10.4.21", "10.10.4.21"),
        ("2001:db8:10::21", "2001:db8:10::21"),
        ("2001:0db8:0010:0000:0000:0000:0000:0021", "2001:db8:10::21"),
        ("::ffff:10.11.0.44", "10.11.0.44"),
        ("-", ""),
    ],
)
def test_addresses_are_normalised_including_ipv6(raw, address):
    assert normalise_address(raw) == address


def test_a_client_that_is_not_an_address_is_rejected():
    with pytest.raises(Rejected, match="not an IP address"):
        normalise_address("10.10.4.999")


@pytest.mark.parametrize(
    "raw",
    ["jwilson", "JWilson", "OAKFIELD\\jwilson", "OAKFIELD%5cjwilson", "oakfield%5Cjwilson", "jwilson@oakfield.sch.uk"],
)
def test_user_names_with_domains_are_one_user(raw):
    assert normalise_user(raw) == "jwilson"


def test_a_missing_user_is_empty():
    assert normalise_user("-") == ""


def test_it_rejects_a_squid_line_with_no_timestamp():
    with pytest.raises(Rejected, match="timestamp"):
        parse_squid(SQUID.format(code="TCP_MISS/200").replace("1795510801.500", "yesterday"))


def test_it_rejects_a_truncated_squid_line():
    with pytest.raises(Rejected, match="at least 7 fields"):
        parse_squid("1795510801.500    215 10.10.4.21 TCP_MISS/200")


def test_fortigate_webfilter_line_with_nanosecond_eventtime():
    hit = parse_fortigate(
        'date=2026-11-24 time=12:20:05 eventtime=1795522805000000000 tz="+0000" type="utm" subtype="webfilter" '
        'user="jwilson" srcip=10.10.4.21 hostname="www.facebook.com" action="passthrough" sentbyte=10 rcvdbyte=20'
    )
    assert (hit.user, hit.address, hit.host, hit.bytes, hit.blocked) == (
        "jwilson",
        "10.10.4.21",
        "www.facebook.com",
        30,
        False,
    )
    assert hit.timestamp == pytest.approx(1795522805)


@pytest.mark.parametrize("eventtime", ["1795522805", "1795522805000", "1795522805000000", "1795522805000000000"])
def test_fortigate_eventtime_in_any_unit(eventtime):
    hit = parse_fortigate(f'type="traffic" eventtime={eventtime} srcip=10.1.1.1 hostname="x.com" action="accept"')
    assert hit.timestamp == pytest.approx(1795522805)


def test_fortigate_date_time_and_zone_without_eventtime():
    hit = parse_fortigate('date=2026-07-01 time=12:00:00 tz="+0100" type="traffic" srcip=10.1.1.1 hostname="x.com"')
    assert hit.timestamp == pytest.approx(1782903600)


def test_fortigate_blocked_action_is_marked_blocked():
    hit = parse_fortigate('type="utm" eventtime=1795522805 srcip=10.1.1.1 hostname="www.tiktok.com" action="blocked"')
    assert hit.blocked


def test_fortigate_traffic_line_with_no_host_is_rejected():
    with pytest.raises(Rejected, match="names no host"):
        parse_fortigate('type="traffic" eventtime=1795522805 srcip=10.1.1.1 dstip=8.8.8.8 action="accept"')


def test_a_squid_line_is_not_a_fortigate_line():
    with pytest.raises(Rejected, match="not a FortiGate"):
        parse_fortigate(SQUID.format(code="TCP_MISS/200"))


@pytest.fixture
def smoothwall(db):
    return CsvMapping.objects.get(name="Smoothwall web filter export")


def test_csv_layout_reads_a_smoothwall_row(smoothwall):
    layout = CsvLayout(smoothwall, "Time,Username,Source IP,Group,Status,URL,Categories")
    hit = layout.parse('2026-11-24 12:30:01,jwilson,10.10.4.21,Staff,allowed,https://www.facebook.com/,"Social, Chat"')
    assert (hit.user, hit.host, hit.blocked) == ("jwilson", "www.facebook.com", False)
    assert layout.parse("2026-11-24 12:31:10,jwilson,10.10.4.21,Staff,blocked,https://www.tiktok.com/,x").blocked


def test_csv_header_without_a_mapped_column_is_refused(smoothwall):
    with pytest.raises(Rejected, match="'Source IP'"):
        CsvLayout(smoothwall, "Time,Username,Group,Status,URL,Categories")


def test_csv_time_in_another_format_is_rejected(smoothwall):
    layout = CsvLayout(smoothwall, "Time,Username,Source IP,Group,Status,URL,Categories")
    with pytest.raises(Rejected, match="does not match the time format"):
        layout.parse("24/11/2026 12:34,tbrown,10.10.4.99,Staff,allowed,https://www.facebook.com/,x")
