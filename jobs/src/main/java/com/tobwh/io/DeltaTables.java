package com.tobwh.io;

import com.tobwh.config.WarehouseConfig;
import io.delta.tables.DeltaOptimizeBuilder;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;

/** The one place that reads, writes and registers warehouse tables: Delta by path, catalogued as {@code layer.table}. */
public final class DeltaTables {
    private final SparkSession spark;
    private final WarehouseConfig cfg;
    /** Tables this instance already registered: the catalog round trips cost more than a small table's write. */
    private final java.util.Set<String> registered = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public DeltaTables(SparkSession spark, WarehouseConfig cfg) {
        this.spark = spark;
        this.cfg = cfg;
    }

    public String path(String table) {
        String[] p = split(table);
        return cfg.tablePath(p[0], p[1]);
    }

    public boolean exists(String table) {
        return DeltaTable.isDeltaTable(spark, path(table));
    }

    public Dataset<Row> read(String table) {
        if (!exists(table)) {
            throw new IllegalStateException("table " + table + " does not exist at " + path(table)
                    + ": run the job that builds it first");
        }
        return spark.read().format("delta").load(path(table));
    }

    /** Replaces the whole table in one transaction; readers see the old version until it commits. */
    public long overwrite(String table, Dataset<Row> rows, List<String> partitionBy) {
        clustered(rows, partitionBy).write().format("delta").mode("overwrite")
                .option("overwriteSchema", "true")
                .partitionBy(partitionBy.toArray(new String[0]))
                .save(path(table));
        return register(table);
    }

    /**
     * Replaces only the rows whose {@code dateColumn} falls in [from, to] (plus {@code extraPredicate} when given),
     * so a re-run of the same dates gives the same table and other dates are untouched.
     */
    public long replaceRange(String table, Dataset<Row> rows, String dateColumn, LocalDate from, LocalDate to,
                             List<String> partitionBy) {
        return overwriteWhere(table, rows, dateColumn + " >= '" + from + "' AND " + dateColumn + " <= '" + to + "'",
                partitionBy);
    }

    /** Replaces the rows matching {@code predicate}, one writer per partition value. */
    private long overwriteWhere(String table, Dataset<Row> rows, String predicate, List<String> partitionBy) {
        clustered(rows, partitionBy).write().format("delta").mode("overwrite")
                .option("replaceWhere", predicate)
                .partitionBy(partitionBy.toArray(new String[0]))
                .save(path(table));
        return register(table);
    }

    /** The table as of {@code version}: a job reads the versions it records, whatever commits meanwhile. */
    public Dataset<Row> readAt(String table, long version) {
        return spark.read().format("delta").option("versionAsOf", version).load(path(table));
    }

    /** The latest committed version (from the log, no Spark job), or -1 when the table does not exist. */
    public long latestVersion(String table) {
        if (!exists(table)) {
            return -1;
        }
        return snapshot(table).version();
    }

    /**
     * The rows that differ between versions {@code after} and {@code upTo} (Delta's change data feed, netted: a row
     * deleted and re-inserted unchanged, as a full rewrite does, is no change). Both before- and after-images are
     * returned, so a row that moved from key a to key b reaches both. Empty when the feed is off for the range
     * (tables written before it was enabled): callers must then treat everything as changed.
     */
    public java.util.Optional<Dataset<Row>> changes(String table, long after, long upTo) {
        return changes(table, after, upTo, null);
    }

    /**
     * As {@link #changes(String, long, long)}, netted over {@code columns} alone (all when null): a row whose other
     * columns changed is no change, and only these columns are returned.
     */
    public java.util.Optional<Dataset<Row>> changes(String table, long after, long upTo,
                                                    java.util.List<String> columns) {
        if (!changeFeedEnabled(table)) {
            return java.util.Optional.empty();
        }
        Dataset<Row> feed;
        try {
            feed = spark.read().format("delta").option("readChangeFeed", "true")
                    .option("startingVersion", after + 1).option("endingVersion", upTo).load(path(table));
            feed.schema();
        } catch (Exception e) {
            return java.util.Optional.empty();
        }
        org.apache.spark.sql.Column sign = org.apache.spark.sql.functions
                .when(org.apache.spark.sql.functions.col("_change_type").isin("insert", "update_postimage"), 1)
                .otherwise(-1);
        String[] data = columns != null ? columns.toArray(String[]::new)
                : java.util.Arrays.stream(feed.columns()).filter(c -> !c.startsWith("_change_type")
                && !c.equals("_commit_version") && !c.equals("_commit_timestamp")).toArray(String[]::new);
        org.apache.spark.sql.Column[] cols = java.util.Arrays.stream(data).map(org.apache.spark.sql.functions::col)
                .toArray(org.apache.spark.sql.Column[]::new);
        return java.util.Optional.of(feed.groupBy(cols).agg(org.apache.spark.sql.functions.sum(sign).as("_net"))
                .filter("_net <> 0").drop("_net"));
    }

    /** Whether the change data feed was on when the table was last written (it is on for every table we create). */
    private boolean changeFeedEnabled(String table) {
        return isOn(table, "delta.enableChangeDataFeed");
    }

    /** The table's latest committed state, read from its log now (not a cached snapshot). */
    private org.apache.spark.sql.delta.Snapshot snapshot(String table) {
        return org.apache.spark.sql.delta.DeltaLog.forTable(spark, path(table)).update(false, scala.Option.empty(),
                scala.Option.empty());
    }

    /**
     * Replaces the rows whose key ({@link #keyExpression} of {@code keyColumns}) is one of {@code keys} by {@code rows} (which must all carry one of
     * those keys), in one transaction: readers see the old rows or the new ones, never neither.
     *
     * <p>A replaceWhere overwrite rewrites every file holding any of the keys, and keys spread over the whole
     * history (devices, accounts) are in every file: the whole table is rewritten. From
     * {@code keyedMergeMinTableMb} on, the rows are merged instead, matched on the whole row: only rows that differ
     * are deleted or inserted, deleted rows are marked in deletion vectors rather than by rewriting their files,
     * and a key whose rows came out unchanged costs no write.
     *
     * <p>Below that size a partitioned table is rewritten only in the partitions where the keys' rows changed: a
     * returning device's sessions of earlier months come out the same, and rewriting them is the whole table
     * again. Finding those partitions reads the keys' rows once more, which the replace would have read anyway.
     *
     * @return the version written, or {@link #NOTHING_WRITTEN} when the keys' rows came out the same
     */
    public long replaceKeys(String table, Dataset<Row> rows, List<String> keyColumns,
                            java.util.Collection<String> keys, List<String> partitionBy) {
        return replaceKeys(table, rows, keyColumns, keys, partitionBy, null);
    }

    /**
     * As {@link #replaceKeys(String, Dataset, List, java.util.Collection, List)}, replacing only the keys' rows
     * {@code since} (null: all of them) takes; {@code rows} must all be such rows. The files holding only the keys'
     * earlier rows are then skipped by their statistics: neither read to compare nor rewritten.
     */
    public long replaceKeys(String table, Dataset<Row> rows, List<String> keyColumns,
                            java.util.Collection<String> keys, List<String> partitionBy, Since since) {
        String values = " IN " + keyList(rows, keyColumns, keys);
        // A key led by the partition column names its partitions: the other partitions are neither read nor
        // rewritten. (A single-column key that is the partition column is pruned by its own IN list.)
        boolean ledByPartition = keyColumns.size() > 1 && partitionBy.size() == 1
                && keyColumns.get(0).equals(partitionBy.get(0));
        String partitions = ledByPartition ? partitionLiterals(rows, partitionBy.get(0), partitionsOf(keys)) : null;
        // What narrows the keys' rows: their partitions, and the time a resumed rebuild writes from.
        java.util.function.UnaryOperator<String> narrowing = qualifier -> (partitions == null ? ""
                : " AND " + qualifier + "`" + partitionBy.get(0) + "` IN " + partitions)
                + (since == null ? "" : " AND " + since.sql(qualifier));
        if (snapshot(table).sizeInBytes() < cfg.keyedMergeMinTableMb * 1024 * 1024) {
            String ofKeys = keyExpression(keyColumns, "") + values + narrowing.apply("");
            // Rows are compared by grouping on every column, which Spark cannot do on a map.
            if (partitionBy.size() != 1 || !java.util.Arrays.asList(read(table).columns())
                    .containsAll(java.util.Arrays.asList(rows.columns())) || java.util.Arrays.stream(
                    rows.schema().fields()).anyMatch(f -> f.dataType() instanceof org.apache.spark.sql.types.MapType)) {
                return overwriteWhere(table, rows, ofKeys, partitionBy);
            }
            String partition = partitionBy.get(0);
            List<Object> changed = changedPartitions(table, rows, ofKeys, partition);
            if (changed.isEmpty()) {
                return NOTHING_WRITTEN;
            }
            List<Object> named = changed.stream().filter(java.util.Objects::nonNull).toList();
            org.apache.spark.sql.Column inChanged = col(partition).isin(named.toArray());
            String inChangedSql = "`" + partition + "` IN " + literals(named);
            if (named.size() < changed.size()) {
                inChanged = inChanged.or(col(partition).isNull());
                inChangedSql = "(" + inChangedSql + " OR `" + partition + "` IS NULL)";
            }
            return overwriteWhere(table, rows.filter(inChanged), ofKeys + " AND " + inChangedSql, partitionBy);
        }
        String inKeys = keyExpression(keyColumns, "t.") + values + narrowing.apply("t.");
        String sameRow = sameRow(rows);
        enableDeletionVectors(table);
        DeltaTable.forPath(spark, path(table)).as("t")
                .merge(rows.as("s"), inKeys + " AND " + sameRow)
                .whenNotMatched().insertAll()
                .whenNotMatchedBySource(inKeys).delete()
                .execute();
        return register(table);
    }

    /**
     * Makes the table hold {@code rows}, writing only the rows that differ (matched on the whole row): the others'
     * files stay, and the change feed holds only what changed. For a table rebuilt whole every run of which a run
     * changes a few rows.
     *
     * @return the version written, or {@link #NOTHING_WRITTEN} when the rows are the table's
     */
    public long replaceChangedRows(String table, Dataset<Row> rows) {
        // A merge that changes nothing still commits a version, which readers would take for a change.
        if (sameRows(rows, read(table))) {
            return NOTHING_WRITTEN;
        }
        DeltaTable.forPath(spark, path(table)).as("t")
                .merge(rows.as("s"), sameRow(rows))
                .whenNotMatched().insertAll()
                .whenNotMatchedBySource().delete()
                .execute();
        return register(table);
    }

    /** The same columns (by name and type, in order) and the same rows, duplicates counted. */
    public static boolean sameRows(Dataset<Row> built, Dataset<Row> table) {
        java.util.function.Function<Dataset<Row>, List<String>> typed = d -> java.util.Arrays.stream(
                d.schema().fields()).map(f -> f.name() + " " + f.dataType()).toList();
        // One pass over each side, where two exceptAll would read the table twice.
        return typed.apply(built).equals(typed.apply(table)) && unequalRows(built, table).isEmpty();
    }

    /**
     * The rows of which {@code a} and {@code b} hold a different number of copies (nulls group together), in
     * {@code a}'s columns: one pass over each, each row counted +1 per copy in a and -1 per copy in b.
     */
    private static Dataset<Row> unequalRows(Dataset<Row> a, Dataset<Row> b) {
        Column[] columns = Arrays.stream(a.columns()).map(c -> col("`" + c + "`")).toArray(Column[]::new);
        String copies = "_copies";
        return a.select(columns).withColumn(copies, lit(1))
                .union(b.select(columns).withColumn(copies, lit(-1)))
                .groupBy(columns).agg(sum(copies).as(copies))
                .filter(col(copies).notEqual(0));
    }

    /** A merge condition: target row t equals source row s in every column, null-safe (nulls match nulls). */
    private static String sameRow(Dataset<Row> rows) {
        return java.util.Arrays.stream(rows.columns()).map(c -> "t.`" + c + "` <=> s.`" + c + "`")
                .collect(java.util.stream.Collectors.joining(" AND "));
    }

    /**
     * The rows whose {@code column} is at or after {@code at}: a resumed rebuild's rows, as a predicate Delta's file
     * statistics skip by.
     */
    public record Since(String column, java.time.Instant at) {
        public org.apache.spark.sql.Column filter() {
            return col(column).geq(org.apache.spark.sql.functions.lit(java.sql.Timestamp.from(at)));
        }

        /** The predicate in SQL, its column qualified by {@code qualifier} ("t." in a merge, or ""). */
        String sql(String qualifier) {
            // An instant in UTC with its zone: the literal means the same whatever the session's time zone.
            return qualifier + "`" + column + "` >= TIMESTAMP '" + at + "'";
        }
    }

    /** What {@link #replaceKeys} returns when it wrote nothing. */
    public static final long NOTHING_WRITTEN = -1;

    /** The partition values in which {@code rows} and the table's rows matching {@code where} differ. */
    private List<Object> changedPartitions(String table, Dataset<Row> rows, String where, String partition) {
        return unequalRows(rows, read(table).where(where)).select(partition).distinct()
                .collectAsList().stream().map(r -> r.get(0)).toList();
    }

    /**
     * The partition values that keys led by a partition column name (the part before the first {@code |}, as
     * {@link #keyExpression} joins them), distinct and sorted.
     */
    public static java.util.SortedSet<String> partitionsOf(java.util.Collection<String> keys) {
        return keys.stream().map(k -> k.substring(0, k.indexOf('|')))
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    /** Partition values as a SQL list of the column's type in {@code rows} (DATE literals for a date). */
    private static String partitionLiterals(Dataset<Row> rows, String column, java.util.Collection<String> values) {
        boolean date = rows.schema().apply(column).dataType() instanceof org.apache.spark.sql.types.DateType;
        return literals(values.stream().<Object>map(v -> date ? java.sql.Date.valueOf(v) : v).toList());
    }

    /** Values as a SQL list: dates as DATE literals (see {@link #keyList}), numbers as they are, the rest quoted. */
    private static String literals(List<Object> values) {
        return values.stream().map(v -> v instanceof java.sql.Date || v instanceof LocalDate ? "DATE'" + v + "'"
                        : v instanceof java.sql.Timestamp ? "TIMESTAMP'" + v + "'"
                        : v instanceof java.math.BigDecimal b ? b.toPlainString()
                        : v instanceof Number ? v.toString() : "'" + v.toString().replace("'", "''") + "'")
                .collect(java.util.stream.Collectors.joining(",", "(", ")"));
    }

    /**
     * The keys as a SQL list of the key's type. A date key's are DATE literals: against strings Spark would compare
     * the dates as strings, which Delta's file statistics cannot skip files by.
     */
    private static String keyList(Dataset<Row> rows, List<String> keyColumns, java.util.Collection<String> keys) {
        if (keyColumns.size() == 1 && rows.schema().apply(keyColumns.get(0)).dataType()
                instanceof org.apache.spark.sql.types.DateType) {
            return keys.stream().map(k -> "DATE'" + java.time.LocalDate.parse(k) + "'")
                    .collect(java.util.stream.Collectors.joining(",", "(", ")"));
        }
        return sqlList(keys);
    }

    /** {@code ('a','b')}: string values as a SQL list, quotes doubled. */
    public static String sqlList(java.util.Collection<String> values) {
        return values.stream().map(v -> "'" + v.replace("'", "''") + "'")
                .collect(java.util.stream.Collectors.joining(",", "(", ")"));
    }

    /**
     * A key of one or more columns as one SQL value: the column itself, or its columns cast to strings and joined
     * by {@code |} (the key columns are never null). {@code qualifier} prefixes each column, e.g. {@code t.}.
     */
    public static String keyExpression(List<String> keyColumns, String qualifier) {
        if (keyColumns.size() == 1) {
            return qualifier + "`" + keyColumns.get(0) + "`";
        }
        return keyColumns.stream().map(c -> "CAST(" + qualifier + "`" + c + "` AS STRING)")
                .collect(java.util.stream.Collectors.joining(", ", "concat_ws('|', ", ")"));
    }

    /**
     * Deletion vectors are switched on only for the tables replaced by key (it raises the table's protocol to
     * reader 3 / writer 7, which every Delta 2.3+ reader and Spark's Thrift server read).
     */
    private void enableDeletionVectors(String table) {
        switchOn(table, "delta.enableDeletionVectors");
    }

    /** Whether the boolean table property is on in the table's latest version. */
    private boolean isOn(String table, String property) {
        return "true".equals(snapshot(table).metadata().configuration().getOrElse(property, () -> "false"));
    }

    /** Sets the boolean table property to true unless it already is (a commit only when it changes). */
    private void switchOn(String table, String property) {
        if (!isOn(table, property)) {
            // delta.`…` takes absolute paths only: a relative one would be read as a table name.
            spark.sql("ALTER TABLE delta.`" + qualified(path(table)) + "` SET TBLPROPERTIES (" + property
                    + " = true)");
        }
    }

    /** Adds a nullable column to the table's schema (a metadata-only commit: existing rows read it as null). */
    public long addColumn(String table, String column, String sqlType) {
        spark.sql("ALTER TABLE delta.`" + path(table) + "` ADD COLUMNS (`" + column + "` " + sqlType + ")");
        return register(table);
    }

    /** Replaces the rows matching {@code predicate} (a SQL condition) by {@code rows}, in one transaction. */
    public long replaceWhere(String table, Dataset<Row> rows, String predicate) {
        rows.write().format("delta").mode("overwrite").option("replaceWhere", predicate).save(path(table));
        return register(table);
    }

    /** Adds rows (audit tables only: everything else is replaced, so re-runs stay idempotent). */
    public long append(String table, Dataset<Row> rows) {
        // Audit tables gain columns over releases; an older warehouse's table takes them on the next append.
        rows.write().format("delta").mode("append").option("mergeSchema", "true").save(path(table));
        return register(table);
    }

    /** How many data files the current version has, its partition columns, its columns in order. */
    public record Detail(long numFiles, List<String> partitionColumns, List<String> columns) {
    }

    /**
     * The table's current layout, from the snapshot its log gives (no query): DESCRIBE DETAIL plans and runs a
     * Spark job for the same three facts, and every job rebuilt by key asks for them.
     */
    public Detail detail(String table) {
        org.apache.spark.sql.delta.Snapshot s = snapshot(table);
        return new Detail(s.numOfFiles(), scala.collection.JavaConverters.seqAsJavaList(
                s.metadata().partitionColumns()), List.of(s.schema().fieldNames()));
    }

    /** The version a reader of the table sees now. */
    public long currentVersion(String table) {
        return version(table);
    }

    /** One commit of a table's history: its version, operation (WRITE, OPTIMIZE, …) and operation parameters. */
    public record Change(long version, String operation, Map<String, String> parameters) {
    }

    /**
     * The newest commit that changed the table's data or layout, skipping VACUUM's own audit commits; null when the
     * last {@code lookBack} commits were all vacuums.
     */
    public Change lastChange(String table, int lookBack) {
        return DeltaTable.forPath(spark, path(table)).history(lookBack)
                .filter(not(col("operation").startsWith("VACUUM")))
                .orderBy(col("version").desc()).limit(1).collectAsList().stream()
                .map(r -> new Change(r.<Long>getAs("version"), r.getAs("operation"),
                        r.<String, String>getJavaMap(r.fieldIndex("operationParameters"))))
                .findFirst().orElse(null);
    }

    /** What OPTIMIZE rewrote: files removed and added (both 0 when there was nothing to do). */
    public record Optimized(long filesRemoved, long filesAdded) {
    }

    /**
     * Rewrites small files into fewer large ones; with {@code zorderBy}, also clusters rows by those columns inside
     * each partition so that min/max statistics let readers skip files. Z-ordering rewrites every file of the table.
     */
    public Optimized optimize(String table, List<String> zorderBy) {
        DeltaOptimizeBuilder builder = DeltaTable.forPath(spark, path(table)).optimize();
        Dataset<Row> result = zorderBy.isEmpty() ? builder.executeCompaction()
                : builder.executeZOrderBy(zorderBy.toArray(new String[0]));
        Row metrics = result.first().getStruct(result.schema().fieldIndex("metrics"));
        return new Optimized(metrics.<Long>getAs("numFilesRemoved"), metrics.<Long>getAs("numFilesAdded"));
    }

    /** What VACUUM deleted: files (Delta counts emptied directories too) and their bytes, from its audit commits. */
    public record Vacuumed(long files, long bytes) {
    }

    /**
     * Deletes the files that left the table more than {@code retentionHours} ago (and stray files no commit ever
     * referenced, e.g. from a failed write). The counts come from the VACUUM START/END commits Delta writes when
     * {@code spark.databricks.delta.vacuum.logging.enabled} is on (SparkSessions turns it on).
     */
    public Vacuumed vacuum(String table, int retentionHours) {
        DeltaTable delta = DeltaTable.forPath(spark, path(table));
        delta.vacuum(retentionHours);
        List<Row> audit = delta.history(2).filter(col("operation").startsWith("VACUUM")).collectAsList();
        long files = 0;
        long bytes = 0;
        for (Row r : audit) {
            Map<String, String> m = r.getJavaMap(r.fieldIndex("operationMetrics"));
            files += Long.parseLong(m.getOrDefault("numDeletedFiles", "0"));
            bytes += Long.parseLong(m.getOrDefault("sizeOfDataToDelete", "0"));
        }
        return new Vacuumed(files, bytes);
    }

    /** One writer per partition value, so a partition gets one file rather than one per upstream task. */
    private static Dataset<Row> clustered(Dataset<Row> rows, List<String> partitionBy) {
        if (partitionBy.isEmpty()) {
            return rows;
        }
        return rows.repartition(partitionBy.stream().map(org.apache.spark.sql.functions::col)
                .toArray(org.apache.spark.sql.Column[]::new));
    }

    /** Makes {@code layer.table} resolve to the table's path in this warehouse (re-pointing a stale entry). */
    /** Catalog changes are serialised: concurrent CREATE DATABASE IF NOT EXISTS races inside the Hive client. */
    private synchronized long register(String table) {
        if (!registered.add(table)) {
            return version(table);
        }
        String[] p = split(table);
        String location = path(table);
        spark.sql("CREATE DATABASE IF NOT EXISTS " + p[0] + " LOCATION '"
                + qualified(cfg.warehouseRoot + "/" + p[0]) + "'");
        if (spark.catalog().tableExists(table)) {
            if (!normalise(catalogLocation(p)).equals(normalise(qualified(location)))) {
                spark.sql("DROP TABLE " + table);
            }
        }
        spark.sql("CREATE TABLE IF NOT EXISTS " + table + " USING DELTA LOCATION '" + qualified(location) + "'");
        // A table from before incremental runs: turn the feed on so the next changes can be followed.
        switchOn(table, "delta.enableChangeDataFeed");
        return version(table);
    }

    /**
     * Where the catalog's entry for {@code layer.name} points, from the entry itself: DESCRIBE DETAIL would plan a
     * query and read the table's log for it.
     */
    private String catalogLocation(String[] layerAndName) {
        try {
            return spark.sessionState().catalog().getTableMetadata(new org.apache.spark.sql.catalyst.TableIdentifier(
                    layerAndName[1], scala.Option.apply(layerAndName[0]))).location().toString();
        } catch (Exception e) {
            // Scala declares the catalog's NoSuch* exceptions, which Java must catch: the entry was just found.
            throw new IllegalStateException("the catalog lost " + String.join(".", layerAndName), e);
        }
    }

    private long version(String table) {
        return latestVersion(table);
    }

    private String qualified(String location) {
        if (location.contains("://") || location.startsWith("file:")) {
            return location;
        }
        return new java.io.File(location).getAbsoluteFile().toURI().toString();
    }

    private static String normalise(String uri) {
        String s = uri.replace("file:///", "file:/");
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static String[] split(String table) {
        String[] p = table.split("\\.");
        if (p.length != 2) {
            throw new IllegalArgumentException("table names are layer.name, got " + table);
        }
        return p;
    }
}
