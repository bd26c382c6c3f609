package com.tobwh.pipeline;

import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a run did, for the console: per-source reconciliation, rejected files, and each job's output. */
public final class RunReport {
    private final RunContext ctx;
    private final List<String> jobs = new ArrayList<>();
    private List<Row> files = List.of();
    private long silverRejected;

    RunReport(RunContext ctx) {
        this.ctx = ctx;
    }

    /** {@code version} is null when a rebuild by key found its rows unchanged and wrote nothing. */
    void job(String table, long rows, Long rejected, long ms, Long version, List<String> notes) {
        jobs.add(String.format("  %-38s %,12d rows%s  %s  %,.1fs", table, rows,
                rejected == null ? "" : String.format(" (+%,d rejected)", rejected),
                version == null ? "no new version" : "v" + version, ms / 1000.0));
        notes.forEach(n -> jobs.add("      " + n));
    }

    void skipped(String table, long ms, String why) {
        jobs.add(String.format("  %-38s %17s  %,.1fs  (%s)", table, "unchanged", ms / 1000.0, why));
    }

    void files(List<Row> perFile) {
        this.files = perFile;
    }

    /** Set when the landing zone lacked a source on some date and the policy said to go on. */
    private String partial;

    void partial(String message) {
        this.partial = message;
    }

    /** Null unless the run went on without a source's files for some date (policy partial). */
    public String partial() {
        return partial;
    }

    void silverRejected(long n) {
        this.silverRejected = n;
    }

    public List<Row> fileRows() {
        return files;
    }

    public long rowsIn() {
        return files.stream().mapToLong(r -> r.<Long>getAs("rows_in")).sum();
    }

    public long rowsLoaded() {
        return files.stream().mapToLong(r -> r.<Long>getAs("rows_loaded")).sum();
    }

    public long rowsRejected() {
        return files.stream().mapToLong(r -> r.<Long>getAs("rows_rejected")).sum();
    }

    public List<Row> rejectedFiles() {
        return files.stream().filter(r -> !"ok".equals(r.getAs("file_status"))).toList();
    }

    public String text() {
        StringBuilder b = new StringBuilder();
        b.append("Run ").append(ctx.runId()).append(" for ").append(ctx.from()).append("..").append(ctx.to()).append('\n');
        if (partial != null) {
            b.append("PARTIAL RUN, ").append(partial).append('\n');
        }
        b.append("Reconciliation per source (rows in = loaded + rejected, checked per file):\n");
        b.append(String.format("  %-30s %6s %12s %12s %10s%n", "source/object", "files", "rows in", "loaded", "rejected"));
        Map<String, long[]> per = new LinkedHashMap<>();
        for (Row r : files) {
            String key = r.<String>getAs("source") + "/" + r.<String>getAs("object");
            long[] a = per.computeIfAbsent(key, k -> new long[4]);
            a[0]++;
            a[1] += r.<Long>getAs("rows_in");
            a[2] += r.<Long>getAs("rows_loaded");
            a[3] += r.<Long>getAs("rows_rejected");
        }
        per.forEach((k, a) -> b.append(String.format("  %-30s %6d %,12d %,12d %,10d%n", k, a[0], a[1], a[2], a[3])));
        b.append(String.format("  %-30s %6d %,12d %,12d %,10d%n", "total", files.size(), rowsIn(), rowsLoaded(),
                rowsRejected()));
        for (Row r : rejectedFiles()) {
            b.append("  FILE REJECTED ").append(r.<String>getAs("file")).append(": ")
                    .append(r.<String>getAs("file_status")).append('\n');
        }
        if (silverRejected > 0) {
            b.append(String.format("  %,d staged rows refused downstream (see silver.rejects)%n", silverRejected));
        }
        b.append("Tables written:\n");
        jobs.forEach(j -> b.append(j).append('\n'));
        return b.toString();
    }
}
