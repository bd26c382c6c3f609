package com.tobwh.generate;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Writes orders: the billing export {@code orders.csv} on each day with orders, an order again
 * with its new status on the day it is refunded or cancelled.
 */
final class OrdersWriter {
    private OrdersWriter() {
    }

    /** Returns the number of status re-deliveries written. */
    static long write(SimCalendar cal, List<Account> accounts, LandingZoneWriter out) {
        ChangeFeed feed = new ChangeFeed();
        for (Account a : accounts) {
            for (Order o : a.orders) {
                feed.add(SimCalendar.midnight(o.orderDate) + 3600L, o.id, row(o, "paid"));
                if (o.laterStatus != null) {
                    feed.add(SimCalendar.midnight(o.statusDate) + 3600L, o.id, row(o, o.laterStatus));
                }
            }
        }
        for (Map.Entry<LocalDate, List<Object[]>> day : feed.byDay(cal).entrySet()) {
            out.write(SourceSchema.ORDERS, day.getKey(), "orders.csv", day.getValue());
        }
        return feed.redeliveries(cal, 0);
    }

    private static Object[] row(Order o, String status) {
        return new Object[] {o.id, o.account.id, o.opportunity == null ? null : o.opportunity.id,
            Timestamps.date(o.orderDate), o.type, o.plan, o.seats, o.amount, o.currency, status,
            Timestamps.date(o.serviceStart), Timestamps.date(o.serviceEnd)};
    }
}
