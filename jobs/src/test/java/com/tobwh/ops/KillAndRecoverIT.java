package com.tobwh.ops;

import com.tobwh.SparkTestSession;
import com.tobwh.config.WarehouseConfig;
import com.tobwh.generate.GeneratorOptions;
import com.tobwh.generate.SampleDataGenerator;
import com.tobwh.io.DeltaTables;
import com.tobwh.io.RunLock;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.Pipeline;
import com.tobwh.pipeline.RunContext;
import com.tobwh.pipeline.Warehouse;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A nightly run killed (SIGKILL) in bronze, in silver and in gold, then run again, leaves the same tables as an
 * undisturbed rebuild; while one run holds the warehouse, a second one fails fast; readers see the last committed
 * versions meanwhile. The landing zone is NightlyEquivalenceIT's (45 days, seed 22, scale 0.2: a paying customer),
 * so the marts compared are not empty.
 */
class KillAndRecoverIT {
    private static final LocalDate START = LocalDate.parse("2026-01-01");
    private static final LocalDate END = START.plusDays(44);
    /** The killed run loads the last three days, as a night after a missed one or two would. */
    private static final LocalDate FROM = END.minusDays(2);
    private final List<Process> launched = new ArrayList<>();

    @AfterEach
    void stopLeftovers() {
        // A failed assertion must not leave a child run holding the lock (or the CPU) for the next test.
        launched.forEach(Process::destroyForcibly);
    }

    @Test
    void aRunKilledInEachLayerThenRerunEqualsAnUndisturbedRebuild() throws Exception {
        SparkSession spark = SparkTestSession.get();
        Path root = SparkTestSession.scratch("kill");
        SampleDataGenerator.generate(new GeneratorOptions(root.resolve("landing"), 22L, 0.2, 45, START, 0.01));
        WarehouseConfig cfg = config(root, "victim");
        DeltaTables victim = new DeltaTables(spark, cfg);
        new Pipeline(spark, victim, Warehouse.graph()).run(new RunContext("earlier-nights", START, FROM.minusDays(1),
                cfg));

        Process first = launch(root, "victim", "attempt-1");
        awaitFile(RunLock.pathOf(cfg.warehouseRoot).toString(), first);
        long t0 = System.currentTimeMillis();
        IllegalStateException refused = assertThrows(IllegalStateException.class, () ->
                new Pipeline(spark, victim, Warehouse.graph()).run(new RunContext("overlapping", FROM, END, cfg)));
        assertTrue(System.currentTimeMillis() - t0 < 15_000, "the second run fails fast, not after loading data");
        assertTrue(refused.getMessage().contains("another run holds the warehouse lock")
                && refused.getMessage().contains("pid " + first.pid()), refused.getMessage());

        // Each kill lands mid-run, as the layer's first table commits: never between runs.
        killWhenWritten(first, nextCommit(victim, "bronze.web_traffic"));
        readEveryTable(victim);
        Process second = launch(root, "victim", "attempt-2");
        killWhenWritten(second, nextCommit(victim, "silver.stg_web_traffic__events"));
        readEveryTable(victim);
        Process third = launch(root, "victim", "attempt-3");
        killWhenWritten(third, nextCommit(victim, "gold.fct_attribution"));
        readEveryTable(victim);
        Process fourth = launch(root, "victim", "attempt-4");
        assertTrue(fourth.waitFor(20, TimeUnit.MINUTES), "the rerun finishes");
        assertEquals(0, fourth.exitValue(), "the rerun succeeds: " + Files.readString(root.resolve("attempt-4.log")));

        WarehouseConfig refCfg = config(root, "reference");
        DeltaTables reference = new DeltaTables(spark, refCfg);
        new Pipeline(spark, reference, Warehouse.graph()).run(new RunContext("reference", START, END, refCfg, true));
        // No duplicates, no lost rows after the kills.
        TableComparison.assertAllTablesEqual(spark, cfg.warehouseRoot, refCfg.warehouseRoot);
        for (String mart : Warehouse.marts()) {
            assertTrue(reference.read(mart).count() > 0, mart + " is empty: its equality would prove nothing");
        }
    }

    private static WarehouseConfig config(Path root, String name) {
        WarehouseConfig cfg = SparkTestSession.testConfig(root.resolve(name));
        cfg.landingRoot = root.resolve("landing").toString();
        return cfg;
    }

    /** The CLI in its own JVM, for FROM..END on the same warehouse, as the scheduler would start it. */
    private Process launch(Path root, String warehouse, String name) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(ProjectBuild.bin("tobwh").toString(), "run",
                "--from", FROM.toString(), "--to", END.toString(),
                "--landing", root.resolve("landing").toString(), "--warehouse", root.resolve(warehouse).toString(),
                "--master", "local[2]")
                .redirectErrorStream(true).redirectOutput(root.resolve(name + ".log").toFile());
        pb.environment().put("TOBWH_JAVA_OPTS", "-Xmx2g");
        Process p = pb.start();
        launched.add(p);
        return p;
    }

    /** The Delta log file the table's next commit will write: its appearance means the run got that far. */
    private static Path nextCommit(DeltaTables tables, String table) {
        return Path.of(tables.path(table)).resolve("_delta_log")
                .resolve(String.format("%020d.json", tables.latestVersion(table) + 1));
    }

    private static void awaitFile(String path, Process p) throws InterruptedException {
        while (!new File(path).exists()) {
            assertTrue(p.isAlive(), "the run ended before " + path + " appeared");
            Thread.sleep(100);
        }
    }

    private static void killWhenWritten(Process p, Path marker) throws InterruptedException {
        awaitFile(marker.toString(), p);
        assertTrue(p.isAlive(), "killed mid-run");
        p.destroyForcibly().waitFor();
    }

    /** Delta readers never see a half-written table: every table that exists reads whole. */
    private static void readEveryTable(DeltaTables tables) {
        for (Job job : Warehouse.graph().ordered()) {
            if (tables.exists(job.output())) {
                tables.read(job.output()).count();
            }
        }
    }
}
