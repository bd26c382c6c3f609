"""Stub of airflow.operators.bash.BashOperator: records bash_command for the tests to render and run."""
from airflow.models.baseoperator import BaseOperator


class BashOperator(BaseOperator):
    # BashOperator's own arguments in Airflow 2.9/2.10.
    extra_args = frozenset({"env", "append_env", "output_encoding", "skip_on_exit_code", "skip_exit_code", "cwd",
                            "output_processor"})
    template_fields = ("bash_command", "env", "cwd")

    def __init__(self, *, task_id: str, bash_command: str, **kwargs):
        super().__init__(task_id=task_id, **kwargs)
        self.bash_command = bash_command
