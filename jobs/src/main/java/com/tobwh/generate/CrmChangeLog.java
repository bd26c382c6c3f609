package com.tobwh.generate;

import java.util.ArrayList;
import java.util.List;

/**
 * The CRM's history as changed-row feeds of accounts, contacts and opportunities: creations,
 * owner hand-overs, slowly changing firmographics, contacts moved between accounts, soft deletes.
 */
final class CrmChangeLog {
    private static final long DAY = SimCalendar.DAY;

    final ChangeFeed accounts = new ChangeFeed();
    final ChangeFeed contacts = new ChangeFeed();
    final ChangeFeed opportunities = new ChangeFeed();
    private final long seed;

    CrmChangeLog(long seed) {
        this.seed = seed;
    }

    void record(List<Account> all, List<Opportunity> duplicateOpps) {
        List<Account> movable = new ArrayList<>();
        for (Account a : all) {
            if (!a.won() && a.duplicateOf == null) {
                movable.add(a);
            }
        }
        for (Account a : all) {
            account(a);
        }
        for (Account a : all) {
            for (Contact c : a.contacts) {
                contact(c, movable);
            }
        }
        for (Account a : all) {
            if (a.opportunity != null) {
                opportunity(a.opportunity);
            }
        }
        for (Opportunity o : duplicateOpps) {
            opportunity(o);
        }
    }

    private void account(Account a) {
        Rng r = Rng.stream(seed, "crm-account", a.index);
        String owner = a.owner;
        String industry = a.industry;
        String band = a.band;
        accounts.add(a.createdAt, a.id, accountRow(a, industry, band, owner, a.createdAt, false));
        if (a.duplicateOf != null) {
            // Sales noticed the duplicate and soft-deleted it.
            long t = a.createdAt + r.between(1, 20) * DAY + r.nextInt(3600);
            accounts.add(t, a.id, accountRow(a, industry, band, owner, t, true));
            return;
        }
        List<long[]> events = new ArrayList<>();
        if (a.customer && r.chance(0.4)) {
            events.add(new long[] {SimCalendar.workTime(a.firstOrderDate.plusDays(r.between(3, 20)), r), 0});
        }
        if (r.chance(0.08)) {
            events.add(new long[] {a.createdAt + (long) (r.uniform(5, 200) * DAY), 1});
        }
        if (r.chance(0.05)) {
            events.add(new long[] {a.createdAt + (long) (r.uniform(20, 300) * DAY), 2});
        }
        if (r.chance(0.03)) {
            events.add(new long[] {a.createdAt + (long) (r.uniform(1, 100) * DAY), 3});
        }
        events.sort((x, y) -> Long.compare(x[0], y[0]));
        for (long[] e : events) {
            switch ((int) e[1]) {
                case 0 -> owner = r.pick(Firmographics.CSMS);
                case 1 -> owner = other(owner, a.foreign ? Firmographics.FOREIGN_REPS : Firmographics.REPS, r);
                case 2 -> {
                    int b = Firmographics.BANDS.indexOf(band);
                    if (b < 3 && r.chance(0.6)) {
                        band = Firmographics.BANDS.get(b + 1);
                    } else {
                        industry = industry.equals("software") ? "media" : "software";
                    }
                }
                default -> {
                    // A sync touched the record: same attributes, newer updated_at.
                }
            }
            accounts.add(e[0], a.id, accountRow(a, industry, band, owner, e[0], false));
        }
    }

    private static Object[] accountRow(Account a, String industry, String band, String owner, long at,
                                       boolean deleted) {
        return new Object[] {a.id, a.name, industry, band, a.region, owner, Timestamps.home(a.createdAt),
            Timestamps.home(at), deleted};
    }

    private void contact(Contact c, List<Account> movable) {
        Account a = c.account;
        if (c.createdAt == Long.MAX_VALUE) {
            // Never created: an invite of a deal that closes after the period.
            return;
        }
        Rng r = Rng.stream(seed, "crm-contact", (long) a.index * 64 + c.seq);
        contacts.add(c.createdAt, c.id, contactRow(c, a, c.createdAt, false));
        if (!a.won() && r.chance(0.012)) {
            long t = c.createdAt + (long) (r.uniform(3, 120) * DAY);
            Account target = r.pick(movable);
            if (target != a && target.createdAt < t) {
                c.movedTo = target;
                c.movedAt = t;
                contacts.add(t, c.id, contactRow(c, target, t, false));
                return;
            }
        }
        if (!a.won() && r.chance(0.01)) {
            long t = c.createdAt + (long) (r.uniform(1, 60) * DAY);
            c.deletedAt = t;
            contacts.add(t, c.id, contactRow(c, a, t, true));
        } else if (r.chance(0.02)) {
            long t = c.createdAt + (long) (r.uniform(1, 90) * DAY);
            contacts.add(t, c.id, contactRow(c, a, t, false));
        }
    }

    private static Object[] contactRow(Contact c, Account owner, long at, boolean deleted) {
        return new Object[] {c.id, owner.id, c.email, c.leadSource, Timestamps.home(c.createdAt), Timestamps.home(at),
            deleted};
    }

    private void opportunity(Opportunity o) {
        for (Opportunity.Change ch : o.changes) {
            Object closed = ch.stage().startsWith("closed_") ? Timestamps.home(ch.at()) : null;
            opportunities.add(ch.at(), o.id, new Object[] {o.id, o.account.id, o.primaryContact.id, ch.stage(),
                ch.amount(), o.currency, Timestamps.home(o.createdAt), closed, Timestamps.home(ch.at()),
                ch.deleted()});
        }
    }

    private static String other(String current, List<String> pool, Rng r) {
        String next = r.pick(pool);
        return next.equals(current) ? pool.get((pool.indexOf(next) + 1) % pool.size()) : next;
    }
}
