package com.tobwh.generate;

/** Writes channel_spend: one {@code <platform>.csv} per platform and day it has rows. */
final class SpendWriter {
    private SpendWriter() {
    }

    static void write(SimCalendar cal, AdCatalog ads, SpendSimulator spend, LandingZoneWriter out) {
        for (int d = 0; d < cal.days(); d++) {
            for (String platform : AdCatalog.PLATFORMS) {
                out.write(SourceSchema.CHANNEL_SPEND, cal.date(d), platform + ".csv", spend.rows(platform, d));
            }
        }
    }
}
