"""
### tobwh_nightly: the warehouse's nightly run

One task per warehouse layer (bronze, silver, gold), each a `spark-submit` of the warehouse jar running
`run --date D --layer L`. The layers and the edges between them come from `airflow/plan.json`, the job graph
that `bin/tobwh plan --format json` prints (a unit test keeps the two equal), so the DAG never lists jobs or
their order itself: a layer waits for every layer whose tables its jobs read.

**Which date.** A run covers one landing date D of the reporting time zone (Asia/Shanghai): it starts at
02:30 on D+1 and loads the `dt=D` folders. D is the data interval's start *in Asia/Shanghai*: Airflow's
`{{ ds }}` is the UTC date of that instant, which for a 02:30 +08:00 schedule is the day before, so `ds`
would load every night one day late.

**Settings** are Airflow Variables, read when a task runs (never when the file is parsed):

| Variable | default | what |
|---|---|---|
| `tobwh_jar` | required | the shaded jar, `jobs/target/tobwh-jobs.jar` of a build |
| `tobwh_config` | required | pipeline config (YAML/JSON) with absolute `landingRoot` / `warehouseRoot` |
| `tobwh_spark_submit` | `spark-submit` | the cluster's spark-submit |
| `tobwh_spark_master` | `local[*]` | `--master`: `yarn`, `spark://host:7077`, `k8s://…` |
| `tobwh_spark_submit_args` | empty | more spark-submit arguments, as shell words (`--deploy-mode client --conf k=v`) |

**Failures retry.** Any non-zero exit of spark-submit fails the try and Airflow retries with exponential
back-off: a failed gate, a lost executor, or the warehouse refusing to start because another run holds its
run lock. Runs are incremental, so one night runs at a time (`max_active_runs=1`) and a task waits for the
same task of the night before (`depends_on_past`); `catchup` backfills missed nights in order.
"""
from __future__ import annotations

import json
import os
import shlex
from datetime import timedelta
from pathlib import Path

import pendulum
from airflow import DAG
from airflow.operators.bash import BashOperator

REPORTING_TZ = "Asia/Shanghai"
# Exporters deliver a day's files after midnight; 02:30 leaves them time to land before the run reads dt=D.
SCHEDULE = "30 2 * * *"
# The first landing date to load; with catchup every night from here on runs once, in order.
START_DATE = pendulum.datetime(2026, 1, 1, tz=REPORTING_TZ)
# The job graph, written by `bin/tobwh plan --format json`; TOBWH_PLAN points elsewhere when the DAG file is
# deployed without the repository's airflow/ folder around it.
PLAN_PATH = Path(os.environ.get("TOBWH_PLAN", Path(__file__).resolve().parent.parent / "plan.json"))

MAIN_CLASS = "com.tobwh.cli.Main"
# The landing date D of the run (see the module docstring for why this is not `ds`).
LANDING_DATE = "{{ data_interval_start.astimezone(dag.timezone).strftime('%Y-%m-%d') }}"


def load_plan(path: Path = PLAN_PATH) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def layer_graph(plan: dict) -> tuple[list[str], list[tuple[str, str]]]:
    """The layers in run order and the (upstream, downstream) layer pairs implied by the jobs' inputs.

    Inputs no job writes (``landing.*``) are files, not tasks: nothing to wait for. Inputs from the same layer
    are ordered inside the task by the warehouse itself.
    """
    layer_of = {job["output"]: job["layer"] for job in plan["jobs"]}
    layers = list(dict.fromkeys(job["layer"] for job in plan["jobs"]))
    edges = set()
    for job in plan["jobs"]:
        for table in job["inputs"]:
            upstream = layer_of.get(table)
            if upstream is not None and upstream != job["layer"]:
                edges.add((upstream, job["layer"]))
    return layers, sorted(edges, key=lambda e: (layers.index(e[0]), layers.index(e[1])))


def spark_submit_command(layer: str) -> str:
    """The templated bash command of one layer's task.

    Variables are looked up by the template at run time. Values that name one thing (a path, the master) are
    shell-quoted, so `local[*]` or a path with spaces stays one word; the extra arguments are meant to be
    several words and are inserted as they are.
    """
    return " ".join([
        "{{ var.value.get('tobwh_spark_submit', 'spark-submit') | shell_quote }}",
        "--master {{ var.value.get('tobwh_spark_master', 'local[*]') | shell_quote }}",
        "{{ var.value.get('tobwh_spark_submit_args', '') }}",
        "--class " + MAIN_CLASS,
        "{{ var.value.tobwh_jar | shell_quote }}",
        "run",
        "--date " + LANDING_DATE,
        "--layer " + shlex.quote(layer),
        "--config {{ var.value.tobwh_config | shell_quote }}",
    ])


default_args = {
    "owner": "data-platform",
    # Incremental: night D builds on night D-1's tables, so a layer never runs before yesterday's succeeded.
    "depends_on_past": True,
    # A lock held by another run, a lost executor or a flaky object store usually clears within the hour.
    "retries": 3,
    "retry_delay": timedelta(minutes=5),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(hours=1),
    # A hung spark-submit is killed and retried instead of holding the only active run forever.
    "execution_timeout": timedelta(hours=4),
    # Marts are due by 07:30 Shanghai, five hours after the scheduled start; a miss is reported, not fatal.
    "sla": timedelta(hours=5),
}

with DAG(
    dag_id="tobwh_nightly",
    description="Nightly warehouse run: landing -> bronze -> silver -> gold, one task per layer",
    schedule=SCHEDULE,
    start_date=START_DATE,
    catchup=True,
    # The warehouse takes a run lock and each night reads the previous night's tables: one night at a time.
    max_active_runs=1,
    # Frees the single run slot for the next night if a run is stuck, before the next night is due.
    dagrun_timeout=timedelta(hours=20),
    default_args=default_args,
    user_defined_filters={"shell_quote": shlex.quote},
    doc_md=__doc__,
    tags=["tobwh", "warehouse"],
) as dag:
    layers, edges = layer_graph(load_plan())
    tasks = {
        layer: BashOperator(
            task_id=layer,
            bash_command=spark_submit_command(layer),
            # Airflow skips a task that exits 99 by default; here every non-zero exit is a failure to retry.
            skip_on_exit_code=None,
            # The last line of a Spark log is no result worth keeping in XCom.
            do_xcom_push=False,
            doc_md=f"`spark-submit … run --date D --layer {layer}`: the {layer} layer's jobs of plan.json.",
        )
        for layer in layers
    }
    for upstream, downstream in edges:
        tasks[upstream] >> tasks[downstream]
