"""Stub of airflow.models.Variable: an in-memory store that logs every read.

The log lets the tests prove the DAG file reads no Variable while it is parsed (Airflow parses DAG files every
few seconds, and each read there would be a metadata-database query).
"""
from __future__ import annotations

_NOTSET = object()


class Variable:
    _values: dict[str, str] = {}
    reads: list[str] = []

    @classmethod
    def get(cls, key: str, default_var=_NOTSET):
        cls.reads.append(key)
        if key in cls._values:
            return cls._values[key]
        if default_var is _NOTSET:
            raise KeyError(f"Variable {key} does not exist")
        return default_var

    @classmethod
    def set(cls, key: str, value: str) -> None:
        cls._values[key] = value

    @classmethod
    def clear(cls) -> None:
        cls._values.clear()
        cls.reads.clear()
