"""A minimal stand-in for the parts of Apache Airflow 2.x that airflow/dags/ use, for airflow/tests only.

It records what a DAG file declares (DAG arguments, operators, their arguments and `>>` edges) so the tests can
check it and render and run the tasks' commands; it schedules nothing. Unknown constructor arguments are refused,
as Airflow refuses them, so a misspelt argument fails the test instead of being silently ignored.
"""
from airflow.models.dag import DAG

__all__ = ["DAG"]
