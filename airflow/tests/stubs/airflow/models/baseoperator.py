"""Stub of airflow.models.baseoperator.BaseOperator: arguments with the DAG's default_args, and `>>` edges."""
from __future__ import annotations

from airflow.models.dag import current_dag

# Keyword arguments of BaseOperator in Airflow 2.9/2.10.
BASE_ARGS = {
    "task_id", "owner", "email", "email_on_retry", "email_on_failure", "retries", "retry_delay",
    "retry_exponential_backoff", "max_retry_delay", "start_date", "end_date", "depends_on_past",
    "ignore_first_depends_on_past", "wait_for_past_depends_before_skipping", "wait_for_downstream", "dag",
    "params", "default_args", "priority_weight", "weight_rule", "queue", "pool", "pool_slots", "sla",
    "execution_timeout", "on_execute_callback", "on_failure_callback", "on_success_callback",
    "on_retry_callback", "on_skipped_callback", "pre_execute", "post_execute", "trigger_rule", "resources",
    "run_as_user", "task_concurrency", "max_active_tis_per_dag", "max_active_tis_per_dagrun", "executor",
    "executor_config", "do_xcom_push", "multiple_outputs", "inlets", "outlets", "task_group", "doc", "doc_md",
    "doc_json", "doc_yaml", "doc_rst", "task_display_name", "logger_name", "allow_nested_operators",
}


class BaseOperator:
    extra_args: frozenset = frozenset()

    def __init__(self, *, task_id: str, dag=None, **kwargs):
        unknown = set(kwargs) - BASE_ARGS - self.extra_args
        if unknown:
            raise TypeError(f"{type(self).__name__} {task_id}: invalid arguments {sorted(unknown)}")
        self.task_id = task_id
        self.dag = dag or current_dag()
        if self.dag is None:
            raise ValueError(f"task {task_id} was created outside a DAG")
        # As Airflow does: an argument not given to the operator comes from the DAG's default_args.
        args = {k: v for k, v in self.dag.default_args.items() if k in BASE_ARGS | self.extra_args}
        args.update(kwargs)
        self.args = args
        self.upstream_task_ids: set[str] = set()
        self.downstream_task_ids: set[str] = set()
        self.dag.add_task(self)

    def __getattr__(self, name):
        try:
            return self.__dict__["args"][name]
        except KeyError:
            raise AttributeError(name) from None

    def set_downstream(self, other) -> None:
        for task in other if isinstance(other, (list, tuple)) else [other]:
            self.downstream_task_ids.add(task.task_id)
            task.upstream_task_ids.add(self.task_id)

    def set_upstream(self, other) -> None:
        for task in other if isinstance(other, (list, tuple)) else [other]:
            task.set_downstream(self)

    def __rshift__(self, other):
        self.set_downstream(other)
        return other

    def __lshift__(self, other):
        self.set_upstream(other)
        return other

    def __rrshift__(self, other):
        self.set_upstream(other)
        return self

    def __rlshift__(self, other):
        self.set_downstream(other)
        return self
