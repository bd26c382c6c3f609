#!/usr/bin/env python3
"""Tests of the Airflow DAGs in airflow/dags/, without Airflow: plain python3, unittest and the standard library.

A small stand-in `airflow` package (tests/stubs/, test harness only) records what a DAG file declares. The tests
check the DAG against the job graph the CLI prints live, render each task's command the way Airflow's templating
would (Jinja2 when it is installed, else a minimal renderer of the expressions the DAG uses), and run the rendered
commands in dependency order against bin/spark-submit, a fresh landing zone and a temporary warehouse.

Needs a build first (`mvn -B -DskipTests package`). Run from anywhere: `python3 airflow/tests/test_dag.py`.
TOBWH_SKIP_E2E=1 skips the spark-submit run (the other tests take seconds).
"""
from __future__ import annotations

import importlib.util
import json
import os
import py_compile
import re
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import types
import unittest
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
AIRFLOW_DIR = HERE.parent
REPO = AIRFLOW_DIR.parent
DAGS = AIRFLOW_DIR / "dags"
PLAN = AIRFLOW_DIR / "plan.json"
TOBWH = REPO / "bin" / "tobwh"
SPARK_SUBMIT = REPO / "bin" / "spark-submit"
JAR = REPO / "jobs" / "target" / "tobwh-jobs.jar"

# Leave no __pycache__ in the DAGs folder or the stubs.
sys.dont_write_bytecode = True
sys.path.insert(0, str(HERE / "stubs"))
if importlib.util.find_spec("pendulum") is None:
    sys.path.insert(1, str(HERE / "pendulum_fallback"))

from airflow.models import DAG, Variable  # noqa: E402  (the stub, from the path set above)

try:
    import jinja2
    import jinja2.sandbox
except ImportError:
    jinja2 = None

# The landing date the end-to-end run loads: the middle day of the generated sample.
SAMPLE_DATE = date(2026, 1, 2)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------------- the plan

_live_plan: list[str] = []


def live_plan_text() -> str:
    """What `bin/tobwh plan --format json` prints now (one JVM start, so once per test run)."""
    if not _live_plan:
        if not JAR.exists():
            raise AssertionError(f"{JAR} is missing: build first with `mvn -B -DskipTests package`")
        out = subprocess.run([str(TOBWH), "plan", "--format", "json"], capture_output=True, text=True, timeout=300,
                             env={**os.environ, "TOBWH_JAVA_OPTS": "-Xmx512m"})
        if out.returncode != 0:
            raise AssertionError(f"bin/tobwh plan failed ({out.returncode}):\n{out.stderr}")
        _live_plan.append(out.stdout)
    return _live_plan[0]


def expected_layers_and_edges(plan: dict) -> tuple[list[str], set[tuple[str, str]]]:
    """The layer graph, worked out here independently of the DAG's own code: a layer depends on every other
    layer that writes a table one of its jobs reads."""
    writer = {}
    for job in plan["jobs"]:
        writer[job["output"]] = job["output"].split(".", 1)[0]
        assert job["layer"] == writer[job["output"]], job
    layers = []
    for job in plan["jobs"]:
        if job["layer"] not in layers:
            layers.append(job["layer"])
    edges = {(writer[t], job["layer"]) for job in plan["jobs"] for t in job["inputs"]
             if t in writer and writer[t] != job["layer"]}
    return layers, edges


# ---------------------------------------------------------------------------------------------------- loading

def load_dag_module(path: Path) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(f"dagfile_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def dags_in(module: types.ModuleType) -> list[DAG]:
    # As Airflow's DagBag: every DAG object at the top level of the file.
    return [v for v in vars(module).values() if isinstance(v, DAG)]


def nightly_dag() -> tuple[types.ModuleType, DAG]:
    module = load_dag_module(DAGS / "tobwh_nightly.py")
    (dag,) = dags_in(module)
    return module, dag


def topological(dag: DAG) -> list[str]:
    pending = {t.task_id: set(t.upstream_task_ids) for t in dag.tasks}
    order = []
    while pending:
        ready = sorted(t for t, ups in pending.items() if not ups - set(order))
        if not ready:
            raise AssertionError(f"task cycle among {sorted(pending)}")
        order.extend(ready)
        for t in ready:
            del pending[t]
    return order


# ---------------------------------------------------------------------------------------------------- rendering

class VariableAccessor:
    """As Airflow's `var.value`: `var.value.name` (missing: KeyError) and `var.value.get(name, default)`."""

    def __getattr__(self, key):
        if key.startswith("__"):
            raise AttributeError(key)
        return Variable.get(key)

    def get(self, key, *default_var):
        return Variable.get(key, *default_var)


def cron_hour_minute(schedule: str) -> tuple[int, int]:
    fields = schedule.split()
    if len(fields) != 5 or fields[2:] != ["*", "*", "*"] or not (fields[0].isdigit() and fields[1].isdigit()):
        raise AssertionError(f"expected a daily cron 'M H * * *', got {schedule!r}")
    return int(fields[1]), int(fields[0])


def airflow_context(dag: DAG, landing_date: date) -> dict:
    """The template context of the scheduled run that should load `landing_date`, as Airflow 2.x builds it.

    A daily cron in the DAG's time zone has the data interval [D at H:M local, D+1 at H:M local); Airflow hands
    templates that interval and the logical date (its start) in UTC, and `ds` is the logical date's UTC date.
    """
    hour, minute = cron_hour_minute(dag.schedule)
    start_local = datetime(landing_date.year, landing_date.month, landing_date.day, hour, minute,
                           tzinfo=dag.timezone)
    start = start_local.astimezone(timezone.utc)
    end = (start_local + timedelta(days=1)).astimezone(timezone.utc)
    return {
        "dag": dag,
        "ds": start.strftime("%Y-%m-%d"),
        "ds_nodash": start.strftime("%Y%m%d"),
        "logical_date": start,
        "data_interval_start": start,
        "data_interval_end": end,
        "var": types.SimpleNamespace(value=VariableAccessor()),
        "params": {},
    }


def _split_filters(expr: str) -> list[str]:
    parts, current, quote = [], "", None
    for ch in expr:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "|":
            parts.append(current)
            current = ""
            continue
        current += ch
    return [p.strip() for p in parts + [current]]


def render_minimal(template: str, context: dict, filters: dict) -> str:
    """The subset of Jinja the DAGs use: `{{ expression | filter ... }}`, where the expression is attribute
    access, calls and string literals (Python and Jinja agree on those). No statements."""
    if "{%" in template or "{#" in template:
        raise ValueError(f"the minimal renderer handles only {{{{ expressions }}}}: {template}")

    def one(match: re.Match) -> str:
        expr, *names = _split_filters(match.group(1))
        # No builtins but the import hook C code such as datetime.strftime needs; our own templates, test only.
        value = eval(expr, {"__builtins__": {"__import__": __import__}}, dict(context))  # noqa: S307
        for name in names:
            value = filters[name](value)
        return str(value)

    return re.sub(r"{{(.*?)}}", one, template, flags=re.S)


def render_jinja(template: str, context: dict, filters: dict) -> str:
    # As Airflow's template environment: sandboxed, undefined names are errors, the DAG's own filters.
    env = jinja2.sandbox.SandboxedEnvironment(undefined=jinja2.StrictUndefined, extensions=["jinja2.ext.do"],
                                              cache_size=0)
    env.filters.update(filters)
    return env.from_string(template).render(**context)


RENDERER = "Jinja2 " + jinja2.__version__ if jinja2 else "the minimal renderer (Jinja2 is not installed)"


def render(task, landing_date: date) -> str:
    context = airflow_context(task.dag, landing_date)
    filters = task.dag.user_defined_filters
    if jinja2:
        return render_jinja(task.bash_command, context, filters)
    return render_minimal(task.bash_command, context, filters)


def set_variables(**values: str) -> None:
    Variable.clear()
    for key, value in values.items():
        Variable.set(key, value)


def template_variables(template: str) -> set[str]:
    return set(re.findall(r"var\.value\.get\('(\w+)'", template)) | set(re.findall(r"var\.value\.(\w+) ", template))


# ---------------------------------------------------------------------------------------------------- tests

class DagFileTest(unittest.TestCase):
    def test_every_dag_file_compiles(self):
        files = sorted(DAGS.glob("*.py"))
        self.assertTrue(files, f"no DAG files in {DAGS}")
        with tempfile.TemporaryDirectory() as tmp:
            for f in files:
                py_compile.compile(str(f), cfile=str(Path(tmp) / (f.name + "c")), doraise=True)

    def test_every_dag_file_defines_a_dag(self):
        for f in sorted(DAGS.glob("*.py")):
            self.assertTrue(dags_in(load_dag_module(f)), f"{f} defines no DAG")

    def test_committed_plan_is_what_the_cli_prints(self):
        self.assertEqual(PLAN.read_text(encoding="utf-8"), live_plan_text(),
                         "airflow/plan.json is stale; regenerate: bin/tobwh plan --format json > airflow/plan.json")

    def test_no_variable_is_read_while_parsing(self):
        Variable.clear()
        nightly_dag()
        self.assertEqual([], Variable.reads, "Airflow parses DAG files every few seconds: read Variables in "
                                             "templates, at run time")


class DagShapeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.module, cls.dag = nightly_dag()
        cls.plan = json.loads(live_plan_text())

    def test_one_task_per_layer_of_the_live_plan(self):
        layers, _ = expected_layers_and_edges(self.plan)
        self.assertGreaterEqual(len(layers), 2, layers)
        self.assertEqual(layers, self.dag.task_ids)

    def test_upstream_edges_are_the_layers_the_jobs_read(self):
        layers, edges = expected_layers_and_edges(self.plan)
        self.assertTrue(edges, "the plan has no edges between layers")
        for layer in layers:
            expected = {up for up, down in edges if down == layer}
            self.assertEqual(expected, self.dag.task_dict[layer].upstream_task_ids, f"upstream of {layer}")
        self.assertEqual(layers, topological(self.dag), "run order")

    def test_the_committed_plan_gives_the_same_graph(self):
        self.assertEqual(expected_layers_and_edges(self.plan), expected_layers_and_edges(json.loads(PLAN.read_text())))

    def test_each_task_runs_its_own_layer_through_spark_submit(self):
        for task in self.dag.tasks:
            self.assertEqual(type(task).__name__, "BashOperator")
            self.assertIn(f"--layer {task.task_id} ", task.bash_command)
            self.assertEqual(self.module.spark_submit_command(task.task_id), task.bash_command)

    def test_schedule_is_daily_after_midnight_in_the_reporting_time_zone(self):
        hour, _ = cron_hour_minute(self.dag.schedule)
        self.assertLess(hour, 8, "after midnight, before the working day")
        tz = self.dag.timezone
        tz_name = getattr(tz, "name", None) or getattr(tz, "key", None)
        self.assertEqual("Asia/Shanghai", tz_name)
        pipeline = (REPO / "jobs/src/main/resources/pipeline.yaml").read_text(encoding="utf-8")
        self.assertIn(f"reportingTimeZone: {tz_name}\n", pipeline, "the DAG's time zone is the warehouse's")

    def test_runs_are_incremental_one_night_at_a_time(self):
        self.assertIs(True, self.dag.catchup)
        self.assertEqual(1, self.dag.max_active_runs)
        self.assertIsInstance(self.dag.dagrun_timeout, timedelta)
        self.assertLess(self.dag.dagrun_timeout, timedelta(days=1), "a stuck night must free the slot for the next")
        for task in self.dag.tasks:
            self.assertIs(True, task.depends_on_past, task.task_id)

    def test_failures_retry_with_exponential_back_off_and_an_sla(self):
        for task in self.dag.tasks:
            with self.subTest(task=task.task_id):
                self.assertGreaterEqual(task.retries, 2)
                self.assertIsInstance(task.retry_delay, timedelta)
                self.assertIs(True, task.retry_exponential_backoff)
                self.assertGreater(task.max_retry_delay, task.retry_delay)
                self.assertIsInstance(task.sla, timedelta)
                self.assertIsInstance(task.execution_timeout, timedelta)
                # Airflow's default turns exit code 99 into a skip, which would let the night "succeed" unbuilt.
                self.assertIn(getattr(task, "skip_on_exit_code", 99), (None, []))

    def test_the_docs_name_every_variable_the_commands_read(self):
        doc = self.dag.doc_md
        self.assertTrue(doc and doc.strip())
        names = set().union(*(template_variables(t.bash_command) for t in self.dag.tasks))
        self.assertTrue({"tobwh_jar", "tobwh_config", "tobwh_spark_submit"} <= names, names)
        for name in names:
            self.assertIn(f"`{name}`", doc)


class RenderTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.module, cls.dag = nightly_dag()
        log(f"rendering with {RENDERER}")

    def setUp(self):
        Variable.clear()

    def test_the_command_for_a_sample_night(self):
        set_variables(tobwh_spark_submit="/opt/spark 3.5/bin/spark-submit", tobwh_spark_master="local[2]",
                      tobwh_spark_submit_args="--deploy-mode client --conf spark.driver.host=127.0.0.1",
                      tobwh_jar="/opt/tobwh/tobwh-jobs.jar", tobwh_config="/etc/tobwh/pipeline.yaml")
        rendered = render(self.dag.task_dict["silver"], SAMPLE_DATE)
        self.assertEqual(["/opt/spark 3.5/bin/spark-submit", "--master", "local[2]", "--deploy-mode", "client",
                          "--conf", "spark.driver.host=127.0.0.1", "--class", "com.tobwh.cli.Main",
                          "/opt/tobwh/tobwh-jobs.jar", "run", "--date", "2026-01-02", "--layer", "silver",
                          "--config", "/etc/tobwh/pipeline.yaml"], shlex.split(rendered))

    def test_the_date_is_the_landing_day_in_the_reporting_time_zone_not_utc_ds(self):
        set_variables(tobwh_jar="j.jar", tobwh_config="c.yaml")
        # The run loading 2026-01-02 starts at 02:30 on 2026-01-02 in Shanghai, which is 2026-01-01 in UTC.
        self.assertEqual("2026-01-01", airflow_context(self.dag, SAMPLE_DATE)["ds"])
        for day in (date(2026, 1, 1), SAMPLE_DATE, date(2026, 12, 31)):
            argv = shlex.split(render(self.dag.task_dict["bronze"], day))
            self.assertEqual(day.isoformat(), argv[argv.index("--date") + 1])

    def test_optional_variables_have_defaults(self):
        set_variables(tobwh_jar="/opt/tobwh/tobwh-jobs.jar", tobwh_config="/etc/tobwh/pipeline.yaml")
        argv = shlex.split(render(self.dag.task_dict["gold"], SAMPLE_DATE))
        self.assertEqual(["spark-submit", "--master", "local[*]", "--class"], argv[:4])

    def test_a_missing_required_variable_fails_the_render(self):
        for missing in ("tobwh_jar", "tobwh_config"):
            with self.subTest(missing=missing):
                values = {"tobwh_jar": "j.jar", "tobwh_config": "c.yaml"}
                del values[missing]
                set_variables(**values)
                with self.assertRaises(KeyError) as e:
                    render(self.dag.task_dict["bronze"], SAMPLE_DATE)
                self.assertIn(missing, str(e.exception))

    def test_the_minimal_renderer_agrees_with_jinja2(self):
        if not jinja2:
            self.skipTest("Jinja2 is not installed")
        set_variables(tobwh_spark_submit="/a b/spark-submit", tobwh_spark_master="spark://h:7077",
                      tobwh_spark_submit_args="--conf a=b", tobwh_jar="/j's.jar", tobwh_config="/c.yaml")
        for task in self.dag.tasks:
            context = airflow_context(self.dag, SAMPLE_DATE)
            filters = self.dag.user_defined_filters
            self.assertEqual(render_jinja(task.bash_command, context, filters),
                             render_minimal(task.bash_command, context, filters))

    def test_a_refused_run_fails_the_task_so_airflow_retries(self):
        # Stands in for spark-submit exiting non-zero, e.g. the warehouse refusing to start while another run
        # holds its lock: the rendered command must hand the exit code to Airflow, whatever it is.
        with tempfile.TemporaryDirectory() as tmp:
            refuse = Path(tmp) / "spark-submit"
            refuse.write_text("#!/bin/sh\necho 'another run holds the warehouse lock' >&2\nexit \"$EXIT\"\n")
            refuse.chmod(0o755)
            set_variables(tobwh_spark_submit=str(refuse), tobwh_jar="j.jar", tobwh_config="c.yaml")
            command = render(self.dag.task_dict["bronze"], SAMPLE_DATE)
            for code in (1, 75, 99):
                done = subprocess.run(["bash", "-c", command], cwd=tmp, capture_output=True, text=True,
                                      env={**os.environ, "EXIT": str(code)})
                self.assertEqual(code, done.returncode, done.stderr)


@unittest.skipIf(os.environ.get("TOBWH_SKIP_E2E") == "1", "TOBWH_SKIP_E2E=1")
class EndToEndTest(unittest.TestCase):
    """Runs every task's rendered command, in dependency order, as Airflow's BashOperator would: `bash -c` in a
    fresh working directory, the Variables pointing at bin/spark-submit, the built jar and a temporary warehouse."""

    def test_the_rendered_commands_build_the_marts(self):
        _, dag = nightly_dag()
        plan = json.loads(live_plan_text())
        with tempfile.TemporaryDirectory(prefix="tobwh-airflow-") as tmp:
            tmp = Path(tmp)
            landing, warehouse = tmp / "landing", tmp / "warehouse"
            started = time.monotonic()
            self.run_ok([str(TOBWH), "generate", "--out", str(landing), "--scale", "0.05", "--days", "3",
                         "--start", "2026-01-01", "--seed", "7"], "generate")
            config = tmp / "pipeline.yaml"
            # Absolute roots: Airflow runs each task in a temporary working directory.
            config.write_text(f"landingRoot: {landing}\nwarehouseRoot: {warehouse}\n"
                              "shufflePartitions: 2\ndeltaSnapshotPartitions: 1\n", encoding="utf-8")
            set_variables(tobwh_spark_submit=str(SPARK_SUBMIT), tobwh_jar=str(JAR), tobwh_config=str(config),
                          tobwh_spark_master="local[2]",
                          # The driver stays on loopback whatever this host's name resolves to. Tables of a few
                          # rows: interpreting expressions costs less CPU than generating and compiling code for
                          # each query (measured on the gold layer: 180 s CPU instead of 238 s).
                          tobwh_spark_submit_args="--conf spark.driver.host=127.0.0.1 "
                                                  "--conf spark.driver.bindAddress=127.0.0.1 "
                                                  "--conf spark.sql.codegen.wholeStage=false "
                                                  "--conf spark.sql.codegen.factoryMode=NO_CODEGEN")
            outputs = {layer: [j["output"] for j in plan["jobs"] if j["layer"] == layer] for layer in dag.task_ids}
            for task_id in topological(dag):
                for later in dag.task_dict[task_id].downstream_task_ids:
                    self.assertFalse(any(self.table_exists(warehouse, t) for t in outputs[later]),
                                     f"{later} tables exist before {task_id} ran")
                command = render(dag.task_dict[task_id], SAMPLE_DATE)
                log(f"[{task_id}] {command}")
                with tempfile.TemporaryDirectory(dir=tmp) as cwd:
                    self.run_ok(["bash", "-c", command], task_id, cwd=cwd)
                missing = [t for t in outputs[task_id] if not self.table_exists(warehouse, t)]
                self.assertEqual([], missing, f"tables of {task_id} not written")

            marts = [j["output"] for j in plan["jobs"] if j["output"].startswith("gold.mart_")]
            self.assertEqual(4, len(marts), marts)
            for mart in marts:
                self.assertTrue((warehouse / "gold" / mart.split(".")[1] / "_delta_log").is_dir(), mart)
            out = self.run_ok([str(TOBWH), "sql", "select count(*) from gold.mart_cohort_retention",
                               "--warehouse", str(warehouse)], "sql")
            self.assertRegex(out, r"\|count\(1\)\s*\|\n\+-+\+\n\|\d+\s*\|", out)
            log(f"end to end: {time.monotonic() - started:.0f} s")

    @staticmethod
    def table_exists(warehouse: Path, table: str) -> bool:
        layer, name = table.split(".", 1)
        return (warehouse / layer / name / "_delta_log").is_dir()

    def run_ok(self, argv: list[str], name: str, cwd=None) -> str:
        # Tiny data on two shared cores: a small heap, the serial collector and C1 only (a JVM this short spends
        # more CPU compiling with C2 than C2 wins back). Measured on a bronze run: 79 s CPU instead of 130 s.
        jvm = "-Xmx1g -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
        env = {**os.environ, "SPARK_SUBMIT_JAVA_OPTS": jvm, "TOBWH_JAVA_OPTS": jvm}
        t0, cpu0 = time.monotonic(), resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
        cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        # CPU seconds as well as wall: on a shared machine the wall time says more about the neighbours.
        cpu = cpu1.ru_utime - cpu0.ru_utime + cpu1.ru_stime - cpu0.ru_stime
        log(f"[{name}] exit {done.returncode} in {time.monotonic() - t0:.0f} s wall, {cpu:.0f} s CPU")
        output = done.stdout + done.stderr
        self.assertEqual(0, done.returncode, f"{name} failed:\n{output[-6000:]}")
        return done.stdout


if __name__ == "__main__":
    unittest.main(verbosity=2)
