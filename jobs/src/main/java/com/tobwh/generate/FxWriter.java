package com.tobwh.generate;

/** Writes fx_rates: {@code fx_rates.csv} on every day with a fixing. */
final class FxWriter {
    private FxWriter() {
    }

    static void write(SimCalendar cal, FxMarket fx, LandingZoneWriter out) {
        for (int d = 0; d < cal.days(); d++) {
            out.write(SourceSchema.FX_RATES, cal.date(d), "fx_rates.csv", fx.rows(cal.date(d)));
        }
    }
}
