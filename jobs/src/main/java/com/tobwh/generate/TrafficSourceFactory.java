package com.tobwh.generate;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Makes traffic sources the way real referrers and UTM tags look, per channel: paid and organic
 * search engines, outsourcing platforms, social media, email, direct, partner sites.
 */
final class TrafficSourceFactory {
    public static final String SITE = "https://www.lumencloud.cn";
    public static final String APP = "https://app.lumencloud.cn";

    static final List<String> CONTENT_PAGES = List.of("/", "/product", "/product/crm", "/product/analytics",
            "/pricing", "/solutions/manufacturing", "/solutions/retail", "/solutions/saas", "/customers",
            "/blog/b2b-sales-funnel", "/blog/crm-selection-guide", "/blog/lead-scoring-101",
            "/resources/whitepaper-digital-sales", "/about", "/contact", "/docs/getting-started");
    private static final List<String> SEARCH_LANDINGS = List.of("/", "/product", "/product/crm", "/pricing",
            "/solutions/manufacturing", "/solutions/retail", "/blog/crm-selection-guide");
    private static final List<String> KEYWORDS_CN = List.of("crm系统", "客户管理软件", "销售管理系统", "scrm",
            "企业微信 crm", "销售漏斗 工具", "b2b 客户管理");
    private static final List<String> KEYWORDS_EN = List.of("b2b crm", "sales pipeline software",
            "crm for manufacturers", "lead scoring tool");
    private static final List<String> BRAND_TERMS = List.of("lumen cloud", "lumencloud", "lumen云", "lumen crm");

    private final AdCatalog ads;

    public TrafficSourceFactory(AdCatalog ads) {
        this.ads = ads;
    }

    /** The source of an account's first session, which defines its first-touch channel group. */
    public TrafficSource firstTouch(FirstTouchGroup group, int day, boolean foreign, Rng r) {
        return switch (group) {
            case SEARCH -> r.chance(0.55) ? paidSearch(day, foreign, false, r) : organicSearch(foreign, r);
            case THIRD_PARTY_PLATFORM -> platform(day, r);
            case SOCIAL_MEDIA -> r.chance(0.5) ? paidSocial(day, foreign, r) : organicSocial(r);
            case OFFLINE -> r.chance(0.6) ? direct(r) : brandedSearch(foreign, r);
        };
    }

    public TrafficSource paidSearch(int day, boolean foreign, boolean brand, Rng r) {
        String platform = foreign ? (r.chance(0.85) ? "google_ads" : "baidu_sem")
                : (r.chance(0.8) ? "baidu_sem" : "google_ads");
        Campaign c = ads.pick(platform, day, brand, r);
        if (c == null) {
            return organicSearch(foreign, r);
        }
        String term = brand ? r.pick(BRAND_TERMS) : r.pick(c.currency().equals("USD") ? KEYWORDS_EN : KEYWORDS_CN);
        return new TrafficSource(null, c.utmSource(), "cpc", c.id(), "ad_" + r.between(101, 140), term,
                r.pick(SEARCH_LANDINGS), c);
    }

    public TrafficSource organicSearch(boolean foreign, Rng r) {
        String kw = r.pick(foreign ? KEYWORDS_EN : KEYWORDS_CN);
        String q = URLEncoder.encode(kw, StandardCharsets.UTF_8);
        int engine = foreign ? r.weighted(10, 75, 15, 0, 0) : r.weighted(58, 15, 10, 9, 8);
        String ref = switch (engine) {
            case 0 -> "https://www.baidu.com/s?wd=" + q;
            case 1 -> "https://www.google.com/";
            case 2 -> "https://cn.bing.com/search?q=" + q;
            case 3 -> "https://www.sogou.com/web?query=" + q;
            default -> "https://www.so.com/s?q=" + q;
        };
        return new TrafficSource(ref, null, null, null, null, null, r.pick(SEARCH_LANDINGS), null);
    }

    /** A branded query: the visitor already knows the company (word of mouth, offline, returning). */
    public TrafficSource brandedSearch(boolean foreign, Rng r) {
        String q = URLEncoder.encode(r.pick(BRAND_TERMS), StandardCharsets.UTF_8);
        String ref = foreign ? "https://www.google.com/" : (r.chance(0.85) ? "https://www.baidu.com/s?wd=" + q
                : "https://cn.bing.com/search?q=" + q);
        return new TrafficSource(ref, null, null, null, null, null, "/", null);
    }

    public TrafficSource platform(int day, Rng r) {
        int which = r.weighted(50, 25, 25);
        String ref = switch (which) {
            case 0 -> "https://www.zbj.com/fw/" + r.between(10000, 99999) + ".html";
            case 1 -> "https://www.epwk.com/task/" + r.between(100000, 999999) + "/";
            default -> "https://codemart.com/project/" + r.between(1000, 99999);
        };
        if (which != 1 && r.chance(0.4)) {
            Campaign c = ads.pick(which == 0 ? "zbj" : "coding_mart", day, false, r);
            if (c != null) {
                return new TrafficSource(ref, c.utmSource(), "referral", c.id(), null, null, "/solutions/saas", c);
            }
        }
        return new TrafficSource(ref, null, null, null, null, null, r.pick("/", "/product", "/customers"), null);
    }

    public TrafficSource organicSocial(Rng r) {
        String ref = switch (r.weighted(40, 30, 15, 15)) {
            case 0 -> "https://mp.weixin.qq.com/s/" + token(r);
            case 1 -> "https://www.zhihu.com/question/" + r.between(200000000, 699999999);
            case 2 -> "https://weibo.com/" + r.between(1000000000, 1999999999);
            default -> "https://www.toutiao.com/article/" + r.between(100000000, 999999999) + "/";
        };
        return new TrafficSource(ref, null, null, null, null, null,
                r.pick("/blog/b2b-sales-funnel", "/blog/lead-scoring-101", "/", "/customers"), null);
    }

    public TrafficSource paidSocial(int day, boolean foreign, Rng r) {
        String platform = foreign ? "linkedin_ads"
                : switch (r.weighted(45, 25, 22, 8)) {
                    case 0 -> "wechat_ads";
                    case 1 -> "zhihu_ads";
                    case 2 -> "toutiao_ads";
                    default -> "linkedin_ads";
                };
        Campaign c = ads.pick(platform, day, false, r);
        if (c == null) {
            return organicSocial(r);
        }
        String ref = switch (platform) {
            case "zhihu_ads" -> "https://www.zhihu.com/";
            case "toutiao_ads" -> "https://www.toutiao.com/";
            case "linkedin_ads" -> "https://www.linkedin.com/";
            default -> null;
        };
        return new TrafficSource(ref, c.utmSource(), "cpc", c.id(), "creative_" + r.between(1, 12), null,
                r.pick("/", "/product", "/resources/whitepaper-digital-sales"), c);
    }

    public TrafficSource email(Rng r) {
        String source = r.pick("newsletter", "edm", "hubspot");
        String campaign = r.pick("nurture_welcome", "product_update", "webinar_invite", "case_study_digest");
        return new TrafficSource(null, source, "email", campaign, null, null, r.pick("/product", "/blog/b2b-sales-funnel",
                "/customers", "/pricing"), null);
    }

    /** Invitation e-mails sent by the product when a customer adds a colleague. */
    public TrafficSource productInvite() {
        return new TrafficSource(null, "product", "email", "team_invite", null, null, "/signup", null);
    }

    public TrafficSource direct(Rng r) {
        return TrafficSource.direct(r.pick("/", "/", "/pricing", "/product", "/login"));
    }

    public TrafficSource partnerReferral(Rng r) {
        String ref = r.pick("https://www.36kr.com/p/" + r.between(1000000, 2999999),
                "https://sspai.com/post/" + r.between(10000, 89999),
                "https://www.woshipm.com/pmd/" + r.between(100000, 999999) + ".html",
                "https://partners.aliyun.com/marketplace/lumen");
        return new TrafficSource(ref, null, null, null, null, null, "/", null);
    }

    /** A later session of someone who already knows the company. */
    public TrafficSource returning(FirstTouchGroup origin, int day, boolean foreign, boolean identified, Rng r) {
        int k = r.weighted(38, identified ? 18 : 0, 16, 10, 18);
        return switch (k) {
            case 0 -> direct(r);
            case 1 -> email(r);
            case 2 -> brandedSearch(foreign, r);
            case 3 -> paidSearch(day, foreign, true, r);
            default -> origin == FirstTouchGroup.OFFLINE ? direct(r) : firstTouch(origin, day, foreign, r);
        };
    }

    /** Sources of visitors who stay anonymous: the broad top of the funnel. */
    public TrafficSource anonymous(int day, Rng r) {
        return switch (r.weighted(18, 30, 6, 9, 5, 22, 7, 3)) {
            case 0 -> paidSearch(day, r.chance(0.08), false, r);
            case 1 -> organicSearch(r.chance(0.08), r);
            case 2 -> platform(day, r);
            case 3 -> organicSocial(r);
            case 4 -> paidSocial(day, r.chance(0.08), r);
            case 5 -> direct(r);
            case 6 -> partnerReferral(r);
            default -> email(r);
        };
    }

    private static String token(Rng r) {
        String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder b = new StringBuilder(22);
        for (int i = 0; i < 22; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
