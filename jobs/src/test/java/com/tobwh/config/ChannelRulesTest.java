package com.tobwh.config;

import com.tobwh.SparkTestSession;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Channel grouping is data: the bundled rules on typical Chinese B2B traffic, and a user's own rules file. */
class ChannelRulesTest {
    private static List<String> classify(ChannelRules rules) {
        Dataset<Row> touches = SparkTestSession.get().sql("""
                SELECT * FROM VALUES
                  ('web', 'baidu', 'cpc', NULL, NULL, NULL),
                  ('web', 'google', 'cpc', NULL, NULL, NULL),
                  ('web', NULL, NULL, 'sogou.com', NULL, NULL),
                  ('web', NULL, NULL, 'so.com', NULL, NULL),
                  ('web', NULL, NULL, 'google.com', NULL, NULL),
                  ('web', 'wechat', 'cpc', NULL, NULL, NULL),
                  ('web', NULL, NULL, 'mp.weixin.qq.com', NULL, NULL),
                  ('web', 'zbj', 'referral', 'zbj.com', NULL, NULL),
                  ('web', NULL, NULL, 'epwk.com', NULL, NULL),
                  ('web', 'newsletter', 'email', NULL, NULL, NULL),
                  ('web', NULL, NULL, '36kr.com', NULL, NULL),
                  ('web', NULL, NULL, 'app.lumencloud.cn', NULL, NULL),
                  ('web', NULL, NULL, NULL, NULL, NULL),
                  ('web', 'mystery', 'banner', NULL, NULL, NULL),
                  ('offline', NULL, NULL, NULL, 'tender', NULL),
                  ('offline', NULL, NULL, NULL, 'founder_network', NULL),
                  ('offline', NULL, NULL, NULL, 'outbound', NULL),
                  ('offline', NULL, NULL, NULL, 'billboard', NULL),
                  ('spend', NULL, NULL, NULL, NULL, 'coding_mart')
                  AS t(touch_type, utm_source, utm_medium, referrer_host, lead_source, platform)
                """);
        Column channel = rules.classify(Map.of("touch_type", col("touch_type"), "utm_source", col("utm_source"),
                "utm_medium", col("utm_medium"), "referrer_host", col("referrer_host"),
                "lead_source", col("lead_source"), "platform", col("platform")));
        return touches.select(channel).collectAsList().stream().map(r -> r.getString(0)).toList();
    }

    @Test
    void bundledRulesGroupSearchPlatformsSocialAndOfflineSources() {
        ChannelRules rules = ChannelRules.of(WarehouseConfig.defaults());
        assertEquals(List.of("paid_search", "paid_search", "organic_search", "organic_search", "organic_search",
                "social_media", "social_media", "third_party_platform", "third_party_platform", "email", "referral",
                "direct", "direct", "other",
                "tender", "referral", "offline_sales", "other",
                "third_party_platform"), classify(rules));
    }

    @Test
    void usersChangeTheRulesWithoutTouchingCode(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path file = dir.resolve("my-rules.yaml");
        Files.writeString(file, """
                channels:
                  - {name: search, group: search}
                  - {name: everything_else, group: other}
                  - {name: none, group: none}
                fallback: everything_else
                unattributed: none
                rules:
                  - {channel: search, match: {utm_source: [baidu, google], utm_medium: [cpc]}}
                  - {channel: search, match: {referrer_host: ['.*(sogou|so|google)\\.com']}}
                """);
        WarehouseConfig cfg = WarehouseConfig.defaults();
        cfg.channelRulesFile = file.toString();
        List<String> got = classify(ChannelRules.of(cfg));
        assertEquals(List.of("search", "search", "search", "search", "search"), got.subList(0, 5));
        assertTrue(got.subList(5, got.size()).stream().allMatch("everything_else"::equals), got.toString());
    }

    @Test
    void aRuleNamingAnUndeclaredChannelIsRefusedWithItsPlace(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                channels:
                  - {name: other, group: other}
                  - {name: unattributed, group: none}
                rules:
                  - {channel: other, match: {utm_source: [x]}}
                  - {channel: seo, match: {referrer_host: [baidu.com]}}
                """);
        WarehouseConfig cfg = WarehouseConfig.defaults();
        cfg.channelRulesFile = file.toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChannelRules.of(cfg));
        assertTrue(e.getMessage().contains("rule 2 (seo) names an undeclared channel"), e.getMessage());
    }
}
