package com.tobwh.generate;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * Runs each customer's subscription through the billing system: the first order closing its
 * opportunity, renewals at every term end unless the account churns (likelier with many tickets
 * and low CSAT), contractions, mid-term expansions, refunds and cancellations.
 */
final class BillingSimulator {
    private final SimCalendar cal;
    private final long seed;
    private final SupportDesk desk;

    BillingSimulator(SimCalendar cal, long seed, SupportDesk desk) {
        this.cal = cal;
        this.seed = seed;
        this.desk = desk;
    }

    void bill(Account a) {
        Rng r = Rng.stream(seed, "billing", a.index);
        LocalDate end = cal.end();
        // Billing cycles never anchor on the 29th-31st, so every period is whole months (also across February).
        LocalDate anchor = a.firstOrderDate.getDayOfMonth() > 28
                ? a.firstOrderDate.withDayOfMonth(1).plusMonths(1) : a.firstOrderDate;
        int term = a.termMonths;
        int seats = a.seats;
        Order first = order(a, a.firstOrderDate, "new", seats,
                PriceBook.price(seats, term, term, a.discount, a.currency), anchor,
                anchor.plusMonths(term).minusDays(1));
        first.opportunity = a.opportunity;
        for (int k = 0; ; k++) {
            LocalDate termStart = anchor.plusMonths((long) k * term);
            LocalDate termEnd = anchor.plusMonths((long) (k + 1) * term).minusDays(1);
            List<Ticket> tickets = desk.raise(a, termStart, termEnd.isAfter(end) ? end : termEnd, r);
            for (int m = 1; m < term; m++) {
                LocalDate anniversary = anchor.plusMonths((long) k * term + m);
                if (anniversary.isAfter(end)) {
                    break;
                }
                // Healthy accounts grow into more seats mid-term; the add-on runs to the current term end.
                if (r.chance(0.035 * Math.exp(0.5 * a.health))) {
                    int added = Math.max(1, (int) Math.round(seats * r.uniform(0.1, 0.5)));
                    BigDecimal amount = PriceBook.price(seats + added, term - m, term, a.discount, a.currency)
                            .subtract(PriceBook.price(seats, term - m, term, a.discount, a.currency));
                    seats += added;
                    if (amount.signum() > 0) {
                        Order x = order(a, anniversary, "expansion", seats, amount, anniversary, termEnd);
                        x.seats = added;
                        if (r.chance(0.10)) {
                            x.laterStatus = "refunded";
                            x.statusDate = anniversary.plusDays(r.between(3, 30));
                        }
                    }
                }
            }
            LocalDate nextStart = termEnd.plusDays(1);
            LocalDate invoiceDate = nextStart.minusDays(Math.min(r.between(0, 5), term * 20L));
            if (invoiceDate.isAfter(end)) {
                return;
            }
            double p = churnProbability(term, tickets, termEnd.toEpochDay() - termStart.toEpochDay() + 1);
            boolean churn = r.chance(p);
            String type = "renewal";
            if (!churn && seats > 1 && r.chance(0.12)) {
                seats = Math.max(1, (int) Math.round(seats * r.uniform(0.55, 0.9)));
                type = "contraction";
            } else if (!churn && term < 12 && r.chance(0.1)) {
                seats += Math.max(1, (int) Math.round(seats * r.uniform(0.05, 0.25)));
            }
            if (churn) {
                int how = r.weighted(65, 15, 20);
                if (how == 0) {
                    a.churnTime = SimCalendar.midnight(nextStart);
                    return;
                }
                // The renewal went out automatically and was then taken back.
                Order o = order(a, invoiceDate, "renewal", seats,
                        PriceBook.price(seats, term, term, a.discount, a.currency), nextStart,
                        nextStart.plusMonths(term).minusDays(1));
                o.laterStatus = how == 1 ? "cancelled" : "refunded";
                o.statusDate = invoiceDate.plusDays(how == 1 ? r.between(1, 10) : r.between(5, 30));
                a.churnTime = SimCalendar.midnight(o.statusDate);
                return;
            }
            order(a, invoiceDate, type, seats, PriceBook.price(seats, term, term, a.discount, a.currency), nextStart,
                    anchor.plusMonths((long) (k + 2) * term).minusDays(1));
        }
    }

    /** Base churn by term length, raised by ticket load and by poor satisfaction in the term. */
    static double churnProbability(int termMonths, List<Ticket> tickets, long termDays) {
        double base = termMonths >= 12 ? 0.16 : termMonths >= 3 ? 0.07 : 0.03;
        double perMonth = tickets.size() / Math.max(1.0, termDays / 30.4);
        double sum = 0;
        int rated = 0;
        for (Ticket t : tickets) {
            if (t.csat != null) {
                sum += t.csat;
                rated++;
            }
        }
        double csatFactor = rated == 0 ? 1.1 : sum / rated < 3.0 ? 2.5 : sum / rated < 3.6 ? 1.6 : 1.0;
        return Math.min(0.9, base * Math.exp(0.9 * (perMonth - 0.5)) * csatFactor);
    }

    private Order order(Account a, LocalDate date, String type, int seats, BigDecimal amount, LocalDate from,
                        LocalDate to) {
        Order o = new Order(a, a.orders.size());
        o.orderDate = date;
        o.type = type;
        o.seats = seats;
        o.plan = PriceBook.planFor(seats);
        o.amount = amount;
        o.currency = a.currency;
        o.serviceStart = from;
        o.serviceEnd = to;
        a.orders.add(o);
        return o;
    }
}
