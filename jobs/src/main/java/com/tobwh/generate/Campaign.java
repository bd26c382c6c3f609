package com.tobwh.generate;

/**
 * One ad campaign of a platform, active on days [fromDay, toDay) of the period. The campaign id is
 * what paid sessions carry in utm_campaign, so spend and sessions join; cpc is in the campaign currency.
 */
record Campaign(String platform, String id, String name, String currency, String utmSource,
                       String utmMedium, boolean brand, double cpc, double ctr, int fromDay, int toDay) {
    public boolean activeOn(int day) {
        return day >= fromDay && day < toDay;
    }
}
