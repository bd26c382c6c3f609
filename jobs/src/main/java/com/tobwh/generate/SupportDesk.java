package com.tobwh.generate;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Raises customers' help-desk tickets while their subscription runs. Unhealthy accounts file more
 * tickets, more urgent ones, and rate the help lower, which is what later drives their churn.
 */
final class SupportDesk {
    private static final String[] PRIORITIES = {"low", "normal", "high", "urgent"};
    private static final String[] CHANNELS = {"email", "chat", "web", "phone"};
    private static final String[] CATEGORIES = {"how_to", "bug", "billing", "integration", "feature_request",
        "account_access", "performance", "data_import"};

    /** Tickets of one stretch of service, [from, to] inclusive. */
    List<Ticket> raise(Account a, LocalDate from, LocalDate to, Rng r) {
        List<Ticket> out = new ArrayList<>();
        long days = to.toEpochDay() - from.toEpochDay() + 1;
        if (days <= 0) {
            return out;
        }
        double perMonth = 0.3 * (1 + 0.35 * Math.log(a.seats)) * Math.exp(-0.75 * a.health);
        int n = r.poisson(perMonth * days / 30.4);
        for (int i = 0; i < n; i++) {
            LocalDate d = from.plusDays(r.nextInt((int) days));
            long created = SimCalendar.workTime(d, r);
            Contact c = contactAt(a, created, r);
            Ticket t = new Ticket(a, c);
            t.createdAt = created;
            int p = r.weighted(25, 50, 18 + 6 * Math.max(0, -a.health), 7 + 5 * Math.max(0, -a.health));
            t.priority = PRIORITIES[p];
            t.channel = CHANNELS[r.weighted(40, 30, 20, 10)];
            t.category = CATEGORIES[r.weighted(22, 20, 10, 12, 10, 8, 10, 8)];
            double responseMinutes = switch (p) {
                case 3 -> r.lognormal(20, 0.6);
                case 2 -> r.lognormal(60, 0.7);
                case 1 -> r.lognormal(180, 0.8);
                default -> r.lognormal(480, 0.8);
            };
            t.firstResponseAt = created + 60 + (long) (responseMinutes * 60);
            t.solvedAt = t.firstResponseAt + 600 + (long) (r.lognormal(20, 1.1) * 3600 * (a.health < -1 ? 1.8 : 1.0));
            t.closedAt = t.solvedAt + r.between(3, 7) * SimCalendar.DAY + r.nextInt(3600);
            if (r.chance(0.65)) {
                double score = 4.0 + 0.7 * a.health + 0.8 * r.gaussian();
                t.csat = (int) Math.max(1, Math.min(5, Math.round(score)));
            }
            out.add(t);
        }
        a.tickets.addAll(out);
        return out;
    }

    private static Contact contactAt(Account a, long t, Rng r) {
        List<Contact> known = new ArrayList<>();
        for (Contact c : a.contacts) {
            if (c.createdAt <= t) {
                known.add(c);
            }
        }
        return known.isEmpty() ? a.contacts.get(0) : r.pick(known);
    }
}
