package com.tobwh.io;

import com.tobwh.config.WarehouseConfig;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A source missing from the landing zone on a run date follows its policy: fail, wait, or go on as partial. */
class LandingCheckTest {
    private static final LocalDate D = LocalDate.parse("2026-01-05");
    private static final List<String> SOURCES = List.of("orders", "web_traffic");

    @TempDir
    Path landing;

    private WarehouseConfig config(Map<String, String> policy) {
        WarehouseConfig cfg = WarehouseConfig.defaults();
        cfg.landingRoot = landing.toString();
        cfg.landingPolicy = new java.util.LinkedHashMap<>(policy);
        cfg.landingWaitMinutes = 1;
        cfg.landingPollSeconds = 10;
        return cfg;
    }

    private void deliver(String source, LocalDate d, String file) throws IOException {
        Path dir = Files.createDirectories(landing.resolve(source).resolve("dt=" + d));
        Files.writeString(dir.resolve(file), "x\n");
    }

    @Test
    void aCompleteLandingZoneIsNotPartial() throws IOException {
        deliver("orders", D, "orders.csv");
        deliver("web_traffic", D, "events.jsonl");
        LandingCheck.Result r = LandingCheck.check(new Configuration(), config(Map.of("default", "fail")), SOURCES, D, D);
        assertFalse(r.partial());
    }

    @Test
    void failNamesTheSourceTheDateAndTheFolder() throws IOException {
        deliver("web_traffic", D, "events.jsonl");
        // A marker file alone is not a delivery.
        deliver("orders", D, "_SUCCESS");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LandingCheck.check(
                new Configuration(), config(Map.of("orders", "fail", "default", "partial")), SOURCES, D, D));
        assertTrue(e.getMessage().contains("orders: no files under " + landing + "/orders/dt=<date>/ for 2026-01-05"
                + " (policy fail)"), e.getMessage());
        assertFalse(e.getMessage().contains("web_traffic"), e.getMessage());
    }

    @Test
    void partialGoesOnAndSaysWhatIsMissing() throws IOException {
        deliver("web_traffic", D, "events.jsonl");
        deliver("orders", D, "orders.csv");
        LandingCheck.Result r = LandingCheck.check(new Configuration(), config(Map.of("default", "partial")),
                SOURCES, D, D.plusDays(1));
        assertTrue(r.partial());
        assertEquals(Map.of("orders", List.of(D.plusDays(1)), "web_traffic", List.of(D.plusDays(1))), r.missing());
        assertEquals("partial: no landing files for orders on 1 date (2026-01-06); web_traffic on 1 date (2026-01-06)",
                r.message());
    }

    @Test
    void waitPollsUntilTheFilesArrive() throws IOException {
        deliver("web_traffic", D, "events.jsonl");
        AtomicInteger polls = new AtomicInteger();
        LandingCheck.Result r = LandingCheck.check(new Configuration(), config(Map.of("default", "wait")), SOURCES,
                D, D, millis -> {
                    assertEquals(10_000, millis, "polls at the configured interval");
                    if (polls.incrementAndGet() == 2) {
                        try {
                            deliver("orders", D, "orders.csv");
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
        assertFalse(r.partial());
        assertEquals(2, polls.get());
    }

    @Test
    void waitFailsOnceTheWaitIsOver() throws IOException {
        deliver("web_traffic", D, "events.jsonl");
        WarehouseConfig cfg = config(Map.of("default", "wait"));
        cfg.landingWaitMinutes = 0;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LandingCheck.check(
                new Configuration(), cfg, SOURCES, D, D, millis -> { }));
        assertTrue(e.getMessage().contains("orders: no files under") && e.getMessage().contains("after waiting 0.0 "
                + "minutes (policy wait)"), e.getMessage());
    }

    @Test
    void anUnknownPolicyIsRefusedWithTheSetting() {
        WarehouseConfig cfg = config(Map.of("orders", "skip"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, cfg::validated);
        assertEquals("landingPolicy.orders must be fail, wait or partial, got skip", e.getMessage());
    }
}
