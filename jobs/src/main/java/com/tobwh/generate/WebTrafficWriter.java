package com.tobwh.generate;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Turns planned sessions into tracker events and delivers them at least once: per day an
 * {@code events.jsonl.gz}, on some days a plain {@code events-mobile.jsonl} from the mobile SDK
 * (UTC offsets), with retried duplicates, events landing 1-3 days late, a few events without
 * session_id, and one truncated retry file.
 */
final class WebTrafficWriter {
    static final String MAIN_FILE = "events.jsonl.gz";
    static final String MOBILE_FILE = "events-mobile.jsonl";
    static final String RETRY_FILE = "events-retry.jsonl.gz";
    static final double LATE_SHARE = 0.02;
    static final double DUPLICATE_SHARE = 0.005;
    static final double MISSING_SESSION_SHARE = 0.004;

    private final SimCalendar cal;
    private final LandingZoneWriter writer;
    private final Rng r;
    private final HexIds eventIds;
    private final HexIds sessionIds;
    private final boolean plantBadFile;
    private final TreeMap<LocalDate, Day> pending = new TreeMap<>();
    private final List<Object[]> firstDayCopies = new ArrayList<>();
    private long events;
    private long late;
    private long duplicates;

    private static final class Day {
        final List<Object[]> main = new ArrayList<>();
        final List<Object[]> mobile = new ArrayList<>();
    }

    WebTrafficWriter(SimCalendar cal, LandingZoneWriter writer, long seed, boolean plantBadFile) {
        this.cal = cal;
        this.writer = writer;
        this.r = Rng.stream(seed, "web-render", 0);
        this.eventIds = new HexIds("evt_", seed);
        this.sessionIds = new HexIds("ses_", seed);
        this.plantBadFile = plantBadFile;
    }

    long events() { return events; }
    long lateEvents() { return late; }
    long duplicates() { return duplicates; }

    /** Writes every day's files; {@code sessions} must be ordered by start time. */
    void write(List<WebSession> sessions) {
        int i = 0;
        long startInstant = cal.startInstant();
        while (i < sessions.size() && sessions.get(i).start < startInstant) {
            i++;
        }
        for (int d = 0; d < cal.days(); d++) {
            LocalDate day = cal.date(d);
            long next = SimCalendar.midnight(day.plusDays(1));
            while (i < sessions.size() && sessions.get(i).start < next) {
                render(sessions.get(i++));
            }
            Day files = pending.remove(day);
            if (files != null) {
                writer.write(SourceSchema.WEB_EVENTS, day, MAIN_FILE, files.main);
                writer.write(SourceSchema.WEB_EVENTS, day, MOBILE_FILE, files.mobile);
                if (d == 0) {
                    firstDayCopies.addAll(files.main.subList(0, Math.min(40, files.main.size())));
                }
            }
            if (d == 1 && plantBadFile && cal.days() >= 3 && !firstDayCopies.isEmpty()) {
                writer.writeTruncatedGzip(SourceSchema.WEB_EVENTS, day, RETRY_FILE, firstDayCopies);
            }
        }
    }

    private void render(WebSession s) {
        List<String[]> steps = steps(s);
        int identifyAt = -1;
        if (s.identifyEvent != null) {
            for (int k = 0; k < steps.size(); k++) {
                if (steps.get(k)[0].equals(s.identifyEvent)) {
                    identifyAt = k;
                    break;
                }
            }
        }
        String sessionId = sessionIds.next();
        // The mobile SDK (its own file on every fourth day) stamps times in UTC.
        boolean sdk = s.mobile && cal.index(SimCalendar.dateOf(s.start)) % 4 == 2;
        long t = s.start;
        String previousUrl = null;
        for (int k = 0; k < steps.size(); k++) {
            if (identifyAt >= 0) {
                t = k < identifyAt ? s.start + (long) s.identifyOffset * k / identifyAt
                        : k == identifyAt ? s.start + s.identifyOffset : t + r.between(15, 240);
            } else if (k > 0) {
                t += r.between(8, 300);
            }
            Contact user = identifyAt >= 0 && k >= identifyAt ? s.actor : s.userAtStart;
            boolean first = k == 0;
            TrafficSource src = s.source;
            String url = steps.get(k)[1];
            Object[] row = {
                eventIds.next(),
                sdk ? Timestamps.utc(t) : Timestamps.home(t),
                s.anonymousId,
                user == null ? null : user.id,
                !first && !s.defining && r.chance(MISSING_SESSION_SHARE) ? null : sessionId,
                steps.get(k)[0],
                url,
                first ? src.referrer() : previousUrl,
                first ? src.utmSource() : null,
                first ? src.utmMedium() : null,
                first ? src.utmCampaign() : null,
                first ? src.utmContent() : null,
                first ? src.utmTerm() : null,
                s.userAgent};
            previousUrl = url;
            deliver(row, SimCalendar.dateOf(t), sdk);
        }
    }

    private void deliver(Object[] row, LocalDate eventDate, boolean sdk) {
        if (eventDate.isAfter(cal.end())) {
            return;
        }
        events++;
        LocalDate landing = eventDate;
        if (r.chance(LATE_SHARE)) {
            int lag = 1 + r.weighted(60, 30, 10);
            if (!eventDate.plusDays(lag).isAfter(cal.end())) {
                landing = eventDate.plusDays(lag);
                late++;
            }
        }
        add(landing, row, sdk);
        if (r.chance(DUPLICATE_SHARE)) {
            // A retry lands in the same file or up to the 3-day lateness limit.
            int room = 3 - (int) (landing.toEpochDay() - eventDate.toEpochDay());
            LocalDate again = r.chance(0.6) || room == 0 ? landing : landing.plusDays(r.between(1, room));
            if (!again.isAfter(cal.end())) {
                add(again, row, sdk);
                duplicates++;
            }
        }
    }

    private void add(LocalDate landing, Object[] row, boolean sdk) {
        Day d = pending.computeIfAbsent(landing, k -> new Day());
        boolean mobileFile = sdk && cal.index(landing) % 4 == 2;
        (mobileFile ? d.mobile : d.main).add(row);
    }

    private List<String[]> steps(WebSession s) {
        String site = TrafficSourceFactory.SITE;
        String app = TrafficSourceFactory.APP;
        List<String[]> steps = new ArrayList<>();
        steps.add(new String[] {"page_view", s.source.landingUrl(site)});
        switch (s.intent) {
            case BOUNCE -> {
            }
            case BROWSE -> {
                int n = r.between(1, 5);
                for (int i = 0; i < n; i++) {
                    steps.add(new String[] {"page_view", site + r.pick(TrafficSourceFactory.CONTENT_PAGES)});
                }
            }
            case FORM -> {
                String page = site + r.pick("/resources/whitepaper-digital-sales", "/contact", "/blog/lead-scoring-101");
                steps.add(new String[] {"page_view", page});
                steps.add(new String[] {"form_submit", page});
            }
            case DEMO -> {
                steps.add(new String[] {"page_view", site + "/product"});
                steps.add(new String[] {"page_view", site + "/demo"});
                steps.add(new String[] {"demo_request", site + "/demo"});
            }
            case SIGNUP -> {
                if (r.chance(0.5) && !s.source.landingPath().equals("/signup")) {
                    steps.add(new String[] {"page_view", site + "/pricing"});
                }
                if (!s.source.landingPath().equals("/signup")) {
                    steps.add(new String[] {"page_view", site + "/signup"});
                }
                steps.add(new String[] {"signup", site + "/signup"});
                steps.add(new String[] {"page_view", app + "/onboarding"});
            }
            case LOGIN -> {
                if (!s.source.landingPath().equals("/login")) {
                    steps.add(new String[] {"page_view", site + "/login"});
                }
                steps.add(new String[] {"login", site + "/login"});
                steps.add(new String[] {"page_view", app + "/dashboard"});
                int n = r.between(0, 2);
                for (int i = 0; i < n; i++) {
                    steps.add(new String[] {"page_view", app + r.pick("/reports", "/pipeline", "/contacts")});
                }
            }
            case APP -> {
                steps.add(new String[] {"page_view", app + "/dashboard"});
                int n = r.between(0, 3);
                for (int i = 0; i < n; i++) {
                    steps.add(new String[] {"page_view", app + r.pick("/reports", "/pipeline", "/contacts",
                            "/settings/billing")});
                }
            }
        }
        if ("login".equals(s.identifyEvent) && s.intent != WebSession.Intent.LOGIN) {
            steps.add(1, new String[] {"login", site + "/login"});
        }
        return steps;
    }
}
