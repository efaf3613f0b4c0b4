"""Reading one line of a web filter's log: Squid native access.log, FortiGate key=value, CSV with a mapping.

Each parser turns a decoded line into a `Hit`, raises `Dropped` for a well-formed line that is not web use,
or raises `Rejected` with a reason a person can act on. They use plain string operations and one regular
expression, because an import may read gigabytes.

Blocked means blocked, in every format: a request the filter refused, or one that never reached the site,
is not a visit and is never stored as one (issue 24). The tables below (Squid's result codes,
FORTIGATE_ACTIONS, FORTIGATE_WEBFILTER_ACTIONS, FORTIGATE_UTM_ACTIONS) say what each value the filters write
means; a FortiGate value outside them is rejected with a message rather than guessed at, since these records
feed flags about named staff.
"""

from __future__ import annotations

import csv
import datetime as dt
import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import unquote
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")
CACHE_LIMIT = 20_000  # entries per look-up cache below: cleared when full, so an import's memory stays flat


# Why a well-formed line is not kept as a visit (the import report counts each).
BLOCKED = "blocked by the filter"
NOT_REACHED = "never reached the site (an error or no reply)"
NOT_WEB_USE = "not web use (a firewall event, or traffic with no site named)"


class Rejected(Exception):  # noqa: N818 - reads better at the raise site: raise Rejected("...")
    """The line cannot be read; its reason goes into the import report."""


class Dropped(Exception):  # noqa: N818
    """The line is read but is not web use; its reason is counted in the import report."""


@dataclass(slots=True)
class Hit:
    """One request. User and address are as logged: only the lines that are kept get normalised."""

    timestamp: float  # seconds since the epoch, UTC: when the request ended (Squid) or was logged
    user: str  # filter user name as logged ("-" or "" for none)
    address: str  # client address (or, with Squid's log_fqdn, host name) as logged
    host: str  # lower-case host name without port
    bytes: int
    refused: str = ""  # "" when the request reached the site, else BLOCKED or NOT_REACHED
    elapsed: float = 0.0  # seconds the connection was open before `timestamp` (Squid's elapsed field)

    @property
    def blocked(self) -> bool:
        return self.refused == BLOCKED


_user_cache: dict[str, str] = {}


def normalise_user(raw: str) -> str:
    """DOMAIN\\jdoe, jdoe@school.local and JDoe are all 'jdoe'; '-' means no user."""
    if not raw or raw == "-":
        return ""
    cached = _user_cache.get(raw)
    if cached is not None:
        return cached
    name = unquote(raw) if "%" in raw else raw
    if "\\" in name:
        name = name.rsplit("\\", 1)[1]
    if "@" in name:
        name = name.split("@", 1)[0]
    # Squid URL-encodes the user name it logs, so "james%20wilson" is the account "james wilson".
    name = " ".join(name.split()).lower()
    if not name or len(name) > 150 or not name.isprintable():
        raise Rejected(f"the user name {raw[:40]!r} is not a user name")
    if len(_user_cache) >= CACHE_LIMIT:
        _user_cache.clear()
    _user_cache[raw] = name
    return name


_address_cache: dict[str, str] = {}


_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def device_name(raw: str) -> str | None:
    """A device's host name as Squid logs it with log_fqdn on (pc12.oakfield.local), lower case; else None."""
    name = raw.strip().rstrip(".").lower()
    if not name or len(name) > 253:
        return None
    labels = name.split(".")
    if not all(_HOST_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        return None  # 10.10.4.999 is a mistyped address, not a name
    return name


def normalise_address(raw: str) -> str:
    """A valid IPv4 or IPv6 address in canonical form; IPv4-mapped IPv6 (::ffff:10.0.0.1) becomes IPv4. A
    device host name (Squid with log_fqdn on) is kept as a name in lower case."""
    if not raw or raw == "-":
        return ""
    cached = _address_cache.get(raw)
    if cached is not None:
        return cached
    try:
        address = ipaddress.ip_address(raw.strip("[]"))
    except ValueError:
        value = device_name(raw)
        if value is None:
            raise Rejected(f"{raw[:60]!r} is not an IP address or a device name")
    else:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        value = str(address)
    if len(_address_cache) >= CACHE_LIMIT:
        _address_cache.clear()
    _address_cache[raw] = value
    return value


_host_cache: dict[str, str] = {}


def host_of(url: str) -> str:
    """The host of a URL, of a CONNECT target (host:port) or of a bare host name."""
    rest = url
    scheme = rest.find("://")
    if scheme != -1:
        rest = rest[scheme + 3 :]
    slash = rest.find("/")
    if slash != -1:
        rest = rest[:slash]
    cached = _host_cache.get(rest)
    if cached is not None:
        return cached
    key = rest
    for sep in "?#":
        cut = rest.find(sep)
        if cut != -1:
            rest = rest[:cut]
    at = rest.rfind("@")
    if at != -1:
        rest = rest[at + 1 :]
    if rest.startswith("["):  # an IPv6 literal, [2001:db8::1]:443
        end = rest.find("]")
        host = rest[1:end] if end != -1 else rest[1:]
    elif rest.count(":") == 1:
        host = rest.split(":", 1)[0]
    else:
        host = rest
    host = host.strip().rstrip(".").lower()
    if not host:
        raise Rejected("the line has no host name or address in its URL")
    if len(_host_cache) >= CACHE_LIMIT:
        _host_cache.clear()
    _host_cache[key] = host
    return host


# --- Squid native access.log ---------------------------------------------------------------------
# time elapsed client code/status bytes method URL user hierarchy/peer type
# 1764150000.123 215 10.10.4.21 TCP_MISS/200 5120 GET https://www.facebook.com/ jwilson HIER_DIRECT/1.2.3.4 text/html
#
# What a result code (tag/status) means here, first match wins (Squid's wiki, SquidFaq/SquidLogs); the tests
# walk the table line by line:
#   tag with DENIED (TCP_DENIED/403, TCP_DENIED_REPLY/403) .... BLOCKED: the access rules refused it
#   tag with REDIRECT (TCP_REDIRECT/302) ...................... BLOCKED: a redirector such as SquidGuard sent
#                                                               the browser to its block page
#   status 407 (TCP_DENIED/407, NONE/407) ..................... BLOCKED: the proxy asked the browser to sign in
#   a tag of NONE only, status 403 (NONE_NONE/403) ............ BLOCKED: Squid refused it itself (ssl_bump)
#   a tag of NONE only, any other status (NONE_NONE/000,
#     TAG_NONE/503, NONE/400, NONE_NONE/200) .................. NOT_REACHED: Squid answered without contacting
#                                                               the site (an error, a bad request, or the
#                                                               opening of a decrypted tunnel whose requests
#                                                               are logged on later lines)
#   status 000 (TCP_MISS/000, TCP_MISS_ABORTED/000) ........... NOT_REACHED: no reply reached the browser
#   status 400 or more with hierarchy HIER_NONE/NONE .......... NOT_REACHED: Squid's own error page
#   anything else (TCP_MISS/200, TCP_TUNNEL/200, TCP_HIT/200,
#     TCP_MISS/404 from the site) ............................. a visit: the browser reached the site
SQUID_DEPENDS_ON_PEER = "peer"  # parse_squid_code's answer when the hierarchy field decides (status >= 400)


def parse_squid(line: str) -> Hit:
    fields = line.split()
    if len(fields) < 7:
        raise Rejected(f"a Squid line has at least 7 fields; this one has {len(fields)}")
    try:
        timestamp = float(fields[0])
    except ValueError:
        raise Rejected(f"{fields[0][:30]!r} is not a Squid timestamp (seconds since 1970)")
    elapsed = squid_elapsed(fields[1])
    refused = parse_squid_code(fields[3])
    if refused == SQUID_DEPENDS_ON_PEER:
        refused = squid_peer_refused(fields[8] if len(fields) > 8 else "")
    try:
        size = int(fields[4])
    except ValueError:
        raise Rejected(f"{fields[4][:30]!r} is not a byte count")
    if size < 0:
        raise Rejected("the byte count is negative")
    user = fields[7] if len(fields) > 7 else ""
    return Hit(timestamp, user, fields[2], host_of(fields[6]), size, refused, elapsed)


def squid_elapsed(field: str) -> float:
    """Squid's elapsed field: the milliseconds the connection was open, as seconds."""
    if not field.isdigit():
        raise Rejected(f"{field[:30]!r} is not a Squid elapsed time (milliseconds)")
    return int(field) / 1000


def parse_squid_code(code: str) -> str:
    """What a Squid result code (TCP_MISS/200, TCP_DENIED/403, NONE_NONE/000) says about the request, by
    SQUID_RESULTS: "" for a visit, BLOCKED, NOT_REACHED, or SQUID_DEPENDS_ON_PEER when the hierarchy decides."""
    slash = code.find("/")
    tag, status = code[:slash], code[slash + 1 :]
    if slash == -1 or not tag.replace("_", "").isalpha() or not status.isdigit():
        raise Rejected(f"{code[:30]!r} is not a Squid result code such as TCP_MISS/200")
    if "DENIED" in tag or "REDIRECT" in tag or status == "407":
        return BLOCKED
    if all(part in ("NONE", "TAG") for part in tag.split("_")):
        return BLOCKED if status == "403" else NOT_REACHED
    if int(status) == 0:
        return NOT_REACHED
    if int(status) >= 400:
        return SQUID_DEPENDS_ON_PEER
    return ""


def squid_peer_refused(hierarchy: str) -> str:
    """An error status with no server contacted (HIER_NONE/-) is Squid's own error page, not the site's."""
    return NOT_REACHED if hierarchy.startswith(("HIER_NONE", "NONE")) else ""


# --- FortiGate key=value (web filter "utm" and "traffic" logs) --------------------------------------

_KEY_VALUE = re.compile(r'(\w+)=(?:"([^"]*)"|(\S*))')

# What FortiGate's action= means on a traffic line (FortiOS Log Message Reference: "Deny = blocked by firewall
# policy ... All Others = allowed by Firewall Policy and the status indicates how it was closed").
FORTIGATE_ACTIONS: dict[str, tuple[str, str]] = {
    "accept": ("", "the firewall policy let the session through"),
    "start": ("", "the start of a session the policy let through"),
    "close": ("", "a session the policy let through, ended normally"),
    "timeout": ("", "a session the policy let through, ended after it went idle"),
    "server-rst": ("", "a session the policy let through, ended by the site"),
    "client-rst": ("", "a session the policy let through, ended by the browser"),
    "reset": ("", "a session the policy let through, ended by a reset (utmaction says if a profile blocked it)"),
    "deny": (BLOCKED, "a firewall policy refused the session"),
    "ip-conn": (BLOCKED, "refused: the address had too many sessions open"),
    "dns": (NOT_REACHED, "the session failed on the name look-up"),
    "pending": (NOT_REACHED, "the session was still being checked against the policy"),
}
# action= on a web-filter line ("Security action performed by WF: blocked - url is blocked by webfilter,
# passthrough - url is allowed by webfilter").
FORTIGATE_WEBFILTER_ACTIONS: dict[str, tuple[str, str]] = {
    "passthrough": ("", "the web filter let the page through"),
    "exempt": ("", "the page is exempt from web filtering"),
    "blocked": (BLOCKED, "the web filter blocked the page"),
    "block": (BLOCKED, "the web filter blocked the page"),
    "warning": (BLOCKED, "the web filter showed a warning page (going on past it writes a passthrough line)"),
}
# utmaction= on a traffic line: what the security profiles (web filter, application control, ...) did to it.
FORTIGATE_UTM_ACTIONS: dict[str, tuple[str, str]] = {
    "": ("", "no security profile acted on the session"),
    "allow": ("", "the security profiles let the session through"),
    "passthrough": ("", "the security profiles let the session through"),
    "block": (BLOCKED, "a security profile blocked the session"),
    "reset": (BLOCKED, "a security profile ended the session with a reset"),
}
WEB_TYPES = {"traffic", "utm", "webfilter"}  # FortiOS 4 wrote web-filter lines with type=webfilter


def fortigate_refused(kind: str, action: str, utmaction: str) -> str:
    """BLOCKED, NOT_REACHED or "" for a visit, from the tables above; a value not in them is rejected."""
    table = FORTIGATE_ACTIONS if kind == "traffic" else FORTIGATE_WEBFILTER_ACTIONS
    if action not in table:
        raise Rejected(f"the FortiGate action {action[:30]!r} is not one this app knows on a {kind} line")
    if utmaction not in FORTIGATE_UTM_ACTIONS:
        raise Rejected(f"the FortiGate utmaction {utmaction[:30]!r} is not one this app knows")
    return table[action][0] or FORTIGATE_UTM_ACTIONS[utmaction][0]


def _fortigate_time(fields: dict[str, str]) -> float:
    eventtime = fields.get("eventtime", "")
    if eventtime.isdigit():
        digits = len(eventtime)
        divisor = 10 ** max(0, digits - 10)  # seconds, milli-, micro- or nanoseconds since 1970
        return int(eventtime) / divisor
    date, time = fields.get("date", ""), fields.get("time", "")
    if not date or not time:
        raise Rejected("a FortiGate line needs eventtime or date and time")
    try:
        moment = dt.datetime.strptime(f"{date} {time}", "%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise Rejected(f"{date[:12]} {time[:10]} is not a FortiGate date and time")
    tz = fields.get("tz", "")
    if tz:
        try:
            moment = moment.replace(tzinfo=dt.datetime.strptime(tz, "%z").tzinfo)
        except ValueError:
            raise Rejected(f"{tz[:10]!r} is not a time zone offset such as +0000")
    else:
        moment = moment.replace(tzinfo=UK)
    return moment.timestamp()


def parse_fortigate(line: str) -> Hit:
    """A web-filter or traffic line that names a host; any other well-formed FortiGate line is Dropped."""
    fields = {m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in _KEY_VALUE.finditer(line)}
    kind = (fields.get("type") or "").lower()
    if not kind:
        raise Rejected("not a FortiGate log line (no type= field)")
    subtype = (fields.get("subtype") or "").lower()
    if kind not in WEB_TYPES or (kind == "utm" and subtype != "webfilter"):
        raise Dropped(NOT_WEB_USE)
    host = fields.get("hostname") or ""
    url = fields.get("url") or ""
    if not host and "://" in url:
        host = host_of(url)
    if not host:
        raise Dropped(NOT_WEB_USE)
    if "srcip" not in fields and "user" not in fields and "unauthuser" not in fields:
        raise Rejected("the FortiGate line names neither a user (user=) nor a client address (srcip=)")
    timestamp = _fortigate_time(fields)
    host = host_of(host)
    try:
        size = int(fields.get("sentbyte") or 0) + int(fields.get("rcvdbyte") or 0)
    except ValueError:
        raise Rejected("sentbyte or rcvdbyte is not a number")
    user = fields.get("user") or fields.get("unauthuser") or ""
    refused = fortigate_refused(
        "traffic" if kind == "traffic" else "webfilter",
        (fields.get("action") or "").lower(),
        (fields.get("utmaction") or "").lower(),
    )
    return Hit(timestamp, user, fields.get("srcip", ""), host, size, refused)


# --- CSV with a saved column mapping -----------------------------------------------------------------


class CsvLayout:
    """The column positions of one CSV file, found from its header line and a saved mapping."""

    def __init__(self, mapping, header_line: str):
        self.mapping = mapping
        self.delimiter = mapping.delimiter or ","
        header = [h.strip().lstrip("\ufeff").lower() for h in next(csv.reader([header_line], delimiter=self.delimiter))]
        wanted = {
            "time": mapping.time_column,
            "user": mapping.user_column,
            "address": mapping.address_column,
            "url": mapping.url_column,
            "bytes": mapping.bytes_column,
            "status": mapping.status_column,
        }
        self.index: dict[str, int | None] = {}
        missing = []
        for key, column in wanted.items():
            if not column:
                self.index[key] = None
            elif column.strip().lower() in header:
                self.index[key] = header.index(column.strip().lower())
            else:
                missing.append(column)
        if missing:
            raise Rejected(
                f"the header line has no column {', '.join(repr(m) for m in missing)} "
                f"that the mapping '{mapping.name}' needs"
            )
        self.width = max(i for i in self.index.values() if i is not None) + 1
        self.blocked = {v.strip().lower() for v in mapping.blocked_values.split(",") if v.strip()}
        self.time_format = mapping.time_format.strip()

    def _get(self, row: list[str], key: str) -> str:
        i = self.index[key]
        return row[i].strip() if i is not None else ""

    def parse(self, line: str) -> Hit:
        row = next(csv.reader([line], delimiter=self.delimiter), [])
        if len(row) < self.width:
            raise Rejected(f"the row has {len(row)} columns; the mapping needs {self.width}")
        raw_time = self._get(row, "time")
        if self.time_format == "epoch":
            try:
                timestamp = float(raw_time)
            except ValueError:
                raise Rejected(f"{raw_time[:30]!r} is not a time in seconds since 1970")
        else:
            try:
                moment = dt.datetime.strptime(raw_time, self.time_format)
            except ValueError:
                raise Rejected(f"{raw_time[:30]!r} does not match the time format {self.time_format}")
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UK)
            timestamp = moment.timestamp()
        raw_bytes = self._get(row, "bytes")
        try:
            size = int(raw_bytes) if raw_bytes else 0
        except ValueError:
            raise Rejected(f"{raw_bytes[:30]!r} is not a byte count")
        refused = BLOCKED if self._get(row, "status").lower() in self.blocked else ""
        return Hit(
            timestamp, self._get(row, "user"), self._get(row, "address"), host_of(self._get(row, "url")), size, refused
        )
