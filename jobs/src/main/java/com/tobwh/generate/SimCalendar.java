package com.tobwh.generate;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The simulated period and its clock. Instants are epoch seconds; calendar dates are those of
 * Asia/Shanghai (+08:00), the company's home zone, which also decides each file's dt folder.
 */
record SimCalendar(LocalDate start, int days) {
    public static final ZoneOffset HOME = ZoneOffset.ofHours(8);
    public static final long DAY = 86_400L;

    public LocalDate end() {
        return start.plusDays(days - 1L);
    }

    public LocalDate date(int index) {
        return start.plusDays(index);
    }

    public int index(LocalDate d) {
        return (int) (d.toEpochDay() - start.toEpochDay());
    }

    public boolean contains(LocalDate d) {
        return !d.isBefore(start) && !d.isAfter(end());
    }

    /** First second after the period: nothing at or after it is delivered. */
    public long endInstant() {
        return midnight(end().plusDays(1));
    }

    public long startInstant() {
        return midnight(start);
    }

    public static long midnight(LocalDate d) {
        return d.toEpochDay() * DAY - HOME.getTotalSeconds();
    }

    public static LocalDate dateOf(long instant) {
        return LocalDate.ofEpochDay(Math.floorDiv(instant + HOME.getTotalSeconds(), DAY));
    }

    public static boolean weekend(LocalDate d) {
        return d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY;
    }

    /** A time of day when people at work use the web, CRM or help desk: mostly 9-18, some evenings. */
    public static long workTime(LocalDate d, Rng r) {
        int hour = switch (r.weighted(1, 2, 10, 12, 12, 6, 11, 12, 11, 9, 6, 4, 3, 2, 1)) {
            case 0 -> 7;
            case 1 -> 8;
            case 2 -> 9;
            case 3 -> 10;
            case 4 -> 11;
            case 5 -> 12;
            case 6 -> 13;
            case 7 -> 14;
            case 8 -> 15;
            case 9 -> 16;
            case 10 -> 17;
            case 11 -> 18;
            case 12 -> 20;
            case 13 -> 21;
            default -> 23;
        };
        return midnight(d) + hour * 3600L + r.nextInt(3600);
    }

    public static LocalDateTime local(long instant, ZoneOffset offset) {
        return LocalDateTime.ofEpochSecond(instant, 0, offset);
    }
}
