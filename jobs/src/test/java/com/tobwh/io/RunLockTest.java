package com.tobwh.io;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One run at a time per warehouse: who gets the lock, what the others are told, and when a lock is taken over. */
class RunLockTest {
    @TempDir
    Path warehouse;

    private final Configuration conf = new Configuration();

    @Test
    void aSecondRunIsRefusedWithTheHoldersRunDatesAndPidUntilTheFirstReleases() throws Exception {
        Path lockFile = warehouse.resolve("_ops/run.lock");
        try (RunLock first = RunLock.acquire(conf, warehouse.toString(), "run-a", "2026-03-01..2026-03-01")) {
            assertTrue(Files.isRegularFile(lockFile));
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> RunLock.acquire(conf, warehouse.toString(), "run-b", "2026-02-28..2026-03-02"));
            String m = refused.getMessage();
            assertTrue(m.startsWith("another run holds the warehouse lock"), m);
            assertTrue(m.contains("run run-a for 2026-03-01..2026-03-01"), m);
            assertTrue(m.contains("pid " + ProcessHandle.current().pid()), m);
        }
        assertFalse(Files.exists(lockFile), "released on close");
        RunLock.acquire(conf, warehouse.toString(), "run-b", "2026-02-28..2026-03-02").close();
    }

    @Test
    void ofRunsStartedAtTheSameInstantExactlyOneGetsTheLock() throws Exception {
        int runs = 8;
        ExecutorService pool = Executors.newFixedThreadPool(runs);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<RunLock>> attempts = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            String id = "run-" + i;
            Callable<RunLock> attempt = () -> {
                go.await();
                try {
                    return RunLock.acquire(conf, warehouse.toString(), id, "2026-03-01..2026-03-01");
                } catch (IllegalStateException refused) {
                    return null;
                }
            };
            attempts.add(pool.submit(attempt));
        }
        go.countDown();
        List<RunLock> winners = new ArrayList<>();
        for (Future<RunLock> f : attempts) {
            if (f.get() != null) {
                winners.add(f.get());
            }
        }
        pool.shutdown();
        assertEquals(1, winners.size(), "exactly one of " + runs + " simultaneous runs proceeds");
        winners.get(0).close();
    }

    @Test
    void aLockLeftByAKilledProcessOnThisHostIsTakenOver() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        writeLock("run-killed", gone.pid(), InetAddress.getLocalHost().getHostName());
        try (RunLock taken = RunLock.acquire(conf, warehouse.toString(), "run-next", "2026-03-02..2026-03-02")) {
            assertTrue(Files.readString(warehouse.resolve("_ops/run.lock")).contains("run_id=run-next"));
        }
    }

    @Test
    void aLockOfAnotherHostIsNeverTakenOverWhateverItsPid() throws Exception {
        writeLock("run-elsewhere", 1L << 40, "another-host.example");
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> RunLock.acquire(conf, warehouse.toString(), "run-next", "2026-03-02..2026-03-02"));
        assertTrue(refused.getMessage().contains("run run-elsewhere") && refused.getMessage().contains("another-host"),
                refused.getMessage());
    }

    private void writeLock(String runId, long pid, String host) throws Exception {
        Files.createDirectories(warehouse.resolve("_ops"));
        Files.writeString(warehouse.resolve("_ops/run.lock"), "run_id=" + runId + "\ndates=2026-03-01..2026-03-01\n"
                + "host=" + host + "\npid=" + pid + "\nstarted_at=2026-03-02T02:30:00Z\n");
    }
}
