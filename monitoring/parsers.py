"""Reading one line of a web filter's log: Squid native access.log, FortiGate key=value, CSV with a mapping.

Each parser turns a decoded line into a `Hit` or raises `Rejected` with a reason a person can act on.
They use plain string operations and one regular expression, because an import may read gigabytes.
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


class Rejected(Exception):  # noqa: N818 - reads better at the raise site: raise Rejected("...")
    """The line cannot be read; its reason goes into the import report."""


@dataclass(slots=True)
class Hit:
    """One request. User and address are as logged: only the lines that are kept get normalised."""

    timestamp: float  # seconds since the epoch, UTC
    user: str  # filter user name as logged ("-" or "" for none)
    address: str  # client address as logged
    host: str  # lower-case host name without port
    bytes: int
    blocked: bool


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
    name = name.strip().lower()
    if not name or len(name) > 150 or not name.isprintable() or " " in name:
        raise Rejected(f"the user name {raw[:40]!r} is not a user name")
    if len(_user_cache) >= CACHE_LIMIT:
        _user_cache.clear()
    _user_cache[raw] = name
    return name


_address_cache: dict[str, str] = {}


def normalise_address(raw: str) -> str:
    """A valid IPv4 or IPv6 address in canonical form; IPv4-mapped IPv6 (::ffff:10.0.0.1) becomes IPv4."""
    if not raw or raw == "-":
        return ""
    cached = _address_cache.get(raw)
    if cached is not None:
        return cached
    try:
        address = ipaddress.ip_address(raw.strip("[]"))
    except ValueError:
        raise Rejected(f"{raw[:60]!r} is not an IP address")
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if len(_address_cache) >= CACHE_LIMIT:
        _address_cache.clear()
    _address_cache[raw] = value = str(address)
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


def parse_squid(line: str) -> Hit:
    fields = line.split()
    if len(fields) < 7:
        raise Rejected(f"a Squid line has at least 7 fields; this one has {len(fields)}")
    try:
        timestamp = float(fields[0])
    except ValueError:
        raise Rejected(f"{fields[0][:30]!r} is not a Squid timestamp (seconds since 1970)")
    blocked = parse_squid_code(fields[3])
    try:
        size = int(fields[4])
    except ValueError:
        raise Rejected(f"{fields[4][:30]!r} is not a byte count")
    if size < 0:
        raise Rejected("the byte count is negative")
    return Hit(timestamp, fields[7] if len(fields) > 7 else "", fields[2], host_of(fields[6]), size, blocked)


def parse_squid_code(code: str) -> bool:
    """Whether a Squid result code (TCP_MISS/200, TCP_DENIED/403, NONE_NONE/000) says the filter blocked it."""
    slash = code.find("/")
    if slash == -1 or not code[:slash].replace("_", "").isalpha() or not code[slash + 1 :].isdigit():
        raise Rejected(f"{code[:30]!r} is not a Squid result code such as TCP_MISS/200")
    return "DENIED" in code[:slash] or code[slash + 1 :] == "407"


# --- FortiGate key=value (web filter "utm" and "traffic" logs) --------------------------------------

_KEY_VALUE = re.compile(r'(\w+)=(?:"([^"]*)"|(\S*))')
_BLOCKED_ACTIONS = {"blocked", "block", "deny", "denied", "dropped", "reset"}


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
    fields = {m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in _KEY_VALUE.finditer(line)}
    if "type" not in fields or ("srcip" not in fields and "user" not in fields):
        raise Rejected("not a FortiGate log line (no type= and srcip= fields)")
    timestamp = _fortigate_time(fields)
    host = fields.get("hostname") or ""
    if not host and fields.get("url"):
        host = host_of(fields["url"])
    if not host:
        raise Rejected("the FortiGate line names no host (hostname= or url=)")
    host = host_of(host)
    try:
        size = int(fields.get("sentbyte") or 0) + int(fields.get("rcvdbyte") or 0)
    except ValueError:
        raise Rejected("sentbyte or rcvdbyte is not a number")
    user = fields.get("user") or fields.get("unauthuser") or ""
    blocked = (fields.get("action") or "").lower() in _BLOCKED_ACTIONS
    return Hit(timestamp, user, fields.get("srcip", ""), host, size, blocked)


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
        blocked = self._get(row, "status").lower() in self.blocked
        return Hit(
            timestamp, self._get(row, "user"), self._get(row, "address"), host_of(self._get(row, "url")), size, blocked
        )
