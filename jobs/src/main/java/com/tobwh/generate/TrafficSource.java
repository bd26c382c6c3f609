package com.tobwh.generate;

/**
 * How a visitor arrived for a session, as the tracker records it on the session's first event:
 * referrer and UTM parameters (null when absent), the landing path, and the paid campaign if any.
 */
record TrafficSource(String referrer, String utmSource, String utmMedium, String utmCampaign,
                            String utmContent, String utmTerm, String landingPath, Campaign campaign) {
    public static TrafficSource direct(String landingPath) {
        return new TrafficSource(null, null, null, null, null, null, landingPath, null);
    }

    /** The landing URL as the browser shows it, UTM query included. */
    public String landingUrl(String site) {
        if (utmSource == null && utmMedium == null) {
            return site + landingPath;
        }
        StringBuilder b = new StringBuilder(site).append(landingPath).append('?');
        append(b, "utm_source", utmSource);
        append(b, "utm_medium", utmMedium);
        append(b, "utm_campaign", utmCampaign);
        append(b, "utm_content", utmContent);
        append(b, "utm_term", utmTerm);
        return b.substring(0, b.length() - 1);
    }

    private static void append(StringBuilder b, String key, String value) {
        if (value != null) {
            b.append(key).append('=').append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8))
                    .append('&');
        }
    }
}
