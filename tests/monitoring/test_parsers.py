"""The three log formats, line by line, on lines like the ones real filters write."""

import pytest

from monitoring.models import CsvMapping
from monitoring.parsers import (
    CsvLayout,
    Dropped,
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
        ("TCP_TUNNEL/200", False),
        ("TCP_TUNNEL_ABORTED/200", False),
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
    assert hit.refused == ("blocked by the filter" if blocked else "")
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
    with pytest.raises(Rejected, match="not an IP address or a device name"):
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
    hit = parse_fortigate(
        'date=2026-07-01 time=12:00:00 tz="+0100" type="traffic" srcip=10.1.1.1 hostname="x.com" action="close"'
    )
    assert hit.timestamp == pytest.approx(1782903600)


def test_fortigate_blocked_action_is_marked_blocked():
    hit = parse_fortigate(
        'type="utm" subtype="webfilter" eventtime=1795522805 srcip=10.1.1.1 hostname="www.tiktok.com" action="blocked"'
    )
    assert hit.blocked


def test_fortigate_traffic_line_with_no_host_is_not_web_use():
    with pytest.raises(Dropped, match="not web use"):
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


# --- blocked means blocked (issue 24): every value of the tables, line by line ---------------------------

BLOCKED = "blocked by the filter"
NOT_REACHED = "never reached the site (an error or no reply)"

SQUID_AT = "1795510801.500 215 10.10.4.21 {code} 0 GET http://www.facebook.com/ jwilson {peer} text/html"


@pytest.mark.parametrize(
    ("code", "peer", "refused"),
    [
        ("TCP_MISS/200", "HIER_DIRECT/157.240.1.35", ""),
        ("TCP_TUNNEL/200", "HIER_DIRECT/157.240.1.35", ""),
        ("TCP_HIT/200", "HIER_NONE/-", ""),
        ("TCP_IMS_HIT/304", "HIER_NONE/-", ""),
        ("TCP_MISS/404", "HIER_DIRECT/157.240.1.35", ""),  # the site itself answered: a visit
        ("TCP_MISS/503", "HIER_DIRECT/157.240.1.35", ""),
        ("TCP_DENIED/403", "HIER_NONE/-", BLOCKED),
        ("TCP_DENIED_REPLY/403", "HIER_DIRECT/157.240.1.35", BLOCKED),
        ("TCP_DENIED/407", "HIER_NONE/-", BLOCKED),
        ("NONE/407", "HIER_NONE/-", BLOCKED),
        ("TCP_REDIRECT/302", "HIER_NONE/-", BLOCKED),
        ("NONE_NONE/403", "HIER_NONE/-", BLOCKED),
        ("TAG_NONE/403", "HIER_NONE/-", BLOCKED),
        ("NONE_NONE/000", "HIER_NONE/-", NOT_REACHED),
        ("TAG_NONE/503", "HIER_NONE/-", NOT_REACHED),
        ("NONE/400", "HIER_NONE/-", NOT_REACHED),
        ("NONE_NONE/200", "HIER_NONE/-", NOT_REACHED),  # the opening of a decrypted tunnel
        ("TCP_MISS/000", "HIER_DIRECT/157.240.1.35", NOT_REACHED),
        ("TCP_MISS_ABORTED/000", "HIER_DIRECT/157.240.1.35", NOT_REACHED),
        ("TCP_MISS/503", "HIER_NONE/-", NOT_REACHED),  # Squid's own error page: the name did not resolve
        ("TCP_MISS/504", "NONE/-", NOT_REACHED),
    ],
)
def test_the_squid_result_table_line_by_line(code, peer, refused):
    assert parse_squid(SQUID_AT.format(code=code, peer=peer)).refused == refused


FORTIGATE_TRAFFIC = (
    'date=2026-11-24 time=12:20:05 tz="+0000" type="traffic" subtype="forward" srcip=10.10.4.21 '
    'hostname="www.facebook.com" action="{action}" utmaction="{utmaction}" sentbyte=1 rcvdbyte=2'
)
FORTIGATE_WEBFILTER = (
    'date=2026-11-24 time=12:20:05 tz="+0000" type="utm" subtype="webfilter" srcip=10.10.4.21 '
    'hostname="www.facebook.com" action="{action}" sentbyte=1 rcvdbyte=2'
)


@pytest.mark.parametrize(
    ("action", "utmaction", "refused"),
    [
        ("accept", "", ""),
        ("start", "", ""),
        ("close", "", ""),
        ("close", "allow", ""),
        ("timeout", "allow", ""),
        ("server-rst", "", ""),
        ("client-rst", "passthrough", ""),
        ("reset", "", ""),
        ("close", "block", BLOCKED),  # the line: the session closed because a profile blocked it
        ("client-rst", "block", BLOCKED),
        ("server-rst", "reset", BLOCKED),
        ("deny", "", BLOCKED),
        ("ip-conn", "", BLOCKED),
        ("dns", "", NOT_REACHED),
        ("pending", "", NOT_REACHED),
    ],
)
def test_the_fortigate_traffic_action_table_line_by_line(action, utmaction, refused):
    line = FORTIGATE_TRAFFIC.format(action=action, utmaction=utmaction)
    if not utmaction:
        line = line.replace(' utmaction=""', "")
    assert parse_fortigate(line).refused == refused


@pytest.mark.parametrize(
    ("action", "refused"),
    [("passthrough", ""), ("exempt", ""), ("blocked", BLOCKED), ("block", BLOCKED), ("warning", BLOCKED)],
)
def test_the_fortigate_webfilter_action_table_line_by_line(action, refused):
    assert parse_fortigate(FORTIGATE_WEBFILTER.format(action=action)).refused == refused


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (FORTIGATE_TRAFFIC.format(action="allowed-maybe", utmaction="allow"), "action 'allowed-maybe'"),
        (FORTIGATE_TRAFFIC.format(action="close", utmaction="quarantine"), "utmaction 'quarantine'"),
        (FORTIGATE_TRAFFIC.format(action="close", utmaction="").replace(' action="close"', ""), "action ''"),
    ],
)
def test_a_fortigate_action_outside_the_tables_is_rejected_not_guessed(line, message):
    with pytest.raises(Rejected, match=message):
        parse_fortigate(line)


@pytest.mark.parametrize(
    "line",
    [
        'date=2019-05-13 time=11:20:54 type="event" subtype="system" srcip=172.16.200.254 user="admin" action="login"',
        'type="event" subtype="rest-api" user="admin" url="/api/v2/monitor/system/firmware?vdom=root"',
        'type="utm" subtype="dns" srcip=10.1.100.22 qname="www.facebook.com" action="pass"',
        'type="utm" subtype="app-ctrl" srcip=10.1.100.22 hostname="www.dailymotion.com" action="block"',
        'type="traffic" subtype="forward" srcip=10.1.100.22 dstip=172.16.100.100 dstport=53 action="accept"',
    ],
)
def test_fortigate_lines_that_are_not_web_use_are_dropped_not_rejected(line):
    with pytest.raises(Dropped, match="not web use"):
        parse_fortigate(line)


def test_a_squid_line_with_log_fqdn_names_the_device():
    hit = parse_squid(
        "1795510801.500 215 pc12.oakfield.local TCP_MISS/200 5120 GET http://www.facebook.com/ jwilson "
        "HIER_DIRECT/157.240.1.35 text/html"
    )
    assert hit.address == "pc12.oakfield.local"
    assert normalise_address(hit.address) == "pc12.oakfield.local"
    assert normalise_address("PC12.Oakfield.Local.") == "pc12.oakfield.local"


@pytest.mark.parametrize("raw", ["james%20wilson", "James%20Wilson", "OAKFIELD%5Cjames%20wilson", "james wilson"])
def test_a_url_encoded_user_name_is_the_account_it_names(raw):
    assert normalise_user(raw) == "james wilson"


def test_squid_elapsed_is_read_in_milliseconds():
    hit = parse_squid(
        "1795510920.000 300000 10.10.4.21 TCP_TUNNEL/200 48211 CONNECT www.facebook.com:443 jwilson "
        "HIER_DIRECT/157.240.1.174 -"
    )
    assert hit.elapsed == 300.0


def test_a_squid_elapsed_that_is_not_a_number_is_rejected():
    with pytest.raises(Rejected, match="elapsed time"):
        parse_squid(SQUID.format(code="TCP_MISS/200").replace(" 215 ", " soon "))
