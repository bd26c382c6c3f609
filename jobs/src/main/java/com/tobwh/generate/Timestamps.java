package com.tobwh.generate;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Renders instants as the contract's ISO-8601-with-offset text, fast enough for every web event. */
final class Timestamps {
    private Timestamps() {
    }

    /** {@code 2026-03-01T09:15:00+08:00}. */
    public static String home(long instant) {
        return format(instant, SimCalendar.HOME);
    }

    /** The same instant as a UTC-clock source (the mobile SDK) writes it: {@code ...+00:00}. */
    public static String utc(long instant) {
        return format(instant, ZoneOffset.UTC);
    }

    public static String format(long instant, ZoneOffset offset) {
        LocalDateTime t = SimCalendar.local(instant, offset);
        StringBuilder b = new StringBuilder(25);
        appendDate(b, t.toLocalDate());
        b.append('T');
        pad2(b, t.getHour());
        b.append(':');
        pad2(b, t.getMinute());
        b.append(':');
        pad2(b, t.getSecond());
        int secs = offset.getTotalSeconds();
        b.append(secs < 0 ? '-' : '+');
        int abs = Math.abs(secs);
        pad2(b, abs / 3600);
        b.append(':');
        pad2(b, abs % 3600 / 60);
        return b.toString();
    }

    public static String date(LocalDate d) {
        StringBuilder b = new StringBuilder(10);
        appendDate(b, d);
        return b.toString();
    }

    private static void appendDate(StringBuilder b, LocalDate d) {
        b.append(d.getYear()).append('-');
        pad2(b, d.getMonthValue());
        b.append('-');
        pad2(b, d.getDayOfMonth());
    }

    private static void pad2(StringBuilder b, int v) {
        if (v < 10) {
            b.append('0');
        }
        b.append(v);
    }
}
