package com.tobwh.generate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The simulated company over the period: plans the accounts, their contacts' web journeys, the
 * sales pipeline, subscriptions and tickets, in the order each step depends on the previous one,
 * then hands out ids in creation order.
 */
final class CompanySimulation {
    final SimCalendar cal;
    final List<Account> accounts;
    /** Accounts plus the duplicate records sales created by mistake. */
    final List<Account> allAccounts = new ArrayList<>();
    final JourneyPlanner journeys;
    final SalesPipeline pipeline;
    final int identityConflicts;

    CompanySimulation(GeneratorOptions o, SimCalendar cal, AdCatalog ads) {
        this.cal = cal;
        long seed = o.seed();
        TrafficSourceFactory traffic = new TrafficSourceFactory(ads);
        accounts = new AccountPlanner(cal, seed, o.scale(), ads, traffic).plan();
        journeys = new JourneyPlanner(cal, seed, o.scale(), traffic);
        pipeline = new SalesPipeline(seed);
        BillingSimulator billing = new BillingSimulator(cal, seed, new SupportDesk());
        for (Account a : accounts) {
            journeys.planPresales(a);
        }
        for (Account a : accounts) {
            pipeline.work(a);
        }
        for (Account a : accounts) {
            if (a.customer) {
                journeys.planInvites(a);
                billing.bill(a);
                journeys.planUsage(a);
            }
        }
        journeys.planIdentityConflicts(accounts);
        journeys.planAnonymous();
        identityConflicts = journeys.settleDevices();
        allAccounts.addAll(accounts);
        allAccounts.addAll(duplicates(seed));
        assignIds();
    }

    List<Account> customers() {
        return accounts.stream().filter(a -> a.customer).sorted(Comparator.comparing(a -> a.id)).toList();
    }

    private List<Account> duplicates(long seed) {
        Rng r = Rng.stream(seed, "duplicate-accounts", 0);
        List<Account> pool = accounts.stream().filter(a -> !a.won() && a.createdAt < cal.endInstant()).toList();
        List<Account> out = new ArrayList<>();
        int n = pool.isEmpty() ? 0 : (int) Math.round(0.012 * accounts.size());
        for (int k = 0; k < n; k++) {
            Account original = r.pick(pool);
            Account d = new Account(accounts.size() + k);
            d.fate = Account.Fate.LEAD;
            d.duplicateOf = original;
            d.name = original.name;
            d.industry = original.industry;
            d.band = original.band;
            d.region = original.region;
            d.owner = original.owner;
            d.foreign = original.foreign;
            d.currency = original.currency;
            d.createdAt = SimCalendar.workTime(SimCalendar.dateOf(original.createdAt + r.between(1, 30) * SimCalendar.DAY), r);
            out.add(d);
        }
        return out;
    }

    /** Ids follow creation order, as a CRM or billing system hands them out. */
    private void assignIds() {
        List<Account> byCreation = new ArrayList<>(allAccounts);
        byCreation.sort(Comparator.comparingLong((Account a) -> a.createdAt).thenComparingInt(a -> a.index));
        for (int i = 0; i < byCreation.size(); i++) {
            byCreation.get(i).id = String.format("acc_%06d", i + 1);
        }
        List<Contact> contacts = new ArrayList<>();
        List<Opportunity> opps = new ArrayList<>(pipeline.duplicates());
        List<Order> orders = new ArrayList<>();
        List<Ticket> tickets = new ArrayList<>();
        for (Account a : accounts) {
            contacts.addAll(a.contacts);
            if (a.opportunity != null) {
                opps.add(a.opportunity);
            }
            orders.addAll(a.orders);
            tickets.addAll(a.tickets);
        }
        contacts.sort(Comparator.comparingLong((Contact c) -> c.createdAt).thenComparingInt(c -> c.account.index)
                .thenComparingInt(c -> c.seq));
        for (int i = 0; i < contacts.size(); i++) {
            contacts.get(i).id = String.format("con_%06d", i + 1);
        }
        opps.sort(Comparator.comparingLong((Opportunity o) -> o.createdAt).thenComparingInt(o -> o.account.index));
        for (int i = 0; i < opps.size(); i++) {
            opps.get(i).id = String.format("opp_%06d", i + 1);
        }
        orders.sort(Comparator.comparing((Order o) -> o.orderDate).thenComparingInt(o -> o.account.index)
                .thenComparingInt(o -> o.seq));
        for (int i = 0; i < orders.size(); i++) {
            orders.get(i).id = String.format("ord_%06d", i + 1);
        }
        tickets.sort(Comparator.comparingLong((Ticket t) -> t.createdAt).thenComparingInt(t -> t.account.index));
        for (int i = 0; i < tickets.size(); i++) {
            tickets.get(i).id = String.format("tkt_%06d", i + 1);
        }
    }
}
