package com.tobwh.pipeline;

import com.tobwh.bronze.BronzeJob;
import com.tobwh.bronze.LandingSchemas;
import com.tobwh.gold.DimAccount;
import com.tobwh.gold.DimDate;
import com.tobwh.gold.FctOrders;
import com.tobwh.gold.MartRevenueConcentration;
import com.tobwh.silver.IntFxRatesDaily;
import com.tobwh.silver.StgCrmAccounts;
import com.tobwh.silver.StgFxRates;
import com.tobwh.silver.StgOrders;

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
        jobs.add(new DimDate());
        jobs.add(new DimAccount());
        jobs.add(new FctOrders());
        jobs.add(new MartRevenueConcentration());
        return new JobGraph(jobs);
    }

    /** The published contract tables (CONTRACT.md §2) built so far. */
    public static List<String> marts() {
        return graph().ordered().stream().map(Job::output).filter(t -> t.startsWith("gold.mart_")).toList();
    }
}
