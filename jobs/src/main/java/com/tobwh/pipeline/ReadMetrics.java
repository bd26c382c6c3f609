package com.tobwh.pipeline;

import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerEvent;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.execution.SparkPlanInfo;
import org.apache.spark.sql.execution.metric.SQLMetricInfo;
import org.apache.spark.sql.execution.ui.SparkListenerDriverAccumUpdates;
import org.apache.spark.sql.execution.ui.SparkListenerSQLAdaptiveExecutionUpdate;
import org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart;
import scala.Tuple2;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static scala.collection.JavaConverters.seqAsJavaList;

/**
 * What each pipeline job of one run read from its tables' data files: the size of the files its scans selected
 * (after Delta's partition and statistics pruning) and the rows those scans produced, from the SQL metrics of
 * Spark's file scans, by job group. The rows of the change feeds read count too; their files' size does not, Delta's
 * change-feed scan does not measure it. Reads of Spark's cache and of Delta's own log are not counted. This is the
 * measure of whether a night reads the day or the history.
 */
final class ReadMetrics extends SparkListener implements AutoCloseable {
    /** The local property naming the run, so that runs of one JVM (tests) are told apart. */
    static final String RUN_PROPERTY = "tobwh.run";
    private static final String JOB_GROUP = "spark.jobGroup.id";
    private static final String EXECUTION_ID = "spark.sql.execution.id";
    /** File scans' metric names (FileSourceScanExec): a driver-side size and an executor-side row count. */
    private static final String FILES_SIZE = "size of files read";
    private static final String OUTPUT_ROWS = "number of output rows";
    /** Delta's change-feed reads: a relation scan that counts its rows but not the size of the files it read. */
    private static final String CHANGE_FEED_SCAN = "Scan DeltaCDFRelation";
    private static final long DRAIN_TIMEOUT_MS = 30_000;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReadMetrics.class);

    /** Bytes of data files selected and rows scanned from them by one job. */
    record Read(long bytes, long rows) {
    }

    /** A job whose Spark jobs scanned no data file (it read only the cache, or Delta's log). */
    static final Read NOTHING = new Read(0, 0);

    private final SparkContext sc;
    private final String runId;
    private final Map<Integer, String> groupOfStage = new ConcurrentHashMap<>();
    private final Map<Long, String> groupOfExecution = new ConcurrentHashMap<>();
    /** The accumulators of the data-file scans seen in plans: size of files read, and output rows. */
    private final Set<Long> sizeMetrics = ConcurrentHashMap.newKeySet();
    private final Set<Long> rowMetrics = ConcurrentHashMap.newKeySet();
    /** Driver-side values by accumulator, with the execution that set them (a scan lists its files once). */
    private final Map<Long, long[]> driverValues = new ConcurrentHashMap<>();
    private final Map<String, long[]> rowsByGroup = new ConcurrentHashMap<>();
    /** The table each row metric's scan reads, and the rows per job group and table (logged at debug level). */
    private final Map<Long, String> tableOfScan = new ConcurrentHashMap<>();
    private final Map<String, Map<String, long[]>> rowsByGroupAndTable = new ConcurrentHashMap<>();

    private ReadMetrics(SparkContext sc, String runId) {
        this.sc = sc;
        this.runId = runId;
    }

    /** Starts counting the reads of the Spark jobs whose thread says {@link #RUN_PROPERTY} = {@code runId}. */
    static ReadMetrics start(SparkContext sc, String runId) {
        ReadMetrics m = new ReadMetrics(sc, runId);
        sc.addSparkListener(m);
        return m;
    }

    @Override
    public void onJobStart(SparkListenerJobStart e) {
        Properties p = e.properties();
        if (p == null || !runId.equals(p.getProperty(RUN_PROPERTY)) || p.getProperty(JOB_GROUP) == null) {
            return;
        }
        String group = p.getProperty(JOB_GROUP);
        seqAsJavaList(e.stageIds()).forEach(s -> groupOfStage.put((Integer) s, group));
        if (p.getProperty(EXECUTION_ID) != null) {
            groupOfExecution.put(Long.parseLong(p.getProperty(EXECUTION_ID)), group);
        }
    }

    @Override
    public void onOtherEvent(SparkListenerEvent e) {
        if (e instanceof SparkListenerSQLExecutionStart s) {
            collectScans(s.sparkPlanInfo());
        } else if (e instanceof SparkListenerSQLAdaptiveExecutionUpdate u) {
            collectScans(u.sparkPlanInfo());
        } else if (e instanceof SparkListenerDriverAccumUpdates d) {
            for (Tuple2<Object, Object> u : seqAsJavaList(d.accumUpdates())) {
                driverValues.put((Long) u._1(), new long[]{d.executionId(), (Long) u._2()});
            }
        }
    }

    /** Registers the metrics of the plan's scans of data files (not the cache, not Delta's log). */
    private void collectScans(SparkPlanInfo plan) {
        Map<String, Long> byName = new HashMap<>();
        for (SQLMetricInfo m : seqAsJavaList(plan.metrics())) {
            byName.put(m.name(), m.accumulatorId());
        }
        scala.Option<String> at = plan.metadata().get("Location");
        String location = at.isDefined() ? at.get() : "";
        if (byName.containsKey(FILES_SIZE) && byName.containsKey(OUTPUT_ROWS) && !location.contains("_delta_log")
                && !location.startsWith("DeltaLogFileIndex")) {
            sizeMetrics.add(byName.get(FILES_SIZE));
            rowMetrics.add(byName.get(OUTPUT_ROWS));
            tableOfScan.put(byName.get(OUTPUT_ROWS), tableIn(location));
        } else if (plan.nodeName().startsWith(CHANGE_FEED_SCAN) && byName.containsKey(OUTPUT_ROWS)) {
            rowMetrics.add(byName.get(OUTPUT_ROWS));
            tableOfScan.put(byName.get(OUTPUT_ROWS), "changes of " + tableIn(plan.simpleString()));
        }
        seqAsJavaList(plan.children()).forEach(this::collectScans);
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        String group = groupOfStage.get(e.stageId());
        if (group == null || e.taskInfo() == null) {
            return;
        }
        long rows = 0;
        for (AccumulableInfo a : seqAsJavaList(e.taskInfo().accumulables())) {
            if (rowMetrics.contains(a.id()) && a.update().isDefined() && a.update().get() instanceof Long n) {
                rows += n;
                if (LOG.isDebugEnabled()) {
                    rowsByGroupAndTable.computeIfAbsent(group, g -> new ConcurrentHashMap<>())
                            .computeIfAbsent(tableOfScan.getOrDefault(a.id(), "?"), t -> new long[1])[0] += n;
                }
            }
        }
        if (rows > 0) {
            long n = rows;
            rowsByGroup.compute(group, (g, s) -> s == null ? new long[]{n} : new long[]{s[0] + n});
        }
    }

    /**
     * What the jobs read, by job group, once Spark has delivered the events of the jobs that ended: listeners hear of
     * tasks asynchronously, after the actions that ran them have returned.
     */
    Map<String, Read> reads() {
        try {
            // As Spark's own tests wait: the listener bus has no public way to wait for its queue.
            sc.listenerBus().waitUntilEmpty(DRAIN_TIMEOUT_MS);
        } catch (Exception e) {
            // A bus still busy after the timeout: the counts may be short, which is no reason to fail a run.
        }
        rowsByGroupAndTable.forEach((g, t) -> t.forEach((table, n) ->
                LOG.debug("run {}: {} read {} rows of {}", runId, g, n[0], table)));
        Map<String, long[]> bytes = new HashMap<>();
        driverValues.forEach((id, v) -> {
            String group = groupOfExecution.get(v[0]);
            if (group != null && sizeMetrics.contains(id)) {
                bytes.computeIfAbsent(group, g -> new long[1])[0] += v[1];
            }
        });
        Map<String, Read> out = new HashMap<>();
        bytes.forEach((g, b) -> out.put(g, new Read(b[0], 0)));
        rowsByGroup.forEach((g, r) -> out.put(g, new Read(out.containsKey(g) ? out.get(g).bytes() : 0, r[0])));
        return out;
    }

    private static final java.util.regex.Pattern TABLE_PATH =
            java.util.regex.Pattern.compile("/(bronze|silver|gold|ops)/([A-Za-z0-9_]+)");

    /** The table (layer.name) a scan's description names by its path, or the description when it names none. */
    private static String tableIn(String description) {
        java.util.regex.Matcher m = TABLE_PATH.matcher(description);
        return m.find() ? m.group(1) + "." + m.group(2) : description;
    }

    @Override
    public void close() {
        sc.removeSparkListener(this);
    }
}
