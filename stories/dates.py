"""Dates from any wire format to ISO 8601: '2026-05-12T09:28:00Z', or '2026-05-12' when there is no time."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

__all__ = ["iso_date"]

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
