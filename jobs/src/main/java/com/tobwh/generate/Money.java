package com.tobwh.generate;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Money as the contract writes it: a plain decimal string, two decimals for amounts, four for rates. */
final class Money {
    private Money() {
    }

    public static BigDecimal amount(double v) {
        return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP);
    }

    public static BigDecimal rate(double v) {
        return BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_UP);
    }

    public static String text(BigDecimal v) {
        return v.toPlainString();
    }
}
