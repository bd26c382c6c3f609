package com.tobwh.generate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Plans every web session: the anonymous browsing, sign-up and later visits of each account's
 * contacts (first visit first, so the planted channel is the true first touch), customers' product
 * use, and the large crowd of visitors who never identify.
 */
final class JourneyPlanner {
    static final double ANONYMOUS_VISITORS_PER_DAY = 210;
    private static final long HOUR = 3600L;
    private static final long DAY = SimCalendar.DAY;
    private static final long WEEK = 7 * DAY;

    static final List<String> DESKTOP_AGENTS = List.of(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 Edg/122.0.0.0",
            "Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/108.0.5359.95 Safari/537.36 QIHU 360SE",
            "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0");
    static final List<String> MOBILE_AGENTS = List.of(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47 NetType/WIFI Language/zh_CN",
            "Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Mobile Safari/537.36",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Linux; Android 13; HarmonyOS; ALN-AL00) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0 Mobile Safari/537.36");

    private final SimCalendar cal;
    private final long seed;
    private final double scale;
    private final TrafficSourceFactory traffic;
    private final HexIds anonIds;
    private final List<WebSession> sessions = new ArrayList<>();
    private long seq;

    JourneyPlanner(SimCalendar cal, long seed, double scale, TrafficSourceFactory traffic) {
        this.cal = cal;
        this.seed = seed;
        this.scale = scale;
        this.traffic = traffic;
        this.anonIds = new HexIds("anon_", seed);
    }

    /** Sessions by start time (ties in planning order), the order the renderer needs. */
    List<WebSession> sessions() {
        sessions.sort(Comparator.comparingLong((WebSession s) -> s.start).thenComparingLong(s -> s.seq));
        return sessions;
    }

    // ---- accounts before they buy ----

    void planPresales(Account a) {
        Rng r = Rng.stream(seed, "journey", a.index);
        Contact p = a.contacts.get(0);
        long end = a.presalesEnd;
        if (a.origin != FirstTouchGroup.OFFLINE) {
            device(p, r);
            long window = Math.max(HOUR, Math.min(21 * DAY, (long) ((end - a.firstVisit) * 0.35)));
            int pre = r.weighted(30, 33, 22, 15);
            WebSession signup;
            if (pre == 0) {
                signup = add(a.firstVisit, p, a.originSource, WebSession.Intent.SIGNUP);
                signup.defining = true;
            } else {
                WebSession first = add(a.firstVisit, p, a.originSource,
                        new WebSession.Intent[] {WebSession.Intent.BROWSE, WebSession.Intent.BOUNCE,
                            WebSession.Intent.FORM}[r.weighted(60, 25, 15)]);
                first.defining = true;
                long[] times = sortedTimes(r, pre, a.firstVisit + HOUR / 2, a.firstVisit + window);
                signup = null;
                for (int i = 0; i < pre; i++) {
                    boolean last = i == pre - 1;
                    TrafficSource src = traffic.returning(a.origin, day(times[i]), a.foreign, false, r);
                    WebSession s = add(times[i], p, src, last ? WebSession.Intent.SIGNUP : WebSession.Intent.BROWSE);
                    if (last) {
                        signup = s;
                    }
                }
            }
            identify(p, signup, "signup", r.between(60, 900));
            a.createdAt = p.createdAt;
        } else {
            p.createdAt = a.originTime;
            p.leadSource = a.leadSource;
            a.createdAt = p.createdAt - r.between(60, 1800);
            if (a.won() || r.chance(0.6)) {
                device(p, r);
                WebSession s = add(a.firstVisit, p, traffic.firstTouch(FirstTouchGroup.OFFLINE, day(a.firstVisit),
                        a.foreign, r), WebSession.Intent.LOGIN);
                s.defining = true;
                identify(p, s, "login", r.between(20, 180));
            }
        }
        double primaryRate = switch (a.fate) {
            case WON -> 1.0;
            case LOST -> 0.5;
            case LEAD -> 0.3;
        };
        double demoChance = switch (a.fate) {
            case WON -> 1.0;
            case LOST -> 0.5;
            case LEAD -> 0.15;
        };
        if (p.anonymousId != null && p.identifiedAt < end) {
            engage(a, p, p.identifiedAt + HOUR, end, primaryRate, r);
            if (r.chance(demoChance * (a.origin == FirstTouchGroup.OFFLINE ? 0.5 : 1.0))) {
                long t = inWorkHours(r, p.identifiedAt + (long) ((end - p.identifiedAt) * r.uniform(0.08, 0.3)),
                        p.identifiedAt + HOUR, end);
                WebSession demo = add(t, p, traffic.returning(a.origin, day(t), a.foreign, true, r),
                        WebSession.Intent.DEMO);
                a.demoAt = demo.start + 240;
            }
        }
        long lo = Math.max(a.createdAt, a.firstVisit) + DAY;
        for (int k = 1; k < a.contacts.size(); k++) {
            Contact c = a.contacts.get(k);
            if (c.entry == Contact.Entry.PRODUCT_INVITE) {
                continue;
            }
            long hi = end - DAY;
            if (c.entry == Contact.Entry.WEB_SIGNUP && hi - lo > 2 * DAY) {
                device(c, r);
                long first = inWorkHours(r, lo + (long) (r.nextDouble() * (hi - lo)), lo, hi);
                int pre = r.between(0, 2);
                long[] times = sortedTimes(r, pre, first, Math.min(hi, first + 7 * DAY));
                for (int i = 0; i < pre; i++) {
                    add(times[i], c, traffic.returning(a.origin, day(times[i]), a.foreign, false, r),
                            WebSession.Intent.BROWSE);
                }
                long t = pre == 0 ? first : times[pre - 1] + r.between(1, 48) * HOUR;
                WebSession s = add(t, c, r.chance(0.5) ? traffic.productInvite()
                        : traffic.returning(a.origin, day(t), a.foreign, false, r), WebSession.Intent.SIGNUP);
                identify(c, s, "signup", r.between(60, 600));
                engage(a, c, c.identifiedAt + HOUR, end, primaryRate * 0.6, r);
            } else {
                c.entry = Contact.Entry.SALES_ADDED;
                long from = lo;
                long to = Math.max(from + HOUR, end);
                c.createdAt = SimCalendar.workTime(SimCalendar.dateOf(from + (long) (r.nextDouble() * (to - from))), r);
                c.createdAt = Math.max(c.createdAt, from);
                if (a.origin == FirstTouchGroup.OFFLINE && r.chance(0.5)) {
                    c.leadSource = a.leadSource;
                }
                if (r.chance(0.4)) {
                    device(c, r);
                    long t = c.createdAt + DAY + (long) (r.nextDouble() * 20 * DAY);
                    WebSession s = add(t, c, traffic.direct(r), WebSession.Intent.LOGIN);
                    identify(c, s, "login", r.between(20, 180));
                    engage(a, c, c.identifiedAt + HOUR, end, primaryRate * 0.5, r);
                }
            }
        }
    }

    // ---- customers ----

    /** Colleagues a new customer invites into the product in its first weeks. */
    void planInvites(Account a) {
        Rng r = Rng.stream(seed, "invites", a.index);
        long from = SimCalendar.midnight(a.firstOrderDate);
        for (Contact c : a.contacts) {
            if (c.entry != Contact.Entry.PRODUCT_INVITE) {
                continue;
            }
            device(c, r);
            long t = SimCalendar.workTime(SimCalendar.dateOf(from + r.between(3, 25) * DAY), r);
            WebSession s = add(t, c, traffic.productInvite(), WebSession.Intent.SIGNUP);
            identify(c, s, "signup", r.between(60, 600));
        }
    }

    /** Product use while the subscription runs: logins and visits of every identified contact. */
    void planUsage(Account a) {
        Rng r = Rng.stream(seed, "usage", a.index);
        long from = SimCalendar.midnight(a.firstOrderDate) + 10 * HOUR;
        long stop = Math.min(a.churnTime, cal.endInstant());
        for (Contact c : a.contacts) {
            if (c.anonymousId == null || c.identifiedAt >= stop) {
                continue;
            }
            long begin = Math.max(from, c.identifiedAt + HOUR);
            if (begin >= stop) {
                continue;
            }
            int n = r.poisson(0.55 * (stop - begin) / WEEK);
            for (long t : sortedTimes(r, n, begin, stop)) {
                TrafficSource src = r.chance(0.75) ? traffic.direct(r) : traffic.email(r);
                WebSession.Intent intent = new WebSession.Intent[] {WebSession.Intent.APP, WebSession.Intent.BROWSE,
                    WebSession.Intent.BOUNCE}[r.weighted(60, 25, 15)];
                add(t, c, src, intent);
            }
        }
    }

    /** Colleagues sharing a computer: one device later used by a second contact of the same account. */
    void planIdentityConflicts(List<Account> accounts) {
        Rng r = Rng.stream(seed, "identity-conflicts", 0);
        List<Account> candidates = new ArrayList<>();
        for (Account a : accounts) {
            if (a.customer && webContacts(a).size() >= 2) {
                candidates.add(a);
            }
        }
        int k = Math.min(candidates.size(), Math.max(1, (int) Math.round(8 * scale * cal.days() / 365.0)));
        r.shuffle(candidates);
        for (Account a : candidates.subList(0, k)) {
            List<Contact> web = webContacts(a);
            Contact owner = web.get(0);
            Contact other = web.get(1 + r.nextInt(web.size() - 1));
            long t = Math.max(owner.identifiedAt, other.identifiedAt) + r.between(1, 20) * DAY;
            if (t < Math.min(a.churnTime, cal.endInstant())) {
                WebSession s = new WebSession(t, owner.anonymousId, owner.userAgent, owner.mobile, traffic.direct(r),
                        WebSession.Intent.APP, other);
                keep(s);
            }
        }
    }

    private static List<Contact> webContacts(Account a) {
        List<Contact> web = new ArrayList<>();
        for (Contact c : a.contacts) {
            if (c.anonymousId != null && c.identifiedAt < Long.MAX_VALUE) {
                web.add(c);
            }
        }
        return web;
    }

    // ---- visitors who never identify ----

    void planAnonymous() {
        Rng r = Rng.stream(seed, "anonymous", 0);
        for (int d = 0; d < cal.days(); d++) {
            boolean weekend = SimCalendar.weekend(cal.date(d));
            int visitors = Math.max(1, r.poisson(ANONYMOUS_VISITORS_PER_DAY * scale * (weekend ? 0.55 : 1.15)));
            for (int v = 0; v < visitors; v++) {
                boolean mobile = r.chance(0.25);
                String anon = anonIds.next();
                String ua = r.pick(mobile ? MOBILE_AGENTS : DESKTOP_AGENTS);
                long t = SimCalendar.workTime(cal.date(d), r);
                int n = 1;
                while (n < 8 && r.chance(0.4)) {
                    n++;
                }
                for (int i = 0; i < n; i++) {
                    TrafficSource src = i == 0 || r.chance(0.5) ? traffic.anonymous(day(t), r) : traffic.direct(r);
                    WebSession.Intent intent = new WebSession.Intent[] {WebSession.Intent.BOUNCE,
                        WebSession.Intent.BROWSE, WebSession.Intent.FORM}[r.weighted(45, 45, 10)];
                    keep(new WebSession(t, anon, ua, mobile, src, intent, null));
                    t = SimCalendar.workTime(SimCalendar.dateOf(t + (long) (r.exponential(6) * DAY) + DAY), r);
                }
            }
        }
    }

    // ---- identity ----

    /**
     * Walks each device's sessions in time order and decides what user_id the tracker holds: a
     * known contact who is not the device's current user logs in. Returns the number of devices
     * that end up tied to more than one contact (identity conflicts).
     */
    int settleDevices() {
        List<WebSession> byDevice = new ArrayList<>(sessions);
        byDevice.sort(Comparator.comparing((WebSession s) -> s.anonymousId).thenComparingLong(s -> s.start)
                .thenComparingLong(s -> s.seq));
        Rng r = Rng.stream(seed, "settle", 0);
        int conflicts = 0;
        String device = null;
        Contact state = null;
        Set<Contact> users = new LinkedHashSet<>();
        for (WebSession s : byDevice) {
            if (!s.anonymousId.equals(device)) {
                conflicts += users.size() > 1 ? 1 : 0;
                users.clear();
                device = s.anonymousId;
                state = null;
            }
            s.userAtStart = state;
            if (s.actor == null) {
                continue;
            }
            if (s.identifyEvent != null) {
                state = s.actor;
            } else if (s.actor.identifiedAt <= s.start && state != s.actor) {
                s.identifyEvent = "login";
                s.identifyOffset = r.between(15, 120);
                state = s.actor;
            }
            if (state != null) {
                users.add(state);
            }
        }
        conflicts += users.size() > 1 ? 1 : 0;
        return conflicts;
    }

    // ---- helpers ----

    private void engage(Account a, Contact c, long from, long to, double perWeek, Rng r) {
        if (to <= from) {
            return;
        }
        int n = r.poisson(perWeek * (to - from) / WEEK);
        for (long t : sortedTimes(r, n, from, to)) {
            WebSession.Intent intent = new WebSession.Intent[] {WebSession.Intent.BROWSE, WebSession.Intent.BOUNCE,
                WebSession.Intent.FORM, WebSession.Intent.LOGIN}[r.weighted(50, 15, 10, 25)];
            add(t, c, traffic.returning(a.origin, day(t), a.foreign, true, r), intent);
        }
    }

    private void identify(Contact c, WebSession s, String event, int offsetSeconds) {
        s.identifyEvent = event;
        s.identifyOffset = offsetSeconds;
        c.identifiedAt = s.start + offsetSeconds;
        if (event.equals("signup")) {
            // The product creates the CRM contact the moment the person signs up.
            c.createdAt = c.identifiedAt;
        }
    }

    private void device(Contact c, Rng r) {
        c.mobile = r.chance(0.15);
        c.anonymousId = anonIds.next();
        c.userAgent = r.pick(c.mobile ? MOBILE_AGENTS : DESKTOP_AGENTS);
    }

    private WebSession add(long start, Contact c, TrafficSource source, WebSession.Intent intent) {
        WebSession s = new WebSession(start, c.anonymousId, c.userAgent, c.mobile, source, intent, c);
        keep(s);
        return s;
    }

    private void keep(WebSession s) {
        s.seq = seq++;
        // Sessions outside the period are planned (identity depends on them) but never delivered.
        sessions.add(s);
    }

    private int day(long t) {
        return cal.index(SimCalendar.dateOf(t));
    }

    /** People browse at work: the time moves to working hours of its day unless that leaves [from, to). */
    private static long inWorkHours(Rng r, long t, long from, long to) {
        long work = SimCalendar.workTime(SimCalendar.dateOf(t), r);
        return work >= from && work < to ? work : t;
    }

    /** Sorted random times in [from, to), in working hours where possible. */
    private static long[] sortedTimes(Rng r, int n, long from, long to) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = inWorkHours(r, from + (long) (r.nextDouble() * Math.max(1, to - from)), from, to);
        }
        java.util.Arrays.sort(t);
        return t;
    }
}
