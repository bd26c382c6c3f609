"""Stub of airflow.models.dag.DAG: a context manager that collects the operators created inside it."""
from __future__ import annotations

# Keyword arguments of airflow.models.dag.DAG in Airflow 2.9/2.10.
_DAG_ARGS = {
    "description", "schedule", "schedule_interval", "timetable", "start_date", "end_date", "full_filepath",
    "template_searchpath", "template_undefined", "user_defined_macros", "user_defined_filters", "default_args",
    "concurrency", "max_active_tasks", "max_active_runs", "max_consecutive_failed_dag_runs", "dagrun_timeout",
    "sla_miss_callback", "default_view", "orientation", "catchup", "on_success_callback", "on_failure_callback",
    "doc_md", "params", "access_control", "is_paused_upon_creation", "jinja_environment_kwargs",
    "render_template_as_native_obj", "tags", "owner_links", "auto_register", "fail_stop", "dag_display_name",
}

_current: list["DAG"] = []


class DAG:
    def __init__(self, dag_id: str, **kwargs):
        unknown = set(kwargs) - _DAG_ARGS
        if unknown:
            raise TypeError(f"DAG {dag_id}: invalid arguments {sorted(unknown)}")
        self.dag_id = dag_id
        self.kwargs = kwargs
        self.default_args = dict(kwargs.get("default_args") or {})
        self.start_date = kwargs.get("start_date")
        # Airflow takes the DAG's time zone from a tz-aware start_date; a naive one would mean the server's default.
        if self.start_date is None or self.start_date.tzinfo is None:
            raise ValueError(f"DAG {dag_id}: start_date must be tz-aware")
        self.timezone = self.start_date.tzinfo
        self.user_defined_filters = dict(kwargs.get("user_defined_filters") or {})
        self.user_defined_macros = dict(kwargs.get("user_defined_macros") or {})
        self.task_dict: dict = {}

    def __getattr__(self, name):
        # schedule, catchup, max_active_runs, dagrun_timeout, doc_md, ... as passed.
        try:
            return self.__dict__["kwargs"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def tasks(self):
        return list(self.task_dict.values())

    @property
    def task_ids(self):
        return list(self.task_dict)

    def add_task(self, task) -> None:
        if task.task_id in self.task_dict:
            raise ValueError(f"duplicate task id {task.task_id}")
        self.task_dict[task.task_id] = task

    def __enter__(self):
        _current.append(self)
        return self

    def __exit__(self, *exc):
        _current.pop()
        return False


def current_dag():
    return _current[-1] if _current else None
