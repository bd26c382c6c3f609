package com.tobwh.pipeline;

import com.tobwh.SparkTestSession;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console report of a run: a job that wrote a version, and one rebuilt by key whose rows came out the same and
 * wrote none (as a re-run after a killed run finds the rows the killed run had already written).
 */
class RunReportTest {
    @Test
    void aJobThatWroteNoVersionIsReportedAsSuch() {
        RunReport report = new RunReport(new RunContext("r1", LocalDate.parse("2026-03-01"),
                LocalDate.parse("2026-03-01"), SparkTestSession.testConfig(Path.of("unused"))));
        report.job("gold.fct_orders", 3, null, 1500, 7L, List.of());
        report.job("gold.fct_sessions", 211, 0L, 2500, null,
                List.of("the keys' rows came out the same: nothing written"));
        String text = report.text();
        assertTrue(text.contains("gold.fct_orders") && text.contains("v7  1.5s"), text);
        assertTrue(text.contains("211 rows (+0 rejected)  no new version  2.5s"), text);
        assertTrue(text.contains("      the keys' rows came out the same: nothing written"), text);
    }
}
