package com.tobwh.pipeline;

import com.tobwh.SparkTestSession;
import com.tobwh.config.WarehouseConfig;
import com.tobwh.gold.DimChannel;
import com.tobwh.io.DeltaTables;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A job built from configuration alone (dim_channel, from the channel rules' channels) runs again when its
 * configuration or the build of the code changed since its last run; otherwise a night skips it without building
 * it or reading its table.
 */
class ConfigurationOnlyTest {
    private static final LocalDate D = LocalDate.parse("2026-03-01");

    @Test
    void skippedWhileTheChannelsAndTheBuildAreTheSameRebuiltWhenTheChannelsChange() throws IOException {
        SparkSession spark = SparkTestSession.get();
        Path root = SparkTestSession.scratch("configuration-only");
        WarehouseConfig cfg = SparkTestSession.testConfig(root.resolve("wh"));
        DeltaTables tables = new DeltaTables(spark, cfg);
        Pipeline pipeline = new Pipeline(spark, tables, new JobGraph(List.of(new DimChannel())));

        pipeline.run(new RunContext("n1", D, D, cfg));
        long built = tables.latestVersion("gold.dim_channel");
        pipeline.run(new RunContext("n2", D.plusDays(1), D.plusDays(1), cfg));
        Row second = logOf(tables, "n2");
        assertEquals("skipped", second.getAs("mode"));
        assertEquals("skipped: the same configuration and release as its last run", second.getAs("message"));
        assertEquals(0L, second.<Long>getAs("read_rows"), "neither built nor compared with the table");
        assertEquals(built, tables.latestVersion("gold.dim_channel"));

        // A channel's new description: the channels it is built from changed, so the night rebuilds it.
        String bundled;
        try (InputStream in = DimChannel.class.getResourceAsStream("/channel-rules.yaml")) {
            bundled = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path rules = root.resolve("channel-rules.yaml");
        Files.writeString(rules, bundled.replace("\"Trade shows and conferences\"",
                "\"Trade shows, conferences and roadshows\""));
        cfg.channelRulesFile = rules.toString();
        pipeline.run(new RunContext("n3", D.plusDays(2), D.plusDays(2), cfg));
        assertEquals("full", logOf(tables, "n3").getAs("mode"));
        assertEquals(built + 1, tables.latestVersion("gold.dim_channel"));
        assertEquals("Trade shows, conferences and roadshows", tables.read("gold.dim_channel")
                .filter(col("channel").equalTo("events")).first().getAs("description"));

        // A rule alone is no change to the channels' rows.
        Files.writeString(rules, Files.readString(rules) + "\n  - {channel: partner, match: {lead_source: [\"reseller\"]}}\n");
        pipeline.run(new RunContext("n4", D.plusDays(3), D.plusDays(3), cfg));
        assertEquals("skipped", logOf(tables, "n4").getAs("mode"));
        assertEquals(built + 1, tables.latestVersion("gold.dim_channel"));
    }

    @Test
    void theFingerprintIsOfTheBuildAndTheConfiguration() {
        // The build stamps every jar and test run (Maven's resource filtering): without it no night would skip.
        assertNotNull(Release.stamp());
        assertNull(Release.load("/release-unfiltered.properties"), "a copied placeholder names no build");
        assertNull(Release.load("/no-such-file.properties"));
        Long a = Release.fingerprint("0.1.0 20261208T010000.000Z", "");
        assertEquals(a, Release.fingerprint("0.1.0 20261208T010000.000Z", ""));
        assertNotEquals(a, Release.fingerprint("0.1.0 20261208T010000.001Z", ""), "another build");
        assertNotEquals(a, Release.fingerprint("0.1.0 20261208T010000.000Z", "[]"), "another configuration");
        assertNull(Release.fingerprint(null, ""));
        assertNull(Release.fingerprint("0.1.0 20261208T010000.000Z", null));
    }

    private static Row logOf(DeltaTables tables, String run) {
        return tables.read(Pipeline.RUN_LOG).filter(col("run_id").equalTo(run)
                .and(col("job").equalTo("gold.dim_channel"))).first();
    }
}
