package com.tobwh.generate;

import java.math.BigDecimal;
import java.util.Map;

/** List prices per seat and month by plan and currency, and the discounts for longer terms. */
final class PriceBook {
    private static final Map<String, double[]> PER_SEAT_MONTH = Map.of(
            "CNY", new double[] {69, 129, 199, 269},
            "USD", new double[] {10, 18.5, 28.5, 38.5},
            "EUR", new double[] {9, 17, 26, 35},
            "HKD", new double[] {76, 142, 219, 296});

    private PriceBook() {
    }

    /** Bigger teams buy richer plans. */
    public static String planFor(int seats) {
        if (seats <= 5) {
            return "starter";
        }
        if (seats <= 25) {
            return "growth";
        }
        return seats <= 150 ? "business" : "enterprise";
    }

    public static double seatMonth(String plan, String currency) {
        double[] p = PER_SEAT_MONTH.get(currency);
        return switch (plan) {
            case "starter" -> p[0];
            case "growth" -> p[1];
            case "business" -> p[2];
            default -> p[3];
        };
    }

    public static double termDiscount(int termMonths) {
        return termMonths >= 12 ? 0.85 : termMonths >= 3 ? 0.95 : 1.0;
    }

    /** Price of {@code seats} for {@code months} months on a term of {@code termMonths}, after the account's discount. */
    public static BigDecimal price(int seats, int months, int termMonths, double accountDiscount, String currency) {
        String plan = planFor(seats);
        return Money.amount(seats * seatMonth(plan, currency) * months * termDiscount(termMonths) * accountDiscount);
    }

    /** Annual contract value, what sales records as the opportunity amount. */
    public static BigDecimal acv(int seats, int termMonths, double accountDiscount, String currency) {
        return price(seats, 12, termMonths, accountDiscount, currency);
    }
}
