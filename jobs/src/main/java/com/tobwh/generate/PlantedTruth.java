package com.tobwh.generate;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Derives the truth the marts should reproduce from what was delivered: per customer its planted
 * first-touch group and its net revenue in CNY (paid orders at their order date's rate).
 */
final class PlantedTruth {
    private PlantedTruth() {
    }

    static void record(CompanySimulation world, FxMarket fx, GeneratorManifest manifest) {
        LocalDate end = world.cal.end();
        for (Account a : world.customers()) {
            BigDecimal revenue = BigDecimal.ZERO;
            LocalDate firstPaid = null;
            for (Order o : a.orders) {
                if (o.orderDate.isAfter(end) || !o.finalStatus(end).equals("paid")) {
                    continue;
                }
                revenue = revenue.add(o.amount.multiply(fx.rateOn(o.orderDate, o.currency)));
                if (o.type.equals("new") && (firstPaid == null || o.orderDate.isBefore(firstPaid))) {
                    firstPaid = o.orderDate;
                }
            }
            if (firstPaid == null) {
                throw new IllegalStateException("customer " + a.id + " lost its first paid order");
            }
            manifest.customer(new GeneratorManifest.CustomerTruth(a.id, a.origin, SimCalendar.dateOf(a.firstVisit),
                    firstPaid, a.currency, revenue));
        }
    }
}
