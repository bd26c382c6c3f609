package com.tobwh.generate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Works each account's opportunity through the stages: opened after a demo request or an offline
 * meeting, moved stage by stage, amounts refined, and closed won on the first order or lost.
 */
final class SalesPipeline {
    private static final long DAY = SimCalendar.DAY;
    private static final String[] STAGES = {"lead", "qualified", "proposal", "negotiation"};

    private final long seed;
    private final List<Opportunity> duplicates = new ArrayList<>();

    SalesPipeline(long seed) {
        this.seed = seed;
    }

    /** Soft-deleted duplicates sales created by mistake. */
    List<Opportunity> duplicates() {
        return duplicates;
    }

    void work(Account a) {
        Rng r = Rng.stream(seed, "pipeline", a.index);
        boolean hasOpp = switch (a.fate) {
            case WON, LOST -> true;
            case LEAD -> r.chance(0.35);
        };
        Contact p = a.contacts.get(0);
        long known = Math.max(a.createdAt, p.createdAt);
        if (!hasOpp || known >= a.presalesEnd - DAY) {
            if (a.won()) {
                // A buyer always has an opportunity, even when everything happened within days.
                known = Math.min(known, a.presalesEnd - 2 * DAY);
            } else {
                return;
            }
        }
        Opportunity o = new Opportunity(a);
        o.primaryContact = p;
        o.currency = a.currency;
        long opened = a.demoAt > 0 ? a.demoAt + r.between(1, 5) * DAY
                : known + (long) (r.uniform(0.05, 0.3) * (a.presalesEnd - known));
        opened = SimCalendar.workTime(SimCalendar.dateOf(opened), r);
        long close = a.won()
                ? SimCalendar.workTime(a.firstOrderDate.minusDays(r.between(0, 3)), r)
                : a.presalesEnd;
        if (opened >= close - DAY) {
            opened = Math.max(known + 60, close - DAY - r.between(1, 6) * 3600L);
        }
        o.createdAt = opened;
        BigDecimal acv = PriceBook.acv(a.seats, a.termMonths, a.discount, a.currency);
        int reach = switch (a.fate) {
            case WON -> 4;
            case LOST -> r.between(1, 4);
            case LEAD -> r.between(1, 2);
        };
        BigDecimal estimate = round100(acv.multiply(BigDecimal.valueOf(r.uniform(0.6, 1.6))));
        for (int s = 0; s < reach; s++) {
            long at = s == 0 ? opened : opened + (long) ((close - opened) * (s + r.uniform(-0.3, 0.3)) / (reach + 0.5));
            if (s == 2) {
                estimate = round100(acv.multiply(BigDecimal.valueOf(r.uniform(0.9, 1.2))));
            } else if (s == 3) {
                estimate = round100(acv.multiply(BigDecimal.valueOf(r.uniform(0.95, 1.05))));
            }
            o.changes.add(new Opportunity.Change(Math.max(at, opened), STAGES[s], estimate, false));
            if (s == 1 && r.chance(0.15)) {
                // Amount revised without a stage move: a re-delivery with only updated_at moving.
                long mid = at + (close - at) / 8;
                o.changes.add(new Opportunity.Change(mid, STAGES[s],
                        round100(estimate.multiply(BigDecimal.valueOf(r.uniform(0.8, 1.2)))), false));
            }
        }
        if (a.won()) {
            o.changes.add(new Opportunity.Change(close, "closed_won", acv, false));
        } else if (a.fate == Account.Fate.LOST) {
            o.changes.add(new Opportunity.Change(close, "closed_lost", estimate, false));
        }
        // Stage times must not go backwards even with jitter.
        for (int i = 1; i < o.changes.size(); i++) {
            Opportunity.Change prev = o.changes.get(i - 1);
            Opportunity.Change c = o.changes.get(i);
            if (c.at() <= prev.at()) {
                o.changes.set(i, new Opportunity.Change(prev.at() + 600, c.stage(), c.amount(), c.deleted()));
            }
        }
        a.opportunity = o;
        if (!a.won() && r.chance(0.04)) {
            Opportunity dup = new Opportunity(a);
            dup.primaryContact = p;
            dup.currency = a.currency;
            dup.createdAt = opened + r.between(600, 7200);
            dup.changes.add(new Opportunity.Change(dup.createdAt, "lead", estimate, false));
            dup.changes.add(new Opportunity.Change(dup.createdAt + r.between(1, 10) * DAY, "lead", estimate, true));
            duplicates.add(dup);
        }
    }

    private static BigDecimal round100(BigDecimal v) {
        BigDecimal r = v.divide(BigDecimal.valueOf(100), 0, RoundingMode.HALF_UP).multiply(BigDecimal.valueOf(100));
        return r.max(BigDecimal.valueOf(100)).setScale(2, RoundingMode.UNNECESSARY);
    }
}
