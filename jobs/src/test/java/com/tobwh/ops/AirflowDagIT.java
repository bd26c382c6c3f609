package com.tobwh.ops;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Airflow DAG's own tests (airflow/tests/test_dag.py, plain python3 without Airflow) as part of {@code mvn verify}:
 * its shape against the live job graph, its rendered commands, and those commands run through bin/spark-submit
 * against the jar this build packaged, up to the four published marts.
 */
class AirflowDagIT {
    @Test
    void dagTestsPass() throws IOException, InterruptedException {
        Path root = ProjectBuild.root();
        Path script = ProjectBuild.file("airflow/tests/test_dag.py");
        ProcessBuilder pb = new ProcessBuilder("python3", script.toString())
                .directory(root.toFile())
                .redirectErrorStream(true);
        // The developer's shortcut must not turn the end-to-end run off here.
        pb.environment().remove("TOBWH_SKIP_E2E");
        Process p = pb.start();
        p.getOutputStream().close();
        StringBuilder out = new StringBuilder();
        // Echo as it comes: the per-task timings belong in the build log, and a hang shows where it hangs.
        Thread pump = new Thread(() -> {
            try (var r = p.inputReader(StandardCharsets.UTF_8)) {
                r.lines().forEach(line -> {
                    System.out.println(line);
                    synchronized (out) {
                        out.append(line).append('\n');
                    }
                });
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        pump.start();
        boolean finished = p.waitFor(20, TimeUnit.MINUTES);
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        pump.join(TimeUnit.SECONDS.toMillis(30));
        String output;
        synchronized (out) {
            output = out.toString();
        }
        assertTrue(finished, "python3 airflow/tests/test_dag.py did not finish in 20 minutes:\n" + output);
        assertEquals(0, p.exitValue(), "python3 airflow/tests/test_dag.py failed:\n" + output);
        // Printed by the end-to-end test only after its last check passed: it ran, and was not skipped.
        assertTrue(Pattern.compile("(?m)^end to end: \\d+ s$").matcher(output).find(),
                "the end-to-end test did not run to its end:\n" + output);
    }
}
