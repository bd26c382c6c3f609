package com.tobwh.generate;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Invents plausible company names, domains, regions, industries and sales owners. */
final class Firmographics {
    static final List<String> REPS = List.of("Zhang Wei", "Li Na", "Wang Fang", "Liu Yang", "Chen Jing",
            "Zhao Lei", "Huang Min", "Zhou Jie");
    static final List<String> FOREIGN_REPS = List.of("Grace Tan", "Daniel Wong");
    static final List<String> CSMS = List.of("Xu Ting (CSM)", "Ma Chao (CSM)", "Sun Li (CSM)");
    static final List<String> BANDS = List.of("1-50", "51-200", "201-1000", "1000+");

    private static final String[][] CN_REGIONS = {
        {"East China", "上海", "杭州", "苏州", "南京", "宁波"},
        {"North China", "北京", "天津", "石家庄"},
        {"South China", "深圳", "广州", "东莞", "厦门"},
        {"Central China", "武汉", "长沙", "郑州"},
        {"Southwest China", "成都", "重庆", "昆明"},
        {"Northeast China", "沈阳", "大连"},
        {"Northwest China", "西安", "兰州"}};
    private static final double[] CN_REGION_WEIGHTS = {34, 22, 22, 9, 8, 3, 2};
    private static final String[][] BRANDS = {
        {"新锐", "xinrui"}, {"华泰", "huatai"}, {"联信", "lianxin"}, {"云帆", "yunfan"}, {"启明", "qiming"},
        {"博远", "boyuan"}, {"中科", "zhongke"}, {"天润", "tianrun"}, {"瑞达", "ruida"}, {"恒通", "hengtong"},
        {"金桥", "jinqiao"}, {"数联", "shulian"}, {"智汇", "zhihui"}, {"易达", "yida"}, {"嘉禾", "jiahe"},
        {"鼎盛", "dingsheng"}, {"正泰", "zhengtai"}, {"长风", "changfeng"}, {"青松", "qingsong"}, {"海纳", "haina"},
        {"思源", "siyuan"}, {"东方", "dongfang"}, {"星辰", "xingchen"}, {"卓越", "zhuoyue"}, {"万象", "wanxiang"},
        {"宏图", "hongtu"}, {"远航", "yuanhang"}, {"国信", "guoxin"}, {"美联", "meilian"}, {"飞鸿", "feihong"},
        {"汇丰", "huifeng"}, {"安信", "anxin"}, {"百川", "baichuan"}, {"凌云", "lingyun"}, {"明德", "mingde"},
        {"同创", "tongchuang"}, {"蓝海", "lanhai"}, {"领航", "linghang"}, {"优品", "youpin"}, {"精工", "jinggong"}};
    private static final String[][] INDUSTRIES = {
        {"software", "科技", "tech"}, {"manufacturing", "制造", "mfg"}, {"retail", "贸易", "trade"},
        {"logistics", "物流", "logistics"}, {"education", "教育", "edu"}, {"healthcare", "医疗", "health"},
        {"financial_services", "金融", "fin"}, {"media", "传媒", "media"}};
    private static final double[] INDUSTRY_WEIGHTS = {30, 22, 14, 9, 8, 7, 6, 4};
    private static final String[] EN_FIRST = {"Pacific", "Harbor", "Summit", "Bluewave", "Northstar", "Evergreen",
        "Lion City", "Kowloon", "Rhine", "Alpine", "Golden Gate", "Meridian", "Silverline", "Orchid", "Bayview"};
    private static final String[] EN_SECOND = {"Trading", "Systems", "Logistics", "Analytics", "Manufacturing",
        "Health", "Capital", "Media", "Software", "Robotics"};

    private final Set<String> usedNames = new HashSet<>();
    private final Set<String> usedDomains = new HashSet<>();

    /** Domains stay unique so that e-mail addresses never collide across accounts. */
    private String uniqueDomain(String stem, String tld, int index) {
        String d = stem + tld;
        if (!usedDomains.add(d)) {
            d = stem + index + tld;
            usedDomains.add(d);
        }
        return d;
    }

    /** Region, currency and name of a company; foreign ones pay in USD, EUR or HKD. */
    void assign(Account a, Rng r) {
        int ind = r.weighted(INDUSTRY_WEIGHTS);
        a.industry = INDUSTRIES[ind][0];
        if (a.foreign) {
            int where = r.weighted(40, 20, 25, 15);
            a.region = switch (where) {
                case 0 -> "Singapore";
                case 1 -> "North America";
                case 2 -> "Hong Kong";
                default -> "Europe";
            };
            a.currency = where == 2 ? "HKD" : where == 3 ? "EUR" : "USD";
            String suffix = switch (where) {
                case 0 -> "Pte. Ltd.";
                case 1 -> "Inc.";
                case 2 -> "Limited";
                default -> "GmbH";
            };
            String name;
            String first;
            String second;
            do {
                first = r.pick(EN_FIRST);
                second = r.pick(EN_SECOND);
                String nick = r.chance(0.03) ? " \"" + first.substring(0, 1) + second.substring(0, 1) + "\"" : "";
                name = first + nick + " " + second + " " + suffix;
                if (usedNames.contains(name)) {
                    name = first + " " + second + " " + r.pick("Group", "Holdings", "Partners", "Asia") + " " + suffix;
                }
            } while (usedNames.contains(name));
            usedNames.add(name);
            a.name = name;
            a.domain = uniqueDomain((first + second).toLowerCase().replace(" ", ""), where == 3 ? ".de" : ".com", a.index);
            a.owner = r.pick(FOREIGN_REPS);
        } else {
            int reg = r.weighted(CN_REGION_WEIGHTS);
            String[] region = CN_REGIONS[reg];
            a.region = region[0];
            a.currency = "CNY";
            String city = region[1 + r.nextInt(region.length - 1)];
            String[] b1;
            String[] b2 = null;
            String name;
            int tries = 0;
            do {
                b1 = BRANDS[r.nextInt(BRANDS.length)];
                if (tries++ > 3) {
                    b2 = BRANDS[r.nextInt(BRANDS.length)];
                }
                name = city + b1[0] + (b2 == null ? "" : b2[0]) + INDUSTRIES[ind][1] + "有限公司";
            } while (usedNames.contains(name) && tries < 50);
            if (usedNames.contains(name)) {
                name = name + "(" + a.index + ")";
            }
            usedNames.add(name);
            a.name = name;
            a.domain = uniqueDomain(b1[1] + (b2 == null ? "" : b2[1]) + "-" + INDUSTRIES[ind][2], ".cn", a.index);
            a.owner = r.pick(REPS);
        }
    }

    /** Headcount band: at least what the seat count implies, sometimes a band more. */
    static String band(int seats, Rng r) {
        int b = seats <= 10 ? 0 : seats <= 60 ? 1 : seats <= 300 ? 2 : 3;
        if (b < 3 && r.chance(0.15)) {
            b++;
        }
        return BANDS.get(b);
    }

    static String email(Account a, int seq, Rng r) {
        String[] given = {"wei", "na", "fang", "yang", "jing", "lei", "min", "jie", "tao", "xin", "hui", "qiang",
            "yan", "chao", "ting", "hao", "lin", "peng"};
        String[] family = {"zhang", "li", "wang", "liu", "chen", "zhao", "huang", "zhou", "wu", "xu", "sun", "ma",
            "hu", "guo", "he", "lin", "gao", "luo"};
        String[] en = {"alex", "sam", "emma", "lucas", "mia", "noah", "olivia", "ethan", "chloe", "ryan"};
        String local = a.foreign ? r.pick(en) + "." + r.pick("tan", "lee", "smith", "muller", "wong", "ng", "brown")
                : r.pick(given) + "." + r.pick(family);
        return local + (seq > 0 ? String.valueOf(seq + 1) : "") + "@" + a.domain;
    }
}
