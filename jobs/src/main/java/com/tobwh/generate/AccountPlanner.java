package com.tobwh.generate;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides who the accounts are: when they first touch us, through which channel group, whether
 * and when they buy, how big they are, and their contacts. Customers' channel mix and sizes are
 * drawn stratified so that even a few hundred customers show the target mix and a stable heavy tail.
 */
final class AccountPlanner {
    static final double ACCOUNTS_PER_YEAR = 3200;
    static final double P_WON = 0.145;
    static final double P_LOST = 0.30;
    /** First-touch mix of won deals: search, third-party platforms, social media, offline. */
    static final double[] WON_MIX = {0.40, 0.15, 0.05, 0.40};
    /** Online channels bring many leads that rarely close; offline leads are few but close well. */
    static final double[] OTHER_MIX = {0.47, 0.13, 0.17, 0.23};
    static final double CUSTOMER_SEAT_MEDIAN = 9;
    static final double CUSTOMER_SEAT_SIGMA = 0.75;
    /** Above this normal quantile the size curve steepens: a Pareto-like tail of a few very large customers. */
    static final double TAIL_FROM_Z = 1.5;
    static final double TAIL_SIGMA = 1.9;
    static final int MAX_SEATS = 3000;
    static final double FOREIGN_SHARE = 0.10;

    private static final String[] LEAD_SOURCES = {"referral", "founder_network", "trade_show", "tender", "partner",
        "outbound"};
    private static final double[] LEAD_SOURCE_WEIGHTS = {30, 25, 15, 10, 15, 5};

    private final SimCalendar cal;
    private final long seed;
    private final double scale;
    private final AdCatalog ads;
    private final TrafficSourceFactory traffic;
    private final Firmographics firms = new Firmographics();

    AccountPlanner(SimCalendar cal, long seed, double scale, AdCatalog ads, TrafficSourceFactory traffic) {
        this.cal = cal;
        this.seed = seed;
        this.scale = scale;
        this.ads = ads;
        this.traffic = traffic;
    }

    List<Account> plan() {
        int n = Math.max(1, (int) Math.round(ACCOUNTS_PER_YEAR / 365.0 * scale * cal.days()));
        List<Account> accounts = new ArrayList<>(n);
        List<Account> customers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Account a = new Account(i);
            Rng r = Rng.stream(seed, "account-fate", i);
            a.arrivalDay = r.nextInt(cal.days());
            // People act on workdays: most weekend draws move to another day.
            for (int t = 0; t < 3 && SimCalendar.weekend(cal.date(a.arrivalDay)) && r.chance(0.8); t++) {
                a.arrivalDay = r.nextInt(cal.days());
            }
            int f = r.weighted(P_WON, P_LOST, 1 - P_WON - P_LOST);
            a.fate = f == 0 ? Account.Fate.WON : f == 1 ? Account.Fate.LOST : Account.Fate.LEAD;
            a.webGapDays = r.between(1, 14);
            // Offline touch + gap to the first visit + 30..164 days of cycle stays within 178 days, so
            // the whole journey fits the marts' 180-day lookback.
            a.daysToOrder = a.webGapDays + 30 + (int) Math.round(134 * r.betaInt(2, 3));
            a.daysActive = a.fate == Account.Fate.LOST ? r.between(20, 150) : r.between(5, 90);
            a.customer = a.won() && a.arrivalDay + a.daysToOrder <= cal.days() - 1;
            if (a.customer) {
                customers.add(a);
            }
            accounts.add(a);
        }
        assignCustomerMixAndSizes(customers);
        for (Account a : accounts) {
            Rng r = Rng.stream(seed, "account", a.index);
            if (!a.customer) {
                a.origin = FirstTouchGroup.values()[r.weighted(a.won() ? WON_MIX : OTHER_MIX)];
                a.seats = seats(CUSTOMER_SEAT_MEDIAN * 0.8 * Math.exp(sizeCurve(r.gaussian())));
            }
            details(a, r);
        }
        return accounts;
    }

    /** Exact channel quotas and evenly spread size quantiles over the customers, in random order. */
    private void assignCustomerMixAndSizes(List<Account> customers) {
        Rng r = Rng.stream(seed, "customer-deck", 0);
        int m = customers.size();
        List<FirstTouchGroup> deck = new ArrayList<>(m);
        double[] exact = new double[WON_MIX.length];
        int assigned = 0;
        for (int g = 0; g < WON_MIX.length; g++) {
            exact[g] = WON_MIX[g] * m;
            int whole = (int) Math.floor(exact[g]);
            for (int k = 0; k < whole; k++) {
                deck.add(FirstTouchGroup.values()[g]);
            }
            assigned += whole;
        }
        // Largest remainders take the seats left over.
        while (assigned < m) {
            int best = 0;
            for (int g = 1; g < exact.length; g++) {
                if (exact[g] - Math.floor(exact[g]) > exact[best] - Math.floor(exact[best])) {
                    best = g;
                }
            }
            deck.add(FirstTouchGroup.values()[best]);
            exact[best] = Math.floor(exact[best]);
            assigned++;
        }
        r.shuffle(deck);
        List<Double> quantiles = new ArrayList<>(m);
        for (int k = 0; k < m; k++) {
            quantiles.add((k + r.nextDouble()) / m);
        }
        r.shuffle(quantiles);
        for (int k = 0; k < m; k++) {
            Account a = customers.get(k);
            a.origin = deck.get(k);
            a.seats = seats(CUSTOMER_SEAT_MEDIAN * Math.exp(sizeCurve(inverseNormal(quantiles.get(k)))));
        }
    }

    /** Log size at a normal quantile: lognormal body, steeper beyond TAIL_FROM_Z. */
    static double sizeCurve(double z) {
        return z <= TAIL_FROM_Z ? CUSTOMER_SEAT_SIGMA * z
                : CUSTOMER_SEAT_SIGMA * TAIL_FROM_Z + TAIL_SIGMA * (z - TAIL_FROM_Z);
    }

    private static int seats(double x) {
        return (int) Math.max(1, Math.min(MAX_SEATS, Math.round(x)));
    }

    private void details(Account a, Rng r) {
        a.foreign = r.chance(FOREIGN_SHARE);
        firms.assign(a, r);
        a.band = Firmographics.band(a.seats, r);
        a.health = r.gaussian();
        String plan = PriceBook.planFor(a.seats);
        a.termMonths = switch (plan) {
            case "enterprise" -> r.chance(0.85) ? 12 : 3;
            case "business" -> new int[] {12, 3, 1}[r.weighted(60, 25, 15)];
            case "growth" -> new int[] {12, 3, 1}[r.weighted(35, 30, 35)];
            default -> new int[] {12, 3, 1}[r.weighted(20, 20, 60)];
        };
        a.discount = switch (plan) {
            case "enterprise" -> r.uniform(0.70, 1.0);
            case "business" -> r.uniform(0.85, 1.0);
            default -> 1.0;
        };
        if (a.origin == FirstTouchGroup.OFFLINE) {
            a.leadSource = LEAD_SOURCES[r.weighted(LEAD_SOURCE_WEIGHTS)];
            // Trade-show leads are typed in after a show we exhibited at; without one, it was a referral.
            if (a.leadSource.equals("trade_show") && ads.showEndedBefore(a.arrivalDay, 10) == null) {
                a.leadSource = "referral";
            }
        }
        LocalDate arrival = cal.date(a.arrivalDay);
        a.originTime = SimCalendar.workTime(arrival, r);
        if (a.origin == FirstTouchGroup.OFFLINE) {
            a.firstVisit = SimCalendar.workTime(arrival.plusDays(a.webGapDays), r);
        } else {
            a.firstVisit = a.originTime;
            a.originSource = traffic.firstTouch(a.origin, a.arrivalDay, a.foreign, r);
        }
        if (a.won()) {
            a.firstOrderDate = arrival.plusDays(a.daysToOrder);
            a.presalesEnd = SimCalendar.midnight(a.firstOrderDate) + 9 * 3600L;
        } else {
            a.presalesEnd = SimCalendar.midnight(arrival.plusDays(a.daysActive)) + 18 * 3600L;
        }
        planContacts(a, r);
    }

    private void planContacts(Account a, Rng r) {
        int bandIdx = Firmographics.BANDS.indexOf(a.band);
        int n = a.won() ? r.between(1 + bandIdx, 3 + bandIdx) : r.between(1 + bandIdx / 2, 2 + bandIdx * 2 / 3);
        for (int k = 0; k < n; k++) {
            Contact c = new Contact(a, k);
            c.email = Firmographics.email(a, k, r);
            if (k == 0) {
                c.entry = a.origin == FirstTouchGroup.OFFLINE ? Contact.Entry.SALES_OFFLINE : Contact.Entry.WEB_SIGNUP;
            } else if (a.won() && r.chance(0.3)) {
                c.entry = Contact.Entry.PRODUCT_INVITE;
            } else {
                c.entry = r.chance(0.55) ? Contact.Entry.WEB_SIGNUP : Contact.Entry.SALES_ADDED;
            }
            a.contacts.add(c);
        }
    }

    /** Acklam's rational approximation of the standard normal quantile function. */
    static double inverseNormal(double p) {
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
            -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
            -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
            4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double q;
        if (p < 0.02425) {
            q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - 0.02425) {
            q = Math.sqrt(-2 * Math.log(1 - p));
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
