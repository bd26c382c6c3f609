package com.tobwh.generate;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Writes support_tickets: {@code tickets.jsonl} per day with each ticket changed that day (open, pending, solved, closed). */
final class SupportTicketWriter {
    private SupportTicketWriter() {
    }

    /** Returns how many rows re-deliver a ticket already delivered on an earlier day. */
    static long write(SimCalendar cal, List<Account> accounts, LandingZoneWriter out) {
        ChangeFeed feed = new ChangeFeed();
        for (Account a : accounts) {
            for (Ticket t : a.tickets) {
                feed.add(t.createdAt, t.id, row(t, null, null, "open", null, t.createdAt));
                feed.add(t.firstResponseAt, t.id, row(t, t.firstResponseAt, null, "pending", null, t.firstResponseAt));
                feed.add(t.solvedAt, t.id, row(t, t.firstResponseAt, t.solvedAt, "solved", null, t.solvedAt));
                feed.add(t.closedAt, t.id, row(t, t.firstResponseAt, t.solvedAt, "closed", t.csat, t.closedAt));
            }
        }
        for (Map.Entry<LocalDate, List<Object[]>> day : feed.byDay(cal).entrySet()) {
            out.write(SourceSchema.SUPPORT_TICKETS, day.getKey(), "tickets.jsonl", day.getValue());
        }
        return feed.redeliveries(cal, 0);
    }

    private static Object[] row(Ticket t, Long firstResponse, Long resolved, String status, Integer csat, long at) {
        return new Object[] {t.id, t.account.id, t.contact.id, Timestamps.home(t.createdAt),
            firstResponse == null ? null : Timestamps.home(firstResponse),
            resolved == null ? null : Timestamps.home(resolved), t.priority, t.channel, t.category, status, csat,
            Timestamps.home(at)};
    }
}
