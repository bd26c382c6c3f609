package com.tobwh.generate;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * A changed-rows export: every state change of a record is delivered on the day it happens; a
 * record changing twice in a day is exported once, in its latest state of that day.
 */
final class ChangeFeed {
    private record Change(long at, String id, long order, Object[] row) {
    }

    private final List<Change> changes = new ArrayList<>();
    private long order;

    void add(long at, String id, Object[] row) {
        changes.add(new Change(at, id, order++, row));
    }

    /** Rows per delivery day within the period, ordered by change time then id. */
    TreeMap<LocalDate, List<Object[]>> byDay(SimCalendar cal) {
        List<Change> sorted = new ArrayList<>();
        long endInstant = cal.endInstant();
        long startInstant = cal.startInstant();
        for (Change c : changes) {
            if (c.at() >= startInstant && c.at() < endInstant) {
                sorted.add(c);
            }
        }
        sorted.sort(Comparator.comparing((Change c) -> SimCalendar.dateOf(c.at())).thenComparing(Change::id)
                .thenComparingLong(Change::at).thenComparingLong(Change::order));
        List<Change> kept = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            Change c = sorted.get(i);
            boolean lastOfDay = i == sorted.size() - 1 || !sorted.get(i + 1).id().equals(c.id())
                    || !SimCalendar.dateOf(sorted.get(i + 1).at()).equals(SimCalendar.dateOf(c.at()));
            if (lastOfDay) {
                kept.add(c);
            }
        }
        kept.sort(Comparator.comparingLong(Change::at).thenComparing(Change::id).thenComparingLong(Change::order));
        TreeMap<LocalDate, List<Object[]>> days = new TreeMap<>();
        for (Change c : kept) {
            days.computeIfAbsent(SimCalendar.dateOf(c.at()), d -> new ArrayList<>()).add(c.row());
        }
        return days;
    }

    /** Rows delivered again for a record already delivered on an earlier day. */
    long redeliveries(SimCalendar cal, int idColumn) {
        Set<Object> seen = new HashSet<>();
        long again = 0;
        for (List<Object[]> rows : byDay(cal).values()) {
            for (Object[] row : rows) {
                if (!seen.add(row[idColumn])) {
                    again++;
                }
            }
        }
        return again;
    }
}
