package com.tobwh.generate;

/** A person at an account: how they entered the CRM and, if they browse our site, their device. */
final class Contact {
    /** How the contact came to be in the CRM. */
    enum Entry { WEB_SIGNUP, SALES_OFFLINE, SALES_ADDED, PRODUCT_INVITE }

    final Account account;
    final int seq;
    String id;
    Entry entry;
    long createdAt = Long.MAX_VALUE;
    String leadSource;
    String email;
    /** Null when the contact never visits the website. */
    String anonymousId;
    String userAgent;
    boolean mobile;
    /** Time of the event that first ties the device to the contact (signup or login). */
    long identifiedAt = Long.MAX_VALUE;

    Account movedTo;
    long movedAt;
    long deletedAt = Long.MAX_VALUE;

    Contact(Account account, int seq) {
        this.account = account;
        this.seq = seq;
    }
}
