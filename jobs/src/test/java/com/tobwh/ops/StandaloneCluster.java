package com.tobwh.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on 127.0.0.1 (one master, one worker) started as child JVMs from the Spark jars Maven
 * resolved, with a throw-away SPARK_HOME whose jars/ links to them: the worker builds each executor's classpath from
 * {@code $SPARK_HOME/jars}, exactly as on a cluster installed from a Spark distribution.
 */
public final class StandaloneCluster implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path workDir;
    private final int masterPort;
    private final int masterUiPort;
    private final List<ChildProcess> daemons = new ArrayList<>();

    private StandaloneCluster(Path workDir, int masterPort, int masterUiPort) {
        this.workDir = workDir;
        this.masterPort = masterPort;
        this.masterUiPort = masterUiPort;
    }

    /** Starts master and worker under {@code dir} and returns once the worker has registered with the master. */
    public static StandaloneCluster start(Path dir, int workerCores, String workerMemory, Duration timeout) {
        int[] ports = LoopbackPorts.free(3);
        StandaloneCluster c = new StandaloneCluster(dir.resolve("work"), ports[0], ports[1]);
        try {
            Path sparkHome = sparkHome(dir.resolve("spark-home"));
            Files.createDirectories(c.workDir);
            Map<String, String> env = Map.of(
                    "SPARK_HOME", sparkHome.toString(),
                    // Without it the launcher library looks for a Spark source build and executors never start.
                    "SPARK_SCALA_VERSION", "2.12",
                    "SPARK_CONF_DIR", sparkHome.resolve("conf").toString(),
                    "SPARK_LOCAL_IP", "127.0.0.1");
            c.daemons.add(ChildProcess.start("spark-master", daemon(sparkHome, "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", String.valueOf(c.masterPort),
                    "--webui-port", String.valueOf(c.masterUiPort)), env, dir, dir.resolve("master.log")));
            c.daemons.add(ChildProcess.start("spark-worker", daemon(sparkHome, "org.apache.spark.deploy.worker.Worker",
                    c.masterUrl(), "--host", "127.0.0.1", "--cores", String.valueOf(workerCores),
                    "--memory", workerMemory, "--webui-port", String.valueOf(ports[2]),
                    "--work-dir", c.workDir.toString()), env, dir, dir.resolve("worker.log")));
            c.awaitAliveWorker(timeout);
            return c;
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        } catch (IOException e) {
            c.close();
            throw new UncheckedIOException(e);
        }
    }

    /** {@code spark://127.0.0.1:PORT}, the value for spark-submit's --master. */
    public String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** The worker's work dir: one folder per application, one per executor inside, with its stdout and stderr. */
    public Path workDir() {
        return workDir;
    }

    /** The master's state as its web UI serves it: workers, active and completed applications. */
    public JsonNode masterState() {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUiPort + "/json/"))
                .timeout(Duration.ofSeconds(10)).build();
        try {
            HttpResponse<String> res = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 200) {
                throw new IllegalStateException("master UI answered " + res.statusCode() + ": " + res.body());
            }
            return JSON.readTree(res.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The stderr files the worker's executors wrote for application {@code appId}. */
    public List<Path> executorLogs(String appId) {
        Path app = workDir.resolve(appId);
        if (!Files.isDirectory(app)) {
            return List.of();
        }
        try (Stream<Path> executors = Files.list(app)) {
            return executors.map(e -> e.resolve("stderr")).filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The end of the master's and worker's logs, for failure messages. */
    public String daemonLogTails(int lines) {
        StringBuilder sb = new StringBuilder();
        for (ChildProcess d : daemons) {
            sb.append("--- ").append(d.log()).append('\n').append(d.logTail(lines)).append('\n');
        }
        return sb.toString();
    }

    @Override
    public void close() {
        // Worker first, so it does not spend the grace period trying to reach a master that has gone.
        for (int i = daemons.size() - 1; i >= 0; i--) {
            daemons.get(i).close();
        }
    }

    private void awaitAliveWorker(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String last = "no answer yet";
        while (Instant.now().isBefore(deadline)) {
            for (ChildProcess d : daemons) {
                if (!d.isAlive()) {
                    throw new IllegalStateException(d.log().getFileName() + " exited early:\n" + daemonLogTails(40));
                }
            }
            try {
                JsonNode state = masterState();
                if (state.path("aliveworkers").asInt() >= 1) {
                    return;
                }
                last = "aliveworkers=" + state.path("aliveworkers").asInt();
            } catch (RuntimeException notUpYet) {
                last = notUpYet.toString();
            }
            sleep(Duration.ofMillis(500));
        }
        throw new IllegalStateException("no worker registered within " + timeout + " (" + last + "):\n"
                + daemonLogTails(40));
    }

    private static List<String> daemon(Path sparkHome, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProjectBuild.java().toString());
        cmd.add("-Xmx256m");
        cmd.addAll(ProjectBuild.java17Opens());
        cmd.add("-cp");
        cmd.add(sparkHome.resolve("jars") + "/*");
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** A SPARK_HOME whose jars/ links every resolved Spark jar and whose conf/ is empty (no stray defaults). */
    private static Path sparkHome(Path home) throws IOException {
        Path jars = Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("conf"));
        for (Path jar : ProjectBuild.sparkClasspath()) {
            Path link = jars.resolve(jar.getFileName());
            if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, jar.toAbsolutePath());
            } else if (!Files.readSymbolicLink(link).equals(jar.toAbsolutePath())) {
                throw new IllegalStateException("two resolved jars share the name " + jar.getFileName());
            }
        }
        return home;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
