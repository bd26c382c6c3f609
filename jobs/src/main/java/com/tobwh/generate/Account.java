package com.tobwh.generate;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** A simulated company that came into contact with us: its fate, size, timeline and everything it produced. */
final class Account {
    enum Fate { WON, LOST, LEAD }

    final int index;
    String id;
    Fate fate;
    /** Won and its first paid order falls inside the period: a customer on disk. */
    boolean customer;
    FirstTouchGroup origin;
    String leadSource;
    TrafficSource originSource;

    /** Day index of the first touch (offline touch or first web visit). */
    int arrivalDay;
    /** Offline only: days from the offline touch to the first web visit. */
    int webGapDays;
    /** Won only: days from the first touch to the first paid order. */
    int daysToOrder;
    /** Lost/lead: days from the first touch until interest ends. */
    int daysActive;

    long originTime;
    long firstVisit;
    LocalDate firstOrderDate;
    /** When pre-sales activity stops: first order, loss, or loss of interest. */
    long presalesEnd;
    long churnTime = Long.MAX_VALUE;
    /** When the primary contact asked for a demo on the website, if they did. */
    long demoAt;

    int seats;
    int termMonths;
    double discount;
    double health;
    boolean foreign;
    String currency;
    String region;
    String industry;
    String band;
    String owner;
    String name;
    String domain;
    long createdAt;
    /** Set on a duplicate record sales created by mistake (and later soft-delete). */
    Account duplicateOf;

    final List<Contact> contacts = new ArrayList<>();
    Opportunity opportunity;
    final List<Order> orders = new ArrayList<>();
    final List<Ticket> tickets = new ArrayList<>();

    Account(int index) {
        this.index = index;
    }

    boolean won() {
        return fate == Fate.WON;
    }
}
