package com.tobwh.pipeline;

import com.tobwh.SparkTestSession;
import com.tobwh.gold.DimCampaign;
import com.tobwh.io.DeltaTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A night of the campaign dimension: the first spend day is a fold over the campaign's spend, and its last day and
 * name are the latest spend rows, so the rebuild reads the spend from the earliest changed day on.
 *
 * <pre>
 * spend (day campaign platform name cost):  03-01 g1 google_ads brand 10 · 03-10 g1 brand 12 · 03-15 g1 brand 11
 *                                           02-20 g2 linkedin_ads abm 30 · 03-14 g2 abm 31
 * tags: Jan nurture newsletter email 2 (a web-only campaign)
 * last night (03-15): g1 03-01 … 03-15 brand · g2 02-20 … 03-14 abm · nurture from the web
 *
 * a) the new day 03-16: g1 brand, g2 renamed "abm2": keys {g1, g2}, resumed from 03-16, reads those 2 rows;
 *    g1 03-01 … 03-16 brand (first day from the table) · g2 02-20 … 03-16 abm2
 * b) g1's 03-10 cost restated to 13: no column the dimension reads changed, so the night skips it
 * c) a late row 03-12 g2 "abm-late": keys {g2}, resumed from 03-12, reads 03-12 and 03-14; g2 keeps 02-20 … 03-14
 *    abm (the 03-14 row is later than the late one)
 * d) g1's 03-15 row is gone (refused, say): resumed from 03-15, where g1 has no row left, so g1 is rebuilt from all
 *    its rows: 03-01 … 03-10 brand, not the table's 03-15
 * e) a tag row for g1 in March, no spend change: keys {g1}, resumed from the table's rows, reads no spend; g1 keeps
 *    03-01 … 03-15 brand
 * each night's table equals a whole rebuild
 * </pre>
 */
class CampaignScopeTest {
    private static final String SPEND = "silver.stg_channel_spend";
    private static final String TAGS = "silver.int_campaign_tags__monthly";
    private static final LocalDate LAST = LocalDate.parse("2026-03-15");
    private static final String[] SPEND_BEFORE = {"2026-03-01 g1 google_ads brand 10",
            "2026-03-10 g1 google_ads brand 12", "2026-03-15 g1 google_ads brand 11",
            "2026-02-20 g2 linkedin_ads abm 30", "2026-03-14 g2 linkedin_ads abm 31"};
    private static final String[] TAGS_BEFORE = {"2026-01-01 nurture newsletter email 2"};

    private final DimCampaign job = new DimCampaign();
    private DeltaTables tables;
    private JobNights nights;

    @BeforeEach
    void lastNight() {
        nights = JobNights.scratch("campaign-scope", job, LAST);
        tables = nights.tables();
        nights.lastNight(Map.of(SPEND, tables.overwrite(SPEND, spend(SPEND_BEFORE), List.of("month")),
                TAGS, tables.overwrite(TAGS, tags(TAGS_BEFORE), List.of())));
    }

    @Test
    void aNewDayReadsOnlyItsRowsAndKeepsTheFirstDayTheTableHolds() {
        Map<String, Long> now = night(with(SPEND_BEFORE, "2026-03-16 g1 google_ads brand 9",
                "2026-03-16 g2 linkedin_ads abm2 29"), null);
        Scope scope = nights.plan(now);
        assertEquals(Set.of("g1", "g2"), scope.keys());
        assertTrue(scope.reason().endsWith("resumed from " + midnight("2026-03-16")), scope.reason());
        assertEquals(List.of("2026-03-16 g1", "2026-03-16 g2"), days(scope.restrict(nights.inputs(now)).get(SPEND)));
        assertEquals(Set.of("g1 google_ads brand 2026-03-01 2026-03-16", "g2 linkedin_ads abm2 2026-02-20 2026-03-16"),
                campaigns(nights.replace(scope, now)));
        assertEquals(campaigns(nights.rebuiltWhole(now)), campaigns(tables.read(job.output())));
    }

    @Test
    void aRestatedCostIsNoChange() {
        String[] restated = SPEND_BEFORE.clone();
        restated[1] = "2026-03-10 g1 google_ads brand 13";
        Scope scope = nights.plan(night(restated, null));
        assertTrue(scope.skip(), scope.reason());
    }

    @Test
    void aLateRowBeforeTheLastDayLeavesTheLatestName() {
        Map<String, Long> now = night(with(SPEND_BEFORE, "2026-03-12 g2 linkedin_ads abm-late 5"), null);
        Scope scope = nights.plan(now);
        assertEquals(Set.of("g2"), scope.keys());
        assertTrue(scope.reason().endsWith("resumed from " + midnight("2026-03-12")), scope.reason());
        assertEquals(List.of("2026-03-12 g2", "2026-03-14 g2"), days(scope.restrict(nights.inputs(now)).get(SPEND)));
        assertEquals(Set.of("g2 linkedin_ads abm 2026-02-20 2026-03-14"), campaigns(nights.replace(scope, now)));
        assertEquals(campaigns(nights.rebuiltWhole(now)), campaigns(tables.read(job.output())));
    }

    @Test
    void aCampaignWhoseLastDayIsGoneIsRebuiltFromAllItsRows() {
        String[] kept = Stream.of(SPEND_BEFORE).filter(l -> !l.startsWith("2026-03-15")).toArray(String[]::new);
        Map<String, Long> now = night(kept, null);
        Scope scope = nights.plan(now);
        assertEquals(Set.of("g1"), scope.keys());
        assertTrue(scope.reason().endsWith("resumed from " + midnight("2026-03-15")
                + "; from all their rows, their latest ones gone: g1"), scope.reason());
        assertEquals(List.of("2026-03-01 g1", "2026-03-10 g1"), days(scope.restrict(nights.inputs(now)).get(SPEND)));
        assertEquals(Set.of("g1 google_ads brand 2026-03-01 2026-03-10"), campaigns(nights.replace(scope, now)));
        assertEquals(campaigns(nights.rebuiltWhole(now)), campaigns(tables.read(job.output())));
    }

    @Test
    void aTagOfASpendCampaignReadsNoSpend() {
        Map<String, Long> now = night(null, tags(TAGS_BEFORE[0], "2026-03-01 g1 google cpc 4"));
        Scope scope = nights.plan(now);
        assertEquals(Set.of("g1"), scope.keys());
        assertTrue(scope.reason().endsWith("resumed from the table's rows (no folded input changed)"),
                scope.reason());
        assertEquals(List.of(), days(scope.restrict(nights.inputs(now)).get(SPEND)));
        assertEquals(Set.of("g1 google_ads brand 2026-03-01 2026-03-15"), campaigns(nights.replace(scope, now)));
        assertEquals(campaigns(nights.rebuiltWhole(now)), campaigns(tables.read(job.output())));
    }

    /** The resume point of a spend day: its midnight in the session's (the reporting) time zone. */
    private String midnight(String day) {
        return LocalDate.parse(day).atStartOfDay(nights.ctx().cfg().zone()).toInstant().toString();
    }

    /** Writes the night's spend and tags (null: unchanged); the inputs' versions. */
    private Map<String, Long> night(String[] spend, Dataset<Row> tags) {
        return Map.of(SPEND, spend == null ? nights.before(SPEND) : tables.overwrite(SPEND, spend(spend),
                        List.of("month")),
                TAGS, tags == null ? nights.before(TAGS) : tables.overwrite(TAGS, tags, List.of()));
    }

    private static String[] with(String[] lines, String... more) {
        return Stream.concat(Stream.of(lines), Stream.of(more)).toArray(String[]::new);
    }

    /** "campaign platform name first last" of each campaign from the spend. */
    private static Set<String> campaigns(Dataset<Row> campaigns) {
        return campaigns.filter(col("source").equalTo("channel_spend")).collectAsList().stream()
                .map(r -> r.getAs("campaign_id") + " " + r.getAs("platform") + " " + r.getAs("campaign_name") + " "
                        + r.getAs("first_spend_date") + " " + r.getAs("last_spend_date")).collect(Collectors.toSet());
    }

    /** "day campaign" of each spend row read, in order. */
    private static List<String> days(Dataset<Row> spend) {
        return spend.selectExpr("concat(CAST(date AS STRING), ' ', campaign_id) AS day").orderBy("day")
                .as(Encoders.STRING()).collectAsList();
    }

    /** Spend rows "day campaign platform name cost". */
    private static Dataset<Row> spend(String... lines) {
        return SparkTestSession.get().createDataset(List.of(lines), Encoders.STRING()).toDF().selectExpr(
                "CAST(split(value, ' ')[0] AS DATE) AS date", "split(value, ' ')[1] AS campaign_id",
                "split(value, ' ')[2] AS platform", "split(value, ' ')[3] AS campaign_name",
                "CAST(split(value, ' ')[4] AS DECIMAL(18, 2)) AS cost")
                .withColumn("month", org.apache.spark.sql.functions.trunc(col("date"), "MM"));
    }

    /** Monthly tag counts "month campaign source channel sessions". */
    private static Dataset<Row> tags(String... lines) {
        return SparkTestSession.get().createDataset(List.of(lines), Encoders.STRING()).toDF().selectExpr(
                "CAST(split(value, ' ')[0] AS DATE) AS session_month", "split(value, ' ')[1] AS campaign_id",
                "split(value, ' ')[2] AS utm_source", "split(value, ' ')[3] AS channel",
                "CAST(split(value, ' ')[4] AS BIGINT) AS sessions");
    }
}
