package com.tobwh.cli;

import com.tobwh.config.WarehouseConfig;
import com.tobwh.gold.ConcentrationSummary;
import com.tobwh.gold.GrowthSummary;
import com.tobwh.io.DeltaTables;
import com.tobwh.io.SparkSessions;
import com.tobwh.pipeline.JobGraph;
import com.tobwh.pipeline.Maintenance;
import com.tobwh.pipeline.Pipeline;
import com.tobwh.pipeline.RunContext;
import com.tobwh.pipeline.RunHistory;
import com.tobwh.pipeline.RunReport;
import com.tobwh.pipeline.Warehouse;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/** The warehouse CLI: generate sample data, run the pipeline, show its plan, query the catalog, maintain the tables. */
@Command(name = "tobwh", mixinStandardHelpOptions = true, version = "tobwh 0.1.0",
        description = "Nightly Spark + Delta warehouse for B2B companies.",
        subcommands = {Main.Run.class, Main.Plan.class, Main.Sql.class, Main.Status.class, Main.Maintain.class,
                GenerateCommand.class})
public final class Main implements Runnable {
    public static void main(String[] args) {
        int code = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(code);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** `run --date D` or `run --from D1 --to D2`: load those landing dates and rebuild what depends on them. */
    @Command(name = "run", description = "Run the nightly pipeline for one date or a backfill range (one pass).")
    static final class Run implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Dates dates;

        static final class Dates {
            @Option(names = "--date", description = "Nightly run for this landing date (YYYY-MM-DD)")
            LocalDate date;

            @ArgGroup(exclusive = false)
            Range range;
        }

        static final class Range {
            @Option(names = "--from", required = true, description = "First landing date of a backfill")
            LocalDate from;

            @Option(names = "--to", required = true, description = "Last landing date of a backfill")
            LocalDate to;
        }

        @Option(names = "--full-refresh", description = "Rebuild every table from bronze instead of only what "
                + "changed since the last run (after a change of channel rules or other settings)")
        boolean fullRefresh;

        @Option(names = "--layer", description = "Run only this layer's jobs (bronze, silver or gold), e.g. one "
                + "Airflow task per layer; the layers before it must have run for the same dates")
        String layer;

        @Override
        public Integer call() {
            WarehouseConfig cfg = common.config();
            JobGraph graph = layer == null ? Warehouse.graph() : Warehouse.graph().layer(layer);
            LocalDate from = dates.date != null ? dates.date : dates.range.from;
            LocalDate to = dates.date != null ? dates.date : dates.range.to;
            String runId = newRunId();
            RunContext ctx = new RunContext(runId, from, to, cfg, fullRefresh);
            SparkSession spark = SparkSessions.create(cfg, "tobwh-run-" + from + "-" + to);
            try {
                DeltaTables tables = new DeltaTables(spark, cfg);
                RunReport report = new Pipeline(spark, tables, graph).run(ctx);
                System.out.print(report.text());
                if (cfg.maintainAfterRun) {
                    maintainAfterRun(spark, tables, cfg, graph, runId);
                }
                if (!graph.layers().contains("gold")) {
                    return 0;
                }
                System.out.println("Published marts (Delta tables, registered in the catalog):");
                for (String mart : Warehouse.marts()) {
                    System.out.printf("  %-38s %s%n", mart, tables.path(mart));
                }
                System.out.println("Catalog (embedded Derby metastore): " + cfg.resolvedMetastoreDir());
                System.out.println("Revenue concentration as of " + ctx.asOf() + ":");
                System.out.print(ConcentrationSummary.text(tables.read("gold.mart_revenue_concentration"), ctx.asOf()));
                System.out.println("Multi-touch attribution (gold.mart_attribution_channel), all months to "
                        + ctx.asOf() + ":");
                System.out.print(GrowthSummary.attribution(tables.read("gold.mart_attribution_channel"),
                        cfg.defaultAttributionModel));
                System.out.println("Cohort retention (gold.mart_cohort_retention), cohorts that reached the month:");
                System.out.print(GrowthSummary.retention(tables.read("gold.mart_cohort_retention")));
                System.out.println("Query it: bin/tobwh sql \"select * from gold.mart_revenue_concentration "
                        + "where period_type = 'year'\"");
                System.out.println("          bin/tobwh sql \"select channel, sum(conversions), "
                        + "sum(attributed_revenue) from gold.mart_attribution_channel where model = 'markov' "
                        + "group by channel\"");
                return 0;
            } finally {
                spark.stop();
            }
        }
    }

    /** A run id that sorts by start time: UTC timestamp plus a random suffix. */
    static String newRunId() {
        return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now())
                + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    }

    /**
     * The nightly option: maintains the tables the run wrote. The data is already published, so failed maintenance is
     * reported (and a failed table shows in {@code status}) without failing the run, which a retry would redo whole.
     */
    private static void maintainAfterRun(SparkSession spark, DeltaTables tables, WarehouseConfig cfg, JobGraph graph,
                                         String runId) {
        try {
            List<Maintenance.Result> results = new Maintenance(spark, tables, cfg)
                    .run(Maintenance.targets(graph), true, true, runId + "-maintain");
            System.out.print(Maintenance.text(results, cfg));
            results.stream().filter(r -> r.status().equals("failed")).forEach(r -> System.err.println(
                    "WARNING: maintenance failed for " + r.table() + " (the run's data is published): " + r.error()));
        } catch (Exception e) {
            System.err.println("WARNING: maintenance refused (the run's data is published): " + e.getMessage());
        }
    }

    /** `maintain [--optimize] [--vacuum] [--table layer.name …]`: OPTIMIZE (Z-ORDER) and VACUUM the Delta tables. */
    @Command(name = "maintain", description = "OPTIMIZE (Z-ORDER BY each table's declared columns, or compaction) and "
            + "VACUUM (retention vacuumRetentionHours) the warehouse tables; both unless one is named.")
    static final class Maintain implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--optimize", description = "Compact small files; Z-order the tables that declare columns")
        boolean optimize;

        @Option(names = "--vacuum",
                description = "Delete files that left their table more than vacuumRetentionHours ago")
        boolean vacuum;

        @Option(names = "--table", arity = "1..*", paramLabel = "layer.name",
                description = "Only these tables (default: every table of the graph, plus rejects and ops tables)")
        List<String> only;

        @Override
        public Integer call() {
            WarehouseConfig cfg = common.config();
            boolean both = !optimize && !vacuum;
            List<Maintenance.Target> targets = Maintenance.targets(Warehouse.graph());
            if (only != null) {
                targets = Maintenance.select(targets, only);
            }
            SparkSession spark = SparkSessions.create(cfg, "tobwh-maintain");
            try {
                List<Maintenance.Result> results = new Maintenance(spark, new DeltaTables(spark, cfg), cfg)
                        .run(targets, both || optimize, both || vacuum, newRunId() + "-maintain");
                System.out.print(Maintenance.text(results, cfg));
                return results.stream().anyMatch(r -> r.status().equals("failed")) ? 1 : 0;
            } finally {
                spark.stop();
            }
        }
    }

    @Command(name = "plan", description = "Print the job graph in run order (text or json).")
    static final class Plan implements Callable<Integer> {
        @Option(names = "--format", defaultValue = "text", description = "text or json")
        String format;

        @Override
        public Integer call() {
            System.out.print(format.equals("json") ? Warehouse.graph().toJson() + "\n" : Warehouse.graph().toText());
            return 0;
        }
    }

    /** `status [--last N]`: the last runs from ops.run_log, newest first. */
    @Command(name = "status", description = "Print the last runs (ops.run_log): dates, wall time, failures.")
    static final class Status implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--last", defaultValue = "10", description = "How many runs to show")
        int last;

        @Override
        public Integer call() {
            WarehouseConfig cfg = common.config();
            SparkSession spark = SparkSessions.create(cfg, "tobwh-status");
            try {
                DeltaTables tables = new DeltaTables(spark, cfg);
                if (!tables.exists(Pipeline.RUN_LOG)) {
                    System.out.println("no runs yet: " + tables.path(Pipeline.RUN_LOG) + " does not exist");
                    return 0;
                }
                System.out.print(RunHistory.text(RunHistory.lastRuns(tables.read(Pipeline.RUN_LOG), last)
                        .collectAsList()));
                return 0;
            } finally {
                spark.stop();
            }
        }
    }

    @Command(name = "sql", description = "Run a SQL query against the warehouse catalog and print the result.")
    static final class Sql implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--limit", defaultValue = "100", description = "Rows to print")
        int limit;

        @Parameters(index = "0", description = "The query, e.g. \"select * from gold.mart_revenue_concentration\"")
        String query;

        @Override
        public Integer call() {
            WarehouseConfig cfg = common.config();
            SparkSession spark = SparkSessions.create(cfg, "tobwh-sql");
            try {
                spark.sql(query).show(limit, false);
                return 0;
            } finally {
                spark.stop();
            }
        }
    }
}
