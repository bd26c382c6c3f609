package com.tobwh.generate;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** A sales opportunity and its stage history; every change is a CRM re-delivery. */
final class Opportunity {
    /** One state of the opportunity from a point in time on. */
    record Change(long at, String stage, BigDecimal amount, boolean deleted) {
    }

    final Account account;
    String id;
    Contact primaryContact;
    long createdAt;
    String currency;
    final List<Change> changes = new ArrayList<>();

    Opportunity(Account account) {
        this.account = account;
    }
}
