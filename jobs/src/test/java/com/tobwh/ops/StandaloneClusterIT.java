package com.tobwh.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.tobwh.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shaded jar, spark-submitted to a real standalone cluster, publishes the same marts as a local run. */
class StandaloneClusterIT {
    private static final String FROM = "2026-01-01";
    /**
     * Sales cycles run 30 to 180 days: at seed 22 and scale 0.2, 45 days is the shortest landing zone found with a
     * paying customer, without which the revenue and retention marts are empty. Files, not rows, cost time here.
     */
    private static final int DAYS = 45;
    private static final String TO = LocalDate.parse(FROM).plusDays(DAYS - 1).toString();
    /** Generous: a shared 2-core machine can be several times slower than an idle one. */
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(30);

    private static Path dir;
    private static Path landing;
    private static Path config;

    @BeforeAll
    static void landingZoneAndConfig() throws IOException {
        // Under target/, not a JUnit temp dir: the logs of a failed run stay for whoever has to read them.
        dir = ProjectBuild.root().resolve("jobs/target/it/standalone-cluster");
        deleteTree(dir);
        Files.createDirectories(dir);
        landing = dir.resolve("landing");
        run("generate", List.of(ProjectBuild.bin("tobwh").toString(), "generate", "--out", landing.toString(),
                "--scale", "0.2", "--days", String.valueOf(DAYS), "--start", FROM, "--seed", "22"),
                Map.of(), Duration.ofMinutes(5));
        // One config file for both runs, so only where they run differs; two shuffle partitions suit tiny data.
        config = Files.writeString(dir.resolve("pipeline.yaml"), "shufflePartitions: 2\n");
    }

    @Test
    void clusterRunPublishesTheSameMartsAsALocalRun() {
        Path clusterWarehouse = dir.resolve("warehouse-cluster");
        Path localWarehouse = dir.resolve("warehouse-local");
        List<String> local = new ArrayList<>(List.of(ProjectBuild.bin("tobwh").toString()));
        local.addAll(pipelineArgs(localWarehouse));
        local.addAll(List.of("--master", "local[2]"));
        // The local run goes alongside the cluster run: where there are cores to spare the test then costs
        // the slower of the two runs instead of their sum.
        try (ChildProcess localRun = ChildProcess.start("local-run", local, Map.of("TOBWH_JAVA_OPTS", "-Xmx2g"),
                dir, dir.resolve("local-run.log"))) {
            runOnCluster(clusterWarehouse);
            localRun.awaitSuccess(RUN_TIMEOUT);
        }
        TableComparison.assertMartsEqual(SparkTestSession.get(), clusterWarehouse.toString(),
                localWarehouse.toString());
    }

    private static void runOnCluster(Path warehouse) {
        try (StandaloneCluster cluster = StandaloneCluster.start(dir.resolve("cluster"), 2, "2g",
                Duration.ofMinutes(3))) {
            List<String> submit = new ArrayList<>(List.of(ProjectBuild.bin("spark-submit").toString(),
                    "--master", cluster.masterUrl(), "--deploy-mode", "client",
                    "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                    "--conf", "spark.executor.extraJavaOptions=" + String.join(" ", ProjectBuild.java17Opens()),
                    "--conf", "spark.executor.memory=1g",
                    "--class", "com.tobwh.cli.Main", ProjectBuild.shadedJar().toString()));
            submit.addAll(pipelineArgs(warehouse));
            run("spark-submit", submit, Map.of("SPARK_LOCAL_IP", "127.0.0.1"), RUN_TIMEOUT);

            String appId = completedApp(cluster, "tobwh-run-" + FROM + "-" + TO);
            List<Path> executorLogs = cluster.executorLogs(appId);
            assertFalse(executorLogs.isEmpty(), "no executor of " + appId + " under " + cluster.workDir());
            assertTrue(executorLogs.stream().anyMatch(StandaloneClusterIT::ranTasks),
                    "the executors of " + appId + " ran no task: " + executorLogs);
        }
    }

    private static List<String> pipelineArgs(Path warehouse) {
        return List.of("run", "--config", config.toString(), "--from", FROM, "--to", TO,
                "--landing", landing.toString(), "--warehouse", warehouse.toString());
    }

    /** The id of the finished application named {@code name}: the master only lists apps that ran on it. */
    private static String completedApp(StandaloneCluster cluster, String name) {
        JsonNode state = cluster.masterState();
        List<JsonNode> apps = StreamSupport.stream(state.path("completedapps").spliterator(), false)
                .filter(a -> name.equals(a.path("name").asText())).toList();
        assertEquals(1, apps.size(), "completed applications named " + name + " on the master: " + state);
        assertEquals("FINISHED", apps.get(0).path("state").asText(), "state of " + name + ": " + apps.get(0));
        return apps.get(0).path("id").asText();
    }

    /** Executors log each finished task at INFO: proof that work ran in the executor JVM, not in the driver. */
    private static boolean ranTasks(Path stderr) {
        try (var lines = Files.lines(stderr)) {
            return lines.anyMatch(l -> l.contains("Executor: Finished task"));
        } catch (IOException e) {
            return false;
        }
    }

    private static void run(String name, List<String> command, Map<String, String> env, Duration timeout) {
        try (ChildProcess p = ChildProcess.start(name, command, env, dir, dir.resolve(name + ".log"))) {
            p.awaitSuccess(timeout);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
