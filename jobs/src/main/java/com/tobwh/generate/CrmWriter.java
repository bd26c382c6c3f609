package com.tobwh.generate;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Writes crm: per day the changed accounts, contacts and opportunities as JSON Lines. */
final class CrmWriter {
    private CrmWriter() {
    }

    /** Returns how many rows re-deliver a record already delivered on an earlier day. */
    static long write(SimCalendar cal, CrmChangeLog log, LandingZoneWriter out) {
        write(cal, log.accounts, SourceSchema.CRM_ACCOUNTS, "accounts.jsonl", out);
        write(cal, log.contacts, SourceSchema.CRM_CONTACTS, "contacts.jsonl", out);
        write(cal, log.opportunities, SourceSchema.CRM_OPPORTUNITIES, "opportunities.jsonl", out);
        return log.accounts.redeliveries(cal, 0) + log.contacts.redeliveries(cal, 0)
                + log.opportunities.redeliveries(cal, 0);
    }

    private static void write(SimCalendar cal, ChangeFeed feed, SourceSchema schema, String file,
                              LandingZoneWriter out) {
        for (Map.Entry<LocalDate, List<Object[]>> day : feed.byDay(cal).entrySet()) {
            out.write(schema, day.getKey(), file, day.getValue());
        }
    }
}
