package com.tobwh.gold;

import com.tobwh.SparkTestSession;
import com.tobwh.pipeline.Gates;
import com.tobwh.pipeline.RunContext;
import com.tobwh.silver.IntCampaignTagsMonthly;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Campaigns seen only on the web, named from the monthly counts of tagged sessions.
 *
 * <pre>
 * sessions (month, utm_campaign, utm_source, channel)
 *   Jan nurture newsletter email ×2      Feb nurture linkedin social ×3     Feb webinar (none) email ×1
 *   Jan (no campaign) ×1                 Feb gads_1 google paid_search ×1 (also in the spend)
 * int_campaign_tags__monthly
 *   Jan nurture newsletter email 2 · Feb nurture linkedin social 3 · Feb webinar (not set) email 1 ·
 *   Feb gads_1 google paid_search 1                            (the untagged session is not counted)
 * dim_campaign, web-only campaigns: their most common (source, channel) over every month, not the latest month's
 *   nurture: linkedin / social (3 sessions against 2)          webinar: (not set) / email
 *   gads_1 comes from the spend (google_ads), not from the web
 * </pre>
 */
class DimCampaignTest {
    @Test
    void webOnlyCampaignsTakeTheirMostCommonSourceAndChannelOverEveryMonth() {
        SparkSession spark = SparkTestSession.get();
        RunContext ctx = new RunContext("r1", LocalDate.parse("2026-02-28"), LocalDate.parse("2026-02-28"),
                SparkTestSession.testConfig(Path.of("unused")));
        Dataset<Row> sessions = spark.sql("""
                SELECT CAST(m AS DATE) AS session_month, c AS utm_campaign, s AS utm_source, ch AS channel
                FROM VALUES ('2026-01-01', 'nurture', 'newsletter', 'email'),
                            ('2026-01-01', 'nurture', 'newsletter', 'email'),
                            ('2026-01-01', NULL, NULL, 'direct'),
                            ('2026-02-01', 'nurture', 'linkedin', 'social'),
                            ('2026-02-01', 'nurture', 'linkedin', 'social'),
                            ('2026-02-01', 'nurture', 'linkedin', 'social'),
                            ('2026-02-01', 'webinar', NULL, 'email'),
                            ('2026-02-01', 'gads_1', 'google', 'paid_search') AS t(m, c, s, ch)
                """);
        IntCampaignTagsMonthly tagsJob = new IntCampaignTagsMonthly();
        Dataset<Row> tags = tagsJob.build(Map.of("silver.int_sessions__sessionized", sessions), ctx).rows();
        // Schema, key and the reconciliation: 7 tagged sessions in, 7 counted.
        Gates.check(tagsJob, tags, Map.of("silver.int_sessions__sessionized", sessions));
        assertEquals(Set.of("2026-01-01 nurture newsletter email 2", "2026-02-01 nurture linkedin social 3",
                        "2026-02-01 webinar (not set) email 1", "2026-02-01 gads_1 google paid_search 1"),
                lines(tags, "session_month", "campaign_id", "utm_source", "channel", "sessions"));

        Dataset<Row> spend = spark.sql("""
                SELECT DATE'2026-02-03' AS date, 'google_ads' AS platform, 'gads_1' AS campaign_id,
                       'brand' AS campaign_name
                """);
        DimCampaign dim = new DimCampaign();
        Dataset<Row> campaigns = dim.build(Map.of("silver.stg_channel_spend", spend,
                "silver.int_campaign_tags__monthly", tags), ctx).rows();
        Gates.check(dim, campaigns);
        assertEquals(Set.of("nurture linkedin social utm_campaign", "webinar (not set) email utm_campaign",
                        "gads_1 google_ads paid_search channel_spend", "null unknown unknown none"),
                lines(campaigns, "campaign_id", "platform", "channel", "source"));
    }

    private static Set<String> lines(Dataset<Row> rows, String... columns) {
        List<Row> all = rows.selectExpr(columns).collectAsList();
        return all.stream().map(r -> java.util.stream.IntStream.range(0, columns.length)
                .mapToObj(i -> String.valueOf(r.get(i))).collect(Collectors.joining(" "))).collect(Collectors.toSet());
    }
}
