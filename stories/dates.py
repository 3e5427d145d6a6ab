"""Dates from any wire format to ISO 8601: '2026-05-12T09:28:00Z', or '2026-05-12' when there is no time."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

__all__ = ["dateline_day", "dateline_parts", "iso_date", "web_stamp"]

_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?)?(Z|[+-]\d{4})?$")


def _format(dt: datetime) -> str:
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC)
        return dt.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    return dt.isoformat(timespec="seconds")


def iso_date(value: object) -> str | None:
    """ISO 8601 for a date or date-time in ISO, compact ISO ('20260512T093000Z'), RFC 822 (feeds) or
    'DD.MM.YYYY' form, or a `datetime`/`date`; None for anything else. Times with a zone become UTC ('…Z')."""
    if isinstance(value, datetime):
        return _format(value)
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if m := _COMPACT.match(text):
        y, mo, d, h, mi, s, zone = m.groups()
        try:
            if h is None:
                return date(int(y), int(mo), int(d)).isoformat()
            tz = "+00:00" if zone == "Z" else f"{zone[:3]}:{zone[3:]}" if zone else ""
            return _format(datetime.fromisoformat(f"{y}-{mo}-{d}T{h}:{mi}:{s or '00'}{tz}"))
        except ValueError:
            return None
    try:
        if len(text) == 10 and text[4] == "-":
            return date.fromisoformat(text).isoformat()
        return _format(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    if m := re.match(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$", text):
        try:
            return date(int(m[3]), int(m[2]), int(m[1])).isoformat()
        except ValueError:
            return None
    try:
        return _format(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        return None


_MONTH_NAMES = "january february march april may june july august september october november december".split()
_MONTHS = {**{m: i for i, m in enumerate(_MONTH_NAMES, 1)}, **{m[:3]: i for i, m in enumerate(_MONTH_NAMES, 1)}}
_MONTHS["sept"] = 9
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_TIME = (
    r"(?:\s*[,·|]?\s*(?:at\s+)?(?P<h>\d{1,2})[:.](?P<mi>\d{2})\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?)?"
    r"(?:\s*(?P<zone>GMT|UTC|Z)(?P<off>[+-]\d{1,2}(?::?\d{2})?)?)?"
)
#: "October 14, 2025 11:42 AM GMT+1", "Updated: 14 Oct 2025 09:30", "Published Oct. 14, 2025"
_STAMP = re.compile(
    r"^(?:(?P<label>Published|Updated|Posted|Last updated|First published)\s*(?:on\s*)?:?\s*)?"
    rf"(?:{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})|(?P<day2>\d{{1,2}})\s+{_MONTH.replace('month', 'month2')}"
    rf"\s+(?P<year2>\d{{4}})){_TIME}$",
    re.IGNORECASE,
)
#: "Updated 8:14 PM GMT, April 6, 2025" (time first), "Published on 25/12/2025 at 11:42" (numeric, day first)
_TIME_FIRST = re.compile(
    r"^(?:(?P<label>Published|Updated|Posted|Last updated|First published)\s*(?:on\s*)?:?\s*)?"
    rf"(?P<h>\d{{1,2}})[:.](?P<mi>\d{{2}})\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?\s*(?:(?P<zone>GMT|UTC|Z)(?P<off>[+-]\d{{1,2}}(?::?\d{{2}})?)?)?"
    rf",?\s+{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})$",
    re.IGNORECASE,
)
_NUMERIC = re.compile(
    r"^(?:(?P<label>Published|Updated|Posted|Last updated|First published)\s*(?:on\s*)?:?\s*)?"
    r"(?P<day>\d{1,2})[/.](?P<mon>\d{1,2})[/.](?P<year>\d{4})"
    r"(?:\s*(?:at\s+|,\s*)?(?P<h>\d{1,2})[:.h](?P<mi>\d{2})\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?)?"
    r"(?:\s*(?P<zone>GMT|UTC|Z)(?P<off>[+-]\d{1,2}(?::?\d{2})?)?)?$",
    re.IGNORECASE,
)
#: "Updated 3 hours ago": a web page's relative time, which cannot be dated.
_RELATIVE = re.compile(
    r"^(?:Published|Updated|Posted)\s+(?:\d+\s+(?:second|minute|hour|day|week)s?\s+ago|yesterday|today|just now)$",
    re.IGNORECASE,
)


def web_stamp(line: str) -> tuple[str, str | None] | None:
    """A web page's time stamp line: ("published" | "updated", its ISO date or None if relative), else None."""
    if _RELATIVE.match(line):
        return ("updated" if line[:1] in "Uu" else "published"), None
    m = _STAMP.match(line) or _TIME_FIRST.match(line) or _NUMERIC.match(line)
    if m is None:
        return None
    groups = m.groupdict()
    if groups.get("mon"):
        month: int | None = int(groups["mon"])
    else:
        month = _MONTHS.get((groups.get("month") or groups.get("month2") or "").casefold())
    if month is None:
        return None
    day, year = int(groups.get("day") or groups["day2"]), int(groups.get("year") or groups["year2"])
    kind = "updated" if (m["label"] or "").casefold() in ("updated", "last updated") else "published"
    try:
        if m["h"] is None:
            return kind, date(year, month, day).isoformat()
        hour = int(m["h"]) % 12 + (12 if (m["ampm"] or "").lower().startswith("p") else 0) if m["ampm"] else int(m["h"])
        moment = datetime(year, month, day, hour, int(m["mi"]))
    except ValueError:
        return None
    if m["zone"]:
        off = m["off"] or "+0"
        sign, digits = (-1 if off[0] == "-" else 1), off[1:].replace(":", "")
        hours, minutes = (int(digits[:-2] or 0), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
        moment = moment.replace(tzinfo=timezone(sign * timedelta(hours=hours, minutes=minutes)))
    return kind, _format(moment)


_MONTH_NUMBERS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}


def dateline_parts(text: str) -> tuple[int, int, int | None] | None:
    """(month, day, year or None) of a dateline date ("Oct. 9", "9 Oct", "Oct 9, 2025"), or None."""
    words = text.replace(".", " ").replace(",", " ").split()
    if len(words) >= 2 and words[0].isdigit():  # "9 Oct", "4 Mar 2026"
        words[0], words[1] = words[1], words[0]
    month = _MONTH_NUMBERS.get(words[0][:3].lower()) if words else None
    if month is None or len(words) < 2 or not words[1].isdigit():
        return None
    year = int(words[2]) if len(words) > 2 and len(words[2]) == 4 and words[2].isdigit() else None
    return month, int(words[1]), year


def dateline_day(text: str, added: str) -> date | None:
    """The day a dateline date ("March 4") stands for: its own year if it gives one, else the latest year that puts
    it on or before `added` (the ISO day the story reached the library); None if `text` is no such date."""
    parts = dateline_parts(text)
    if parts is None:
        return None
    month, mday, year = parts
    try:
        added_day = date.fromisoformat(added[:10])
        day = date(year or added_day.year, month, mday)
        if year is None and day > added_day:
            day = date(added_day.year - 1, month, mday)
    except ValueError:  # "Feb 30", or a leap day in a year without one
        return None
    return day
