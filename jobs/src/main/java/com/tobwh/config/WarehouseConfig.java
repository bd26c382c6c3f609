package com.tobwh.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonMerge;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pipeline's whole typed configuration: read from JSON or YAML, overridable from the CLI. */
@JsonIgnoreProperties(ignoreUnknown = false)
public final class WarehouseConfig {
    /** Landing root: local path or s3a:// URI holding {@code <source>/dt=YYYY-MM-DD/}. */
    public String landingRoot = "data/landing";
    /** Warehouse root: local path or s3a:// URI; layers live in {@code <root>/<layer>/<table>}. */
    public String warehouseRoot = "data/warehouse";
    /** Local folder of the embedded Derby metastore; defaults to {@code <warehouseRoot>/metastore} when that is local. */
    public String metastoreDir;
    public String sparkMaster = "local[*]";
    public int shufflePartitions = 8;
    /** Independent jobs run at the same time, up to this many: small tables spend most of their time in commits. */
    public int jobParallelism = 4;
    /** Tasks Delta uses to rebuild a table's state from its log; the default 50 is sized for huge tables. */
    public int deltaSnapshotPartitions = 2;
    /**
     * A table rebuilt by key (nightly runs) whose files total at least this many MiB gets the changed rows merged in:
     * only rows that differ are written, deleted ones marked in deletion vectors. A smaller table has the files
     * holding the keys rewritten instead, a single pass that costs less than a merge's join at that size.
     */
    public long keyedMergeMinTableMb = 256;
    public String reportingCurrency = "CNY";
    public String reportingTimeZone = "Asia/Shanghai";
    /** A tracker event without a session_id starts a new session after this many idle minutes. */
    public int sessionIdleMinutes = 30;
    /** Channel rules file (JSON or YAML); null means the bundled {@code channel-rules.yaml}. */
    public String channelRulesFile;
    /** Touches count when at most this many days before the conversion. */
    public int lookbackDays = 180;
    /**
     * How many conversion months a month's Markov and Shapley fits count: the month itself and the ones before it.
     * A closed month's credits then stay as they were, and a night refits only the months its journeys reach.
     */
    public int dataDrivenFitMonths = 12;
    /** Half-life of the time-decay attribution model, in days. */
    public double timeDecayHalfLifeDays = 7.0;
    /** Model whose credits the channel contribution mart reports. */
    public String defaultAttributionModel = "position_based";
    /** Support SLA: hours to first response, per ticket priority. */
    public Map<String, Double> slaFirstResponseHours = new LinkedHashMap<>(Map.of(
            "urgent", 1.0, "high", 4.0, "normal", 8.0, "low", 24.0));
    /** Support SLA: hours to resolution, per ticket priority. */
    public Map<String, Double> slaResolutionHours = new LinkedHashMap<>(Map.of(
            "urgent", 8.0, "high", 24.0, "normal", 72.0, "low", 168.0));
    /**
     * What a run does when a source has no landing files for one of its dates, per source ({@code default} for the
     * rest): {@code fail}, {@code wait} (poll up to {@link #landingWaitMinutes}, then fail) or {@code partial}
     * (load what is there and mark the run partial in ops.run_log).
     */
    public Map<String, String> landingPolicy = new LinkedHashMap<>(Map.of("default", "partial"));
    /** How long the {@code wait} policy waits for a missing source before failing the run. */
    public double landingWaitMinutes = 60;
    /** How often the {@code wait} policy looks again. */
    public int landingPollSeconds = 60;

    /** The policy for one landing source. */
    public String landingPolicyFor(String source) {
        return landingPolicy.getOrDefault(source, landingPolicy.getOrDefault("default", "partial"));
    }

    /** How to reach {@code s3a://} landing and warehouse roots; merged field by field with the bundled defaults. */
    @JsonMerge
    public S3 s3 = new S3();
    /** Extra Spark/Hadoop settings; S3 connection settings belong in {@link #s3}, not here. */
    public Map<String, String> sparkConf = new LinkedHashMap<>();
    /**
     * VACUUM deletes files that left their table more than this many hours ago: time travel reaches every version
     * still current within that window, and no further.
     */
    public int vacuumRetentionHours = DELTA_SAFE_RETENTION_HOURS;
    /** Allows a vacuumRetentionHours below Delta's safety minimum (tests, or a table nobody reads while it runs). */
    public boolean vacuumAllowShortRetention = false;
    /** When true, a successful {@code run} ends with {@code maintain} (OPTIMIZE and VACUUM) of the tables it wrote. */
    public boolean maintainAfterRun = false;

    /**
     * Delta's default {@code delta.deletedFileRetentionDuration} (one week): below it Delta's
     * {@code retentionDurationCheck} refuses VACUUM, because a query or writer still running on an older version
     * could lose the files it reads.
     */
    public static final int DELTA_SAFE_RETENTION_HOURS = 168;

    /** S3 connection settings, applied as Hadoop {@code fs.s3a.*} options by {@code SparkSessions}. */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public static final class S3 {
        /** Hadoop keys this section owns; {@code sparkConf} must not set them behind its back. */
        static final List<String> KEYS = List.of("fs.s3a.endpoint", "fs.s3a.path.style.access",
                "fs.s3a.endpoint.region", "fs.s3a.connection.ssl.enabled", "fs.s3a.access.key", "fs.s3a.secret.key",
                "fs.s3a.directory.marker.retention");

        /** host[:port] or http(s)://host[:port] of an S3-compatible server; null = AWS S3 itself. */
        public String endpoint;
        /** Bucket in the path (http://host/bucket/key), which most S3-compatible servers need. */
        public boolean pathStyleAccess = true;
        /** Signing region, e.g. us-east-1; null lets Hadoop work it out. */
        public String region;
        public boolean sslEnabled = true;
        /**
         * Leave "directory" marker objects in place after writing below them instead of deleting them after every
         * file. Saves a bulk delete per file written, and is needed on file-backed S3 servers (S3Proxy's filesystem
         * backend retries and sleeps when asked to delete a non-empty directory). Every Hadoop since 3.2.2 / 3.3.1
         * reads such buckets correctly; older clients sharing the bucket may not.
         */
        public boolean keepDirectoryMarkers = false;
        /**
         * Static keys; both null means Hadoop's default credential chain (AWS_ACCESS_KEY_ID /
         * AWS_SECRET_ACCESS_KEY, instance profile, ...), which keeps secrets out of config files.
         */
        public String accessKey;
        public String secretKey;

        /** The {@code fs.s3a.*} settings this section stands for; keys only when both are configured. */
        public Map<String, String> hadoopSettings() {
            Map<String, String> out = new LinkedHashMap<>();
            if (endpoint != null) {
                out.put("fs.s3a.endpoint", endpoint);
            }
            out.put("fs.s3a.path.style.access", String.valueOf(pathStyleAccess));
            if (region != null) {
                out.put("fs.s3a.endpoint.region", region);
            }
            out.put("fs.s3a.connection.ssl.enabled", String.valueOf(sslEnabled));
            out.put("fs.s3a.directory.marker.retention", keepDirectoryMarkers ? "keep" : "delete");
            if (accessKey != null) {
                out.put("fs.s3a.access.key", accessKey);
                out.put("fs.s3a.secret.key", secretKey);
            }
            return out;
        }

        void validate() {
            if (endpoint != null) {
                String e = endpoint.trim();
                if (e.isEmpty() || e.contains(" ")) {
                    throw new IllegalArgumentException("s3.endpoint must be host[:port] or http(s)://host[:port], "
                            + "got '" + endpoint + "'; leave it out (null) for AWS S3");
                }
                // An explicit scheme wins over sslEnabled in the AWS SDK: refuse the contradiction instead of
                // silently ignoring one of the two settings.
                if (e.startsWith("http://") && sslEnabled) {
                    throw new IllegalArgumentException("s3.endpoint " + endpoint
                            + " is plain http but s3.sslEnabled is true: set s3.sslEnabled: false");
                }
                if (e.startsWith("https://") && !sslEnabled) {
                    throw new IllegalArgumentException("s3.endpoint " + endpoint
                            + " is https but s3.sslEnabled is false: set s3.sslEnabled: true");
                }
            }
            if (region != null && region.isBlank()) {
                throw new IllegalArgumentException("s3.region must not be blank; leave it out (null) for the default");
            }
            if ((accessKey == null) != (secretKey == null)
                    || (accessKey != null && (accessKey.isBlank() || secretKey.isBlank()))) {
                throw new IllegalArgumentException("s3.accessKey and s3.secretKey go together: set both, or neither "
                        + "to use the default AWS credential chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, "
                        + "instance profile)");
            }
        }

        /** Never shows the keys: configs end up in logs and exception messages. */
        @Override
        public String toString() {
            return "S3{endpoint=" + endpoint + ", pathStyleAccess=" + pathStyleAccess + ", region=" + region
                    + ", sslEnabled=" + sslEnabled + ", keepDirectoryMarkers=" + keepDirectoryMarkers + ", credentials="
                    + (accessKey == null ? "default AWS chain" : "static keys from config (hidden)") + "}";
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    /** The defaults shipped in the jar ({@code pipeline.yaml}). */
    public static WarehouseConfig defaults() {
        try (InputStream in = WarehouseConfig.class.getResourceAsStream("/pipeline.yaml")) {
            if (in == null) {
                return new WarehouseConfig();
            }
            return YAML.readValue(in, WarehouseConfig.class).validated();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled pipeline.yaml", e);
        }
    }

    /** Reads a JSON ({@code .json}) or YAML file; fields it omits keep their defaults. */
    public static WarehouseConfig load(Path file) {
        WarehouseConfig base = defaults();
        ObjectMapper mapper = file.toString().endsWith(".json") ? JSON : YAML;
        try {
            return mapper.readerForUpdating(base).<WarehouseConfig>readValue(Files.readAllBytes(file)).validated();
        } catch (IOException e) {
            throw new IllegalArgumentException("config " + file + ": " + e.getMessage(), e);
        }
    }

    public ZoneId zone() {
        return ZoneId.of(reportingTimeZone);
    }

    public boolean warehouseIsLocal() {
        return !warehouseRoot.contains("://") || warehouseRoot.startsWith("file:");
    }

    /** Where Derby keeps the catalog: always a local folder. */
    public String resolvedMetastoreDir() {
        if (metastoreDir != null) {
            return metastoreDir;
        }
        return warehouseIsLocal() ? stripFileScheme(warehouseRoot) + "/metastore" : "metastore";
    }

    public String tablePath(String layer, String table) {
        return warehouseRoot + "/" + layer + "/" + table;
    }

    public WarehouseConfig validated() {
        for (Map.Entry<String, String> e : landingPolicy.entrySet()) {
            if (!List.of("fail", "wait", "partial").contains(e.getValue())) {
                throw new IllegalArgumentException("landingPolicy." + e.getKey() + " must be fail, wait or partial, got "
                        + e.getValue());
            }
        }
        if (reportingCurrency == null || !reportingCurrency.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException("reportingCurrency must be an ISO-4217 code, got " + reportingCurrency);
        }
        zone();
        if (sessionIdleMinutes < 1 || lookbackDays < 1 || timeDecayHalfLifeDays <= 0 || dataDrivenFitMonths < 1) {
            throw new IllegalArgumentException(
                    "sessionIdleMinutes, lookbackDays, timeDecayHalfLifeDays and dataDrivenFitMonths must be > 0");
        }
        for (String p : List.of("urgent", "high", "normal", "low")) {
            if (!slaFirstResponseHours.containsKey(p) || !slaResolutionHours.containsKey(p)) {
                throw new IllegalArgumentException(
                        "slaFirstResponseHours and slaResolutionHours need a value for " + p);
            }
        }
        if (jobParallelism < 1) {
            throw new IllegalArgumentException("jobParallelism must be >= 1");
        }
        if (shufflePartitions < 1) {
            throw new IllegalArgumentException("shufflePartitions must be >= 1");
        }
        checkVacuumRetention();
        if (s3 == null) {
            throw new IllegalArgumentException("s3 must be a mapping (leave it out for the defaults), not null");
        }
        s3.validate();
        for (String key : sparkConf.keySet()) {
            String hadoopKey = key.startsWith("spark.hadoop.") ? key.substring("spark.hadoop.".length()) : key;
            if (S3.KEYS.contains(hadoopKey)) {
                throw new IllegalArgumentException("sparkConf sets " + key + ": configure it in the s3 section "
                        + "(endpoint, pathStyleAccess, region, sslEnabled, keepDirectoryMarkers, accessKey, secretKey) instead");
            }
        }
        return this;
    }

    /** Refuses a retention Delta would call unsafe unless the config says so explicitly (vacuumAllowShortRetention). */
    public void checkVacuumRetention() {
        if (vacuumRetentionHours < 0) {
            throw new IllegalArgumentException("vacuumRetentionHours must be >= 0, got " + vacuumRetentionHours);
        }
        if (vacuumRetentionHours < DELTA_SAFE_RETENTION_HOURS && !vacuumAllowShortRetention) {
            throw new IllegalArgumentException("vacuumRetentionHours " + vacuumRetentionHours
                    + " is below Delta's safety minimum of " + DELTA_SAFE_RETENTION_HOURS + " hours: VACUUM could "
                    + "delete files that a running query or writer still reads, and time travel would reach back "
                    + "only " + vacuumRetentionHours + " hours. Use at least " + DELTA_SAFE_RETENTION_HOURS
                    + ", or set vacuumAllowShortRetention: true if nothing reads or writes the tables meanwhile");
        }
    }

    private static String stripFileScheme(String p) {
        return p.startsWith("file:") ? p.substring("file:".length()) : p;
    }
}
