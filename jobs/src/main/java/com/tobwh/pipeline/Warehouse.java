package com.tobwh.pipeline;

import com.tobwh.bronze.BronzeJob;
import com.tobwh.bronze.LandingSchemas;
import com.tobwh.gold.DimAccount;
import com.tobwh.gold.DimCampaign;
import com.tobwh.gold.DimChannel;
import com.tobwh.gold.DimContact;
import com.tobwh.gold.DimDate;
import com.tobwh.gold.DimPlan;
import com.tobwh.gold.FctAttribution;
import com.tobwh.gold.FctOpportunities;
import com.tobwh.gold.FctOrders;
import com.tobwh.gold.FctSessions;
import com.tobwh.gold.FctSpend;
import com.tobwh.gold.FctSubscriptionMonths;
import com.tobwh.gold.FctTickets;
import com.tobwh.gold.FctTouches;
import com.tobwh.gold.MartAttributionChannel;
import com.tobwh.gold.MartChannelContribution;
import com.tobwh.gold.MartCohortRetention;
import com.tobwh.gold.MartRevenueConcentration;
import com.tobwh.silver.IntAccountsVersioned;
import com.tobwh.silver.IntCampaignTagsMonthly;
import com.tobwh.silver.IntFxRatesDaily;
import com.tobwh.silver.IntIdentityStitched;
import com.tobwh.silver.IntSessionsSessionized;
import com.tobwh.silver.IntTouchesCombined;
import com.tobwh.silver.StgChannelSpend;
import com.tobwh.silver.StgCrmAccounts;
import com.tobwh.silver.StgCrmContacts;
import com.tobwh.silver.StgCrmOpportunities;
import com.tobwh.silver.StgFxRates;
import com.tobwh.silver.StgOrders;
import com.tobwh.silver.StgSupportTickets;
import com.tobwh.silver.StgWebTrafficEvents;

import java.util.ArrayList;
import java.util.List;

/** Every job of the warehouse; their order comes from the graph, not from this list. */
public final class Warehouse {
    private Warehouse() {
    }

    public static JobGraph graph() {
        List<Job> jobs = new ArrayList<>();
        LandingSchemas.all().forEach(s -> jobs.add(new BronzeJob(s)));
        jobs.add(new StgFxRates());
        jobs.add(new IntFxRatesDaily());
        jobs.add(new StgOrders());
        jobs.add(new StgCrmAccounts());
        jobs.add(new StgCrmContacts());
        jobs.add(new StgCrmOpportunities());
        jobs.add(new StgChannelSpend());
        jobs.add(new StgWebTrafficEvents());
        jobs.add(new IntIdentityStitched());
        jobs.add(new IntSessionsSessionized());
        jobs.add(new IntTouchesCombined());
        jobs.add(new IntCampaignTagsMonthly());
        jobs.add(new IntAccountsVersioned());
        jobs.add(new DimDate());
        jobs.add(new DimChannel());
        jobs.add(new DimCampaign());
        jobs.add(new DimAccount());
        jobs.add(new DimContact());
        jobs.add(new FctSpend());
        jobs.add(new FctSessions());
        jobs.add(new FctTouches());
        jobs.add(new FctOpportunities());
        jobs.add(new FctOrders());
        jobs.add(new StgSupportTickets());
        jobs.add(new FctTickets());
        jobs.add(new DimPlan());
        jobs.add(new FctSubscriptionMonths());
        jobs.add(new MartRevenueConcentration());
        jobs.add(new FctAttribution());
        jobs.add(new MartAttributionChannel());
        jobs.add(new MartChannelContribution());
        jobs.add(new MartCohortRetention());
        return new JobGraph(jobs);
    }

    /** The published contract tables (CONTRACT.md §2) built so far. */
    public static List<String> marts() {
        return graph().ordered().stream().map(Job::output).filter(t -> t.startsWith("gold.mart_")).toList();
    }
}
