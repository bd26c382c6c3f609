package com.tobwh.generate;

import java.math.BigDecimal;
import java.time.LocalDate;

/** One billing-export order; a refund or cancellation re-delivers it on a later day with the new status. */
final class Order {
    final Account account;
    final int seq;
    String id;
    Opportunity opportunity;
    LocalDate orderDate;
    String type;
    String plan;
    int seats;
    BigDecimal amount;
    String currency;
    LocalDate serviceStart;
    LocalDate serviceEnd;
    /** refunded or cancelled, delivered on statusDate; null while the order stays paid. */
    String laterStatus;
    LocalDate statusDate;

    Order(Account account, int seq) {
        this.account = account;
        this.seq = seq;
    }

    /** Status as the latest delivery within the period says. */
    String finalStatus(LocalDate periodEnd) {
        return laterStatus != null && !statusDate.isAfter(periodEnd) ? laterStatus : "paid";
    }
}
