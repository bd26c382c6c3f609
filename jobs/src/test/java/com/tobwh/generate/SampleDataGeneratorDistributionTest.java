package com.tobwh.generate;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Generates the default landing zone (scale 1, 365 days, seed 42) once and checks, from the
 * files parsed back, that it behaves like a B2B company's data and carries the planted mess.
 */
class SampleDataGeneratorDistributionTest {
    private static final Set<String> SEARCH_ENGINES = Set.of("baidu", "google", "bing", "sogou", "360");
    private static final Set<String> PLATFORMS = Set.of("zbj", "epwk", "codemart");
    private static final Set<String> SOCIAL = Set.of("wechat", "weibo", "zhihu", "toutiao", "linkedin");

    @TempDir
    static Path dir;
    static GeneratorManifest manifest;
    static LandingSnapshot snap;
    static double seconds;
    static LocalDate end;

    // Derived once from the files.
    static final Map<String, LandingSnapshot.Row> latestOrders = new LinkedHashMap<>();
    static final TreeMap<LocalDate, Map<String, BigDecimal>> fx = new TreeMap<>();
    static final Map<String, BigDecimal> revenue = new TreeMap<>();
    static final Map<String, LandingSnapshot.Row> latestContacts = new HashMap<>();
    static final Map<String, LandingSnapshot.Event> firstEventOfAccount = new HashMap<>();
    static final Map<String, LocalDate> firstNewOrder = new HashMap<>();

    @BeforeAll
    static void generateOnce() {
        long t0 = System.nanoTime();
        manifest = SampleDataGenerator.generate(GeneratorOptions.defaults(dir));
        seconds = (System.nanoTime() - t0) / 1e9;
        System.out.println(manifest.summary());
        snap = LandingSnapshot.load(dir);
        end = GeneratorOptions.DEFAULT_START.plusDays(GeneratorOptions.DEFAULT_DAYS - 1);

        for (LandingSnapshot.Row r : snap.rows("fx_rates")) {
            fx.computeIfAbsent(LocalDate.parse(r.get("date")), d -> new HashMap<>())
                    .put(r.get("currency"), new BigDecimal(r.get("rate")));
        }
        for (LandingSnapshot.Row r : snap.rows("orders")) {
            latestOrders.put(r.get("order_id"), r); // files are read in dt order: the latest delivery wins
        }
        for (LandingSnapshot.Row o : latestOrders.values()) {
            if (o.get("status").equals("paid")) {
                LocalDate d = LocalDate.parse(o.get("order_date"));
                BigDecimal cny = new BigDecimal(o.get("amount")).multiply(rate(d, o.get("currency")));
                revenue.merge(o.get("account_id"), cny, BigDecimal::add);
                if (o.get("order_type").equals("new")) {
                    firstNewOrder.merge(o.get("account_id"), d, (x, y) -> x.isBefore(y) ? x : y);
                }
            }
        }
        for (LandingSnapshot.Row c : snap.rows("crm/contacts.jsonl")) {
            latestContacts.merge(c.get("contact_id"), c, (old, nu) -> instant(nu.get("updated_at"))
                    >= instant(old.get("updated_at")) ? nu : old);
        }
        // Identity stitching: a device belongs to the first contact it identified as.
        Map<String, String> deviceUser = new HashMap<>();
        List<LandingSnapshot.Event> byTime = new ArrayList<>(snap.events);
        byTime.sort(Comparator.comparingLong(LandingSnapshot.Event::epochSecond));
        for (LandingSnapshot.Event e : byTime) {
            if (e.userId() != null) {
                deviceUser.putIfAbsent(e.anonymousId(), e.userId());
            }
        }
        for (LandingSnapshot.Event e : byTime) {
            String contact = deviceUser.get(e.anonymousId());
            LandingSnapshot.Row c = contact == null ? null : latestContacts.get(contact);
            if (c != null) {
                firstEventOfAccount.putIfAbsent(c.get("account_id"), e);
            }
        }
    }

    static BigDecimal rate(LocalDate d, String currency) {
        Map.Entry<LocalDate, Map<String, BigDecimal>> e = fx.floorEntry(d);
        assertNotNull(e, "a rate on or before " + d);
        for (; e != null; e = fx.lowerEntry(e.getKey())) {
            if (e.getValue().containsKey(currency)) {
                return e.getValue().get(currency);
            }
        }
        throw new AssertionError("no " + currency + " rate before " + d);
    }

    static long instant(String ts) {
        return OffsetDateTime.parse(ts).toEpochSecond();
    }

    @Test
    void sizesAndSpeedFitTheTargets() throws Exception {
        System.out.printf("generation took %.1f s%n", seconds);
        assertTrue(seconds < 90, "scale 1 took " + seconds + " s");
        long events = snap.events.size();
        assertTrue(events >= 300_000 && events <= 800_000, "web events " + events);
        Set<String> accounts = new HashSet<>();
        snap.rows("crm/accounts.jsonl").forEach(r -> accounts.add(r.get("account_id")));
        assertTrue(accounts.size() >= 2500 && accounts.size() <= 4000, "crm accounts " + accounts.size());
        assertTrue(revenue.size() >= 250 && revenue.size() <= 400, "customers " + revenue.size());
        assertEquals(manifest.customers().size(), revenue.size());

        long uncompressed = 0;
        for (Path p : LandingFiles.tree(dir)) {
            Path f = dir.resolve(p);
            if (p.toString().endsWith(".gz") && !p.toString().contains("retry")) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
                    uncompressed += in.transferTo(OutputStream.nullOutputStream());
                }
            } else {
                uncompressed += Files.size(f);
            }
        }
        assertTrue(uncompressed < 300L * 1024 * 1024, "landing is " + uncompressed + " bytes uncompressed");
        // The manifest's row counts are the data lines on disk.
        for (String source : GeneratorManifest.SOURCES) {
            assertEquals(manifest.rows(source), snap.linesPerSource.get(source), source);
        }
    }

    @Test
    void revenueIsHeavyTailedAndMatchesThePlantedTruth() {
        List<BigDecimal> sorted = new ArrayList<>(revenue.values());
        sorted.sort(Comparator.reverseOrder());
        BigDecimal total = sorted.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        int top20n = (int) Math.ceil(0.2 * sorted.size());
        double top20 = sorted.subList(0, top20n).stream().reduce(BigDecimal.ZERO, BigDecimal::add)
                .divide(total, 8, RoundingMode.HALF_UP).doubleValue();
        double top10 = sorted.subList(0, 10).stream().reduce(BigDecimal.ZERO, BigDecimal::add)
                .divide(total, 8, RoundingMode.HALF_UP).doubleValue();
        System.out.printf("top 20%% share %.3f, top 10 share %.3f over %d customers%n", top20, top10, sorted.size());
        assertTrue(top20 >= 0.70 && top20 <= 0.85, "top 20% share " + top20);
        assertTrue(top10 >= 0.35 && top10 <= 0.65, "top 10 share " + top10);
        assertEquals(manifest.top20Share(), top20, 1e-6);
        assertEquals(manifest.top10Share(), top10, 1e-6);
        for (GeneratorManifest.CustomerTruth c : manifest.customers()) {
            BigDecimal onDisk = revenue.get(c.accountId());
            assertNotNull(onDisk, c.accountId());
            assertEquals(0, c.netRevenueCny().setScale(4, RoundingMode.HALF_UP)
                    .compareTo(onDisk.setScale(4, RoundingMode.HALF_UP)), c.accountId());
            assertEquals(c.firstPaidOrderDate(), firstNewOrder.get(c.accountId()), c.accountId());
        }
    }

    @Test
    void salesCyclesRunThirtyToOneHundredEightyDays() {
        for (String account : revenue.keySet()) {
            LocalDate order = firstNewOrder.get(account);
            assertNotNull(order, account + " converted with a new order");
            LandingSnapshot.Event first = firstEventOfAccount.get(account);
            assertNotNull(first, account + " has a stitched web visit");
            long days = ChronoUnit.DAYS.between(first.eventDate(), order);
            assertTrue(days >= 30 && days <= 180, account + " cycle " + days + " days");
        }
    }

    @Test
    void firstTouchMixOfWonDealsIsAsPlanted() {
        Map<String, Long> offlineTouch = new HashMap<>();
        for (LandingSnapshot.Row c : latestContacts.values()) {
            if (c.get("lead_source") != null && !Boolean.parseBoolean(c.get("is_deleted"))) {
                offlineTouch.merge(c.get("account_id"), instant(c.get("created_at")), Math::min);
            }
        }
        Map<String, String> planted = new HashMap<>();
        manifest.customers().forEach(c -> planted.put(c.accountId(), c.firstTouch().code()));
        Map<String, Integer> mix = new TreeMap<>();
        for (String account : revenue.keySet()) {
            LandingSnapshot.Event first = firstEventOfAccount.get(account);
            Long offline = offlineTouch.get(account);
            String group = offline != null && offline < first.epochSecond() ? "offline" : classify(first);
            assertEquals(planted.get(account), group, account + " first touch " + first);
            mix.merge(group, 1, Integer::sum);
        }
        System.out.println("first-touch mix of customers: " + mix);
        double n = revenue.size();
        assertEquals(0.40, mix.getOrDefault("search", 0) / n, 0.07);
        assertEquals(0.15, mix.getOrDefault("third_party_platform", 0) / n, 0.07);
        assertEquals(0.05, mix.getOrDefault("social_media", 0) / n, 0.07);
        assertEquals(0.40, mix.getOrDefault("offline", 0) / n, 0.07);
        assertEquals(4, mix.size(), "no other first touch: " + mix);
    }

    /** A first event's channel group by referrer and UTM rules, as an analytics tool groups channels. */
    static String classify(LandingSnapshot.Event e) {
        String src = e.utmSource() == null ? "" : e.utmSource();
        String medium = e.utmMedium() == null ? "" : e.utmMedium();
        String host = e.referrer() == null ? "" : URI.create(e.referrer()).getHost();
        if (medium.equals("cpc") && SEARCH_ENGINES.contains(src)) {
            return "search";
        }
        if (PLATFORMS.contains(src) || host.endsWith("zbj.com") || host.endsWith("epwk.com")
                || host.endsWith("codemart.com")) {
            return "third_party_platform";
        }
        if (SOCIAL.contains(src) || host.endsWith("weixin.qq.com") || host.endsWith("zhihu.com")
                || host.endsWith("weibo.com") || host.endsWith("toutiao.com") || host.endsWith("linkedin.com")) {
            return "social_media";
        }
        if (src.isEmpty() && (host.endsWith("baidu.com") || host.startsWith("www.google.") || host.endsWith("bing.com")
                || host.endsWith("sogou.com") || host.endsWith("so.com"))) {
            return "search";
        }
        return "other(" + src + "/" + medium + "/" + host + ")";
    }

    @Test
    void accountsHaveSeveralContactsAndOfflineContactsPrecedeTheWeb() {
        Map<String, Integer> perAccount = new HashMap<>();
        for (LandingSnapshot.Row c : latestContacts.values()) {
            if (!Boolean.parseBoolean(c.get("is_deleted"))) {
                perAccount.merge(c.get("account_id"), 1, Integer::sum);
            }
        }
        double avg = revenue.keySet().stream().mapToInt(a -> perAccount.getOrDefault(a, 0)).average().orElse(0);
        System.out.printf("contacts per customer %.2f%n", avg);
        assertTrue(avg > 1.5, "contacts per customer " + avg);
        assertTrue(revenue.keySet().stream().allMatch(a -> perAccount.getOrDefault(a, 0) >= 1));
        // Offline-origin contacts are created before any web session of their account.
        int offline = 0;
        for (LandingSnapshot.Row c : latestContacts.values()) {
            String acc = c.get("account_id");
            if (c.get("lead_source") != null && revenue.containsKey(acc)) {
                offline++;
                assertTrue(firstEventOfAccount.containsKey(acc));
            }
        }
        assertTrue(offline > 50, "offline-sourced contacts of customers: " + offline);
    }

    @Test
    void signupsCreateTheContactAtTheSignupTime() {
        Map<String, LandingSnapshot.Row> firstDelivery = new HashMap<>();
        for (LandingSnapshot.Row c : snap.rows("crm/contacts.jsonl")) {
            firstDelivery.putIfAbsent(c.get("contact_id"), c);
        }
        Set<String> seen = new HashSet<>();
        int checked = 0;
        for (LandingSnapshot.Event e : snap.events) {
            if (e.type().equals("signup") && seen.add(e.eventId())) {
                LandingSnapshot.Row c = firstDelivery.get(e.userId());
                assertNotNull(c, "contact of signup " + e);
                assertEquals(e.epochSecond(), instant(c.get("created_at")), e.userId());
                assertEquals(e.eventDate(), c.dt(), "contact delivered on the signup day");
                checked++;
            }
        }
        assertTrue(checked > 2000, "signups " + checked);
        long anonymous = snap.events.stream().filter(e -> e.userId() == null).count();
        assertTrue(anonymous > snap.events.size() / 2, "most traffic is anonymous");
        long noSession = snap.events.stream().filter(e -> e.sessionId() == null).count();
        assertTrue(noSession > 0 && noSession < snap.events.size() / 100, "events without session_id " + noSession);
        for (String type : List.of("page_view", "form_submit", "signup", "demo_request", "login")) {
            assertTrue(snap.events.stream().anyMatch(e -> e.type().equals(type)), type);
        }
        assertTrue(manifest.identityConflicts() > 0);
        Map<String, Set<String>> usersPerDevice = new HashMap<>();
        snap.events.stream().filter(e -> e.userId() != null)
                .forEach(e -> usersPerDevice.computeIfAbsent(e.anonymousId(), k -> new TreeSet<>()).add(e.userId()));
        assertEquals(manifest.identityConflicts(), usersPerDevice.values().stream().filter(s -> s.size() > 1).count());
    }

    @Test
    void eventsArriveAtLeastOnceAndAtMostThreeDaysLate() {
        Map<String, Integer> hashById = new HashMap<>();
        Map<String, LocalDate> firstLanding = new HashMap<>();
        Map<String, LocalDate> eventDate = new HashMap<>();
        long duplicates = 0;
        for (LandingSnapshot.Event e : snap.events) {
            long lateBy = ChronoUnit.DAYS.between(e.eventDate(), e.dt());
            assertTrue(lateBy >= 0 && lateBy <= 3, "event " + e.eventId() + " lands " + lateBy + " days late");
            Integer h = hashById.putIfAbsent(e.eventId(), e.lineHash());
            if (h != null) {
                duplicates++;
                assertEquals(h.intValue(), e.lineHash(), "a duplicate repeats the same content");
            }
            firstLanding.merge(e.eventId(), e.dt(), (a, b) -> a.isBefore(b) ? a : b);
            eventDate.put(e.eventId(), e.eventDate());
        }
        long late = firstLanding.entrySet().stream().filter(x -> x.getValue().isAfter(eventDate.get(x.getKey())))
                .count();
        System.out.printf("duplicates %d, late %d of %d events%n", duplicates, late, hashById.size());
        assertEquals(manifest.duplicateEvents(), duplicates);
        assertEquals(manifest.lateEvents(), late);
        assertTrue(duplicates > 0.003 * hashById.size() && duplicates < 0.008 * hashById.size());
        assertTrue(late > 0.015 * hashById.size() && late < 0.03 * hashById.size());
        assertTrue(snap.events.stream().anyMatch(e -> e.file().equals("events-mobile.jsonl")), "plain .jsonl files");
    }

    @Test
    void paidSessionsPointAtSpendCampaignsAndSpendIsRestated() {
        Set<String> campaigns = new HashSet<>();
        Map<String, List<LandingSnapshot.Row>> deliveries = new LinkedHashMap<>();
        Set<String> currencies = new TreeSet<>();
        for (LandingSnapshot.Row r : snap.rows("channel_spend")) {
            campaigns.add(r.get("campaign_id"));
            currencies.add(r.get("platform") + ":" + r.get("currency"));
            long impressions = Long.parseLong(r.get("impressions"));
            long clicks = Long.parseLong(r.get("clicks"));
            assertTrue(impressions >= clicks && clicks >= 0, "impressions >= clicks >= 0: " + r);
            assertEquals(r.get("platform") + ".csv", r.file());
            deliveries.computeIfAbsent(r.get("date") + "|" + r.get("platform") + "|" + r.get("campaign_id"),
                    k -> new ArrayList<>()).add(r);
        }
        assertTrue(currencies.contains("google_ads:USD") && currencies.contains("linkedin_ads:USD")
                && currencies.contains("baidu_sem:CNY"), currencies.toString());
        long restated = 0;
        boolean costChanged = false;
        for (List<LandingSnapshot.Row> rows : deliveries.values()) {
            for (int i = 1; i < rows.size(); i++) {
                restated++;
                long back = ChronoUnit.DAYS.between(LocalDate.parse(rows.get(i).get("date")), rows.get(i).dt());
                assertTrue(back >= 1 && back <= 7, "restated " + back + " days back");
                costChanged |= !rows.get(i).get("cost").equals(rows.get(i - 1).get("cost"));
            }
        }
        assertEquals(manifest.restatedSpendRows(), restated);
        assertTrue(restated > 50 && costChanged);
        long paid = 0;
        for (LandingSnapshot.Event e : snap.events) {
            if ("cpc".equals(e.utmMedium()) || (e.utmCampaign() != null && !"email".equals(e.utmMedium()))) {
                paid++;
                assertTrue(campaigns.contains(e.utmCampaign()), "campaign " + e.utmCampaign() + " has spend");
            }
        }
        assertTrue(paid > 10_000, "paid sessions " + paid);
        // Trade shows spend in lumps: a booth fee on a few days.
        List<BigDecimal> shows = snap.rows("channel_spend").stream().filter(r -> r.get("platform").equals("trade_show"))
                .map(r -> new BigDecimal(r.get("cost"))).toList();
        assertTrue(shows.size() < 30 && shows.stream().anyMatch(c -> c.compareTo(BigDecimal.valueOf(50_000)) > 0));
        // FX: every currency on the first day, days off skipped.
        assertEquals(Set.of("USD", "EUR", "HKD", "CNY"), fx.get(GeneratorOptions.DEFAULT_START).keySet());
        assertTrue(fx.size() < 300 && fx.size() > 200, "fixing days " + fx.size());
    }

    @Test
    void billingLooksLikeSubscriptions() {
        Set<String> currencies = new TreeSet<>();
        Map<String, Integer> types = new TreeMap<>();
        Map<String, Integer> statuses = new TreeMap<>();
        Map<String, LandingSnapshot.Row> opps = new HashMap<>();
        for (LandingSnapshot.Row o : snap.rows("crm/opportunities.jsonl")) {
            opps.merge(o.get("opportunity_id"), o,
                    (a, b) -> instant(b.get("updated_at")) >= instant(a.get("updated_at")) ? b : a);
        }
        for (LandingSnapshot.Row o : latestOrders.values()) {
            currencies.add(o.get("currency"));
            types.merge(o.get("order_type"), 1, Integer::sum);
            statuses.merge(o.get("status"), 1, Integer::sum);
            assertTrue(new BigDecimal(o.get("amount")).signum() >= 0);
            LocalDate from = LocalDate.parse(o.get("service_start"));
            LocalDate to = LocalDate.parse(o.get("service_end"));
            assertTrue(wholeMonths(from, to.plusDays(1)), "service period lines up with months: " + o);
            if (o.get("order_type").equals("new")) {
                LandingSnapshot.Row opp = opps.get(o.get("opportunity_id"));
                assertNotNull(opp, "new order links its opportunity: " + o);
                assertEquals("closed_won", opp.get("stage"));
                assertEquals(o.get("account_id"), opp.get("account_id"));
            }
        }
        System.out.println("orders by type " + types + ", by status " + statuses + ", currencies " + currencies);
        assertTrue(currencies.containsAll(Set.of("CNY", "USD")) && (currencies.contains("EUR") || currencies.contains("HKD")));
        assertTrue(types.keySet().containsAll(List.of("new", "renewal", "expansion", "contraction")), types.toString());
        assertTrue(statuses.keySet().containsAll(List.of("paid", "refunded", "cancelled")), statuses.toString());
        long redelivered = snap.rows("orders").size() - latestOrders.size();
        assertEquals(manifest.planted("order_status_changes"), redelivered);
    }

    /** Spark's months_between is whole when the days of month match or both are month ends. */
    static boolean wholeMonths(LocalDate start, LocalDate endExclusive) {
        return start.getDayOfMonth() == endExclusive.getDayOfMonth()
                || (start.getDayOfMonth() == start.lengthOfMonth()
                && endExclusive.getDayOfMonth() == endExclusive.lengthOfMonth());
    }

    @Test
    void crmAndTicketsAreRedeliveredAsTheyChange() {
        long rows = 0;
        long distinct = 0;
        for (String kind : List.of("accounts", "contacts", "opportunities")) {
            List<LandingSnapshot.Row> r = snap.rows("crm/" + kind + ".jsonl");
            String id = r.get(0).f().keySet().iterator().next();
            rows += r.size();
            distinct += r.stream().map(x -> x.get(id)).distinct().count();
            assertTrue(r.stream().anyMatch(x -> Boolean.parseBoolean(x.get("is_deleted"))), kind + " soft deletes");
        }
        assertEquals(manifest.crmRedeliveries(), rows - distinct);
        Map<String, Set<String>> accountOfContact = new HashMap<>();
        snap.rows("crm/contacts.jsonl").forEach(c -> accountOfContact
                .computeIfAbsent(c.get("contact_id"), k -> new HashSet<>()).add(c.get("account_id")));
        assertTrue(accountOfContact.values().stream().anyMatch(s -> s.size() > 1), "a contact moved account");
        Map<String, Set<String>> history = new HashMap<>();
        snap.rows("crm/accounts.jsonl").forEach(a -> history.computeIfAbsent(a.get("account_id"), k -> new HashSet<>())
                .add(a.get("industry") + "|" + a.get("employee_band")));
        assertTrue(history.values().stream().filter(s -> s.size() > 1).count() > 20, "slowly changing attributes");

        Map<String, List<LandingSnapshot.Row>> tickets = new LinkedHashMap<>();
        snap.rows("support_tickets").forEach(t -> tickets.computeIfAbsent(t.get("ticket_id"), k -> new ArrayList<>())
                .add(t));
        for (List<LandingSnapshot.Row> t : tickets.values()) {
            for (int i = 1; i < t.size(); i++) {
                assertTrue(instant(t.get(i).get("updated_at")) > instant(t.get(i - 1).get("updated_at")));
            }
        }
        assertTrue(tickets.values().stream().anyMatch(t -> t.size() >= 3));
        assertTrue(tickets.keySet().size() > 300, "tickets " + tickets.size());
    }

    @Test
    void churnedCustomersHadMoreTicketsAndLowerSatisfaction() {
        Map<String, LocalDate> serviceEnd = new HashMap<>();
        for (LandingSnapshot.Row o : latestOrders.values()) {
            if (o.get("status").equals("paid")) {
                serviceEnd.merge(o.get("account_id"), LocalDate.parse(o.get("service_end")),
                        (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        Map<String, LandingSnapshot.Row> latestTickets = new LinkedHashMap<>();
        snap.rows("support_tickets").forEach(t -> latestTickets.put(t.get("ticket_id"), t));
        Map<String, Integer> count = new HashMap<>();
        Map<String, double[]> csat = new HashMap<>();
        for (LandingSnapshot.Row t : latestTickets.values()) {
            count.merge(t.get("account_id"), 1, Integer::sum);
            if (t.get("csat") != null) {
                double[] s = csat.computeIfAbsent(t.get("account_id"), k -> new double[2]);
                s[0] += Double.parseDouble(t.get("csat"));
                s[1]++;
            }
        }
        double[] churned = new double[4];
        double[] kept = new double[4];
        for (String account : revenue.keySet()) {
            LocalDate last = serviceEnd.get(account);
            boolean gone = last.isBefore(end.minusDays(7));
            LocalDate stop = last.isAfter(end) ? end : last;
            double months = Math.max(1, ChronoUnit.DAYS.between(firstNewOrder.get(account), stop) / 30.4);
            double[] bucket = gone ? churned : kept;
            bucket[0] += count.getOrDefault(account, 0) / months;
            bucket[1]++;
            double[] s = csat.get(account);
            if (s != null) {
                bucket[2] += s[0] / s[1];
                bucket[3]++;
            }
        }
        double churnedRate = churned[0] / churned[1];
        double keptRate = kept[0] / kept[1];
        double churnedCsat = churned[2] / churned[3];
        double keptCsat = kept[2] / kept[3];
        System.out.printf("churned %d: %.2f tickets/month, csat %.2f; kept %d: %.2f tickets/month, csat %.2f%n",
                (int) churned[1], churnedRate, churnedCsat, (int) kept[1], keptRate, keptCsat);
        assertTrue(churned[1] >= 15, "some customers churn");
        assertTrue(churnedRate > keptRate * 1.2, "churned accounts file more tickets");
        assertTrue(churnedCsat < keptCsat, "churned accounts rate support lower");
    }

    @Test
    void plantedBadRowsAndTheTruncatedFileMatchTheManifest() {
        for (String source : GeneratorManifest.SOURCES) {
            for (BadRowKind kind : BadRowKind.values()) {
                assertEquals(manifest.badRows(source, kind), snap.rejected(source, kind), source + " " + kind);
            }
        }
        long total = manifest.badRowTotal();
        long rows = GeneratorManifest.SOURCES.stream().mapToLong(manifest::rows).sum();
        assertEquals(0.002, (double) total / rows, 0.0006, "bad share");
        assertEquals(1, manifest.badFiles().size());
        assertEquals(List.of(Path.of(manifest.badFiles().get(0).path())), snap.unreadable);
        assertEquals("web_traffic/dt=2026-01-02/events-retry.jsonl.gz", manifest.badFiles().get(0).path());
        assertFalse(manifest.toJson().isBlank());
        if (manifest.customers().isEmpty()) {
            fail("no customers");
        }
    }
}
