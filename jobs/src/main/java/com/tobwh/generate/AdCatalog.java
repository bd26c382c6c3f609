package com.tobwh.generate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The company's paid channels: ad platforms with their campaigns (ids shared by channel_spend
 * and session utm_campaign) and the trade shows it exhibits at (lumpy offline spend).
 */
final class AdCatalog {
    /** Platforms in the order their files are written. */
    public static final List<String> PLATFORMS = List.of("baidu_sem", "google_ads", "linkedin_ads", "wechat_ads",
            "zhihu_ads", "toutiao_ads", "zbj", "coding_mart", "trade_show");

    private static final int ALWAYS = Integer.MAX_VALUE;

    /** One exhibition: its campaign and the days it runs. */
    public record TradeShow(Campaign campaign, int firstDay, int lengthDays) {
        public int lastDay() {
            return firstDay + lengthDays - 1;
        }
    }

    private final List<Campaign> campaigns = new ArrayList<>();
    private final List<TradeShow> shows = new ArrayList<>();

    public AdCatalog(SimCalendar cal) {
        add("baidu_sem", "bdsem_1001", "品牌词-核心", "CNY", "baidu", true, 2.5, 0.060, 0, ALWAYS);
        add("baidu_sem", "bdsem_1002", "通用词-CRM软件", "CNY", "baidu", false, 9.0, 0.018, 0, ALWAYS);
        add("baidu_sem", "bdsem_1003", "竞品词", "CNY", "baidu", false, 12.0, 0.012, 0, ALWAYS);
        add("baidu_sem", "bdsem_1004", "行业词-制造业, 零售", "CNY", "baidu", false, 7.5, 0.015, 60, 240);
        add("google_ads", "gads_2001", "Brand - Global", "USD", "google", true, 0.6, 0.070, 0, ALWAYS);
        add("google_ads", "gads_2002", "Generic \"B2B CRM\" - APAC", "USD", "google", false, 2.8, 0.021, 0, ALWAYS);
        add("google_ads", "gads_2003", "Remarketing, display", "USD", "google", false, 0.9, 0.004, 90, ALWAYS);
        add("linkedin_ads", "li_3001", "Decision makers, APAC", "USD", "linkedin", false, 6.5, 0.006, 0, ALWAYS);
        add("linkedin_ads", "li_3002", "Webinar promo", "USD", "linkedin", false, 5.0, 0.008, 30, 200);
        add("wechat_ads", "wx_4001", "朋友圈-品牌", "CNY", "wechat", false, 3.2, 0.009, 0, ALWAYS);
        add("wechat_ads", "wx_4002", "公众号文章推广", "CNY", "wechat", false, 2.4, 0.012, 0, ALWAYS);
        add("zhihu_ads", "zh_5001", "知乎-问答推广", "CNY", "zhihu", false, 4.0, 0.010, 0, ALWAYS);
        add("toutiao_ads", "tt_6001", "头条-信息流", "CNY", "toutiao", false, 1.8, 0.011, 0, ALWAYS);
        add("toutiao_ads", "tt_6002", "抖音-企业号", "CNY", "toutiao", false, 1.5, 0.013, 120, ALWAYS);
        add("zbj", "zbj_7001", "猪八戒-店铺推广", "CNY", "zbj", false, 6.0, 0.030, 0, ALWAYS);
        add("zbj", "zbj_7002", "猪八戒-首页推荐", "CNY", "zbj", false, 8.0, 0.025, 45, 300);
        add("coding_mart", "cm_8001", "码市-项目推荐位", "CNY", "codemart", false, 5.0, 0.028, 0, ALWAYS);
        String[] names = {"中国SaaS大会 (上海)", "数字化转型峰会, 北京", "GITEX Asia Singapore", "深圳高交会",
            "企业服务博览会 (杭州)", "Cloud Expo China"};
        int[] starts = {20, 75, 130, 190, 250, 310};
        for (int i = 0; i < starts.length; i++) {
            int first = starts[i] + (cal.start().getYear() % 3);
            String name = cal.start().plusDays(first).getYear() + " " + names[i];
            Campaign c = new Campaign("trade_show", "ts_" + (9001 + i), name, "CNY", null, null, false,
                    0, 0, first, first + (i % 2 == 0 ? 3 : 2));
            campaigns.add(c);
            shows.add(new TradeShow(c, first, c.toDay() - c.fromDay()));
        }
    }

    private void add(String platform, String id, String name, String currency, String utmSource, boolean brand,
                     double cpc, double ctr, int from, int to) {
        String medium = platform.equals("zbj") || platform.equals("coding_mart") ? "referral" : "cpc";
        campaigns.add(new Campaign(platform, id, name, currency, utmSource, medium, brand, cpc, ctr, from, to));
    }

    public List<Campaign> campaigns() {
        return Collections.unmodifiableList(campaigns);
    }

    public List<Campaign> campaigns(String platform) {
        return campaigns.stream().filter(c -> c.platform().equals(platform)).toList();
    }

    /** An active campaign of the platform on the day, brand or generic as asked when there is one. */
    public Campaign pick(String platform, int day, boolean brand, Rng rng) {
        List<Campaign> active = campaigns.stream()
                .filter(c -> c.platform().equals(platform) && c.activeOn(day) && c.brand() == brand).toList();
        if (active.isEmpty()) {
            active = campaigns.stream().filter(c -> c.platform().equals(platform) && c.activeOn(day)).toList();
        }
        return active.isEmpty() ? null : rng.pick(active);
    }

    /** The trade show that ended within {@code window} days before (or on) the day, if any. */
    public TradeShow showEndedBefore(int day, int window) {
        TradeShow best = null;
        for (TradeShow s : shows) {
            if (s.firstDay() <= day && day - s.lastDay() <= window) {
                best = s;
            }
        }
        return best;
    }
}
