"""Used by airflow/tests only when the real pendulum (an Airflow dependency) is not installed.

Just what the DAG files call, on the standard library's zoneinfo: tz-aware datetimes whose tzinfo has a name.
"""
from datetime import datetime as _datetime
from zoneinfo import ZoneInfo


def timezone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def datetime(year, month, day, hour=0, minute=0, second=0, microsecond=0, tz="UTC") -> _datetime:
    tzinfo = ZoneInfo(tz) if isinstance(tz, str) else tz
    return _datetime(year, month, day, hour, minute, second, microsecond, tzinfo=tzinfo)
