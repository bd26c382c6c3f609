package com.tobwh.generate;

/** A help-desk ticket from a customer's contact, with the times of its status changes. */
final class Ticket {
    final Account account;
    final Contact contact;
    String id;
    long createdAt;
    long firstResponseAt;
    long solvedAt;
    long closedAt;
    String priority;
    String channel;
    String category;
    Integer csat;

    Ticket(Account account, Contact contact) {
        this.account = account;
        this.contact = contact;
    }
}
