package com.tobwh.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child process (a JVM, a launcher script) with stdout and stderr in one log file, stopped with all of its
 * descendants on {@link #close()} or, failing that, when the test JVM exits.
 */
public final class ChildProcess implements AutoCloseable {
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final String name;
    private final Process process;
    private final Path log;
    private final Thread reaper;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        // A test JVM killed mid-test (timeout, Ctrl-C) must not leave a Spark master or worker running.
        this.reaper = new Thread(this::stop, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * Starts {@code command} in {@code workDir} with {@code env} added to this JVM's environment; a null value
     * removes that variable, so nothing from the developer's environment stands in for what the test gives.
     */
    public static ChildProcess start(String name, List<String> command, Map<String, String> env, Path workDir,
                                     Path log) {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            env.forEach((k, v) -> {
                if (v == null) {
                    pb.environment().remove(k);
                } else {
                    pb.environment().put(k, v);
                }
            });
            return new ChildProcess(name, pb.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    /** Waits for the process to exit; fails with the end of its log unless it exits with 0 within the timeout. */
    public void awaitSuccess(Duration timeout) {
        int code = awaitExit(timeout);
        if (code != 0) {
            throw new AssertionError(name + " exited with " + code + "; end of " + log + ":\n" + logTail(60));
        }
    }

    /** Waits for the process to exit and returns its exit code; stops it and fails when the timeout passes. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stop();
                throw new AssertionError(name + " still running after " + timeout + "; end of " + log + ":\n"
                        + logTail(60));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException("interrupted waiting for " + name, e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** The last {@code lines} lines of the log, for failure messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or about to: it does the same stop().
        }
    }

    /** Descendants first (a worker's executors, a script's JVM), gently, then by force after a grace period. */
    private void stop() {
        List<ProcessHandle> tree = process.descendants().toList();
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        awaitGone(process.toHandle());
        tree.forEach(ChildProcess::awaitGone);
    }

    private static void awaitGone(ProcessHandle h) {
        try {
            h.onExit().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception notYet) {
            h.destroyForcibly();
        }
    }
}
