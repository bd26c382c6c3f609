package com.tobwh.generate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** What a generator run wrote (rows, bad rows, bad files) and planted (mess counts, per-customer truth). */
public final class GeneratorManifest {
    /** The six landing sources in contract order. */
    public static final List<String> SOURCES =
            List.of("channel_spend", "web_traffic", "crm", "orders", "support_tickets", "fx_rates");

    /** Counts for one file kind (file name, e.g. {@code events.jsonl.gz}) of a source. */
    public record FileKindStats(String source, String fileKind, int files, long rows, long bytes,
                                Map<BadRowKind, Long> badRows) {
        public long badRowTotal() {
            return badRows.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** A whole file planted unreadable; its lines are extra copies of data delivered elsewhere. */
    public record BadFile(String path, String source, String reason, int intendedLines) {
    }

    /** Planted truth for one customer (an account with a paid order on disk at the end). */
    public record CustomerTruth(String accountId, FirstTouchGroup firstTouch, LocalDate firstVisitDate,
                                LocalDate firstPaidOrderDate, String currency, BigDecimal netRevenueCny) {
    }

    private final GeneratorOptions options;
    private final Map<String, Map<String, long[]>> stats = new LinkedHashMap<>();
    private final Map<String, Map<String, Map<BadRowKind, Long>>> bad = new LinkedHashMap<>();
    private final List<BadFile> badFiles = new ArrayList<>();
    private final Map<String, Long> planted = new LinkedHashMap<>();
    private final Map<String, Long> entities = new LinkedHashMap<>();
    private final Map<String, BigDecimal> spendByPlatform = new TreeMap<>();
    private final List<CustomerTruth> customers = new ArrayList<>();
    private double elapsedSeconds = Double.NaN;

    GeneratorManifest(GeneratorOptions options) {
        this.options = options;
        for (String s : SOURCES) {
            stats.put(s, new TreeMap<>());
            bad.put(s, new TreeMap<>());
        }
    }

    // ---- recording (package-private: only the generator fills a manifest) ----

    void recordFile(String source, String fileKind, long lines, Map<BadRowKind, Integer> badRows, long bytes) {
        long[] s = stats.get(source).computeIfAbsent(fileKind, k -> new long[3]);
        s[0]++;
        s[1] += lines;
        s[2] += bytes;
        Map<BadRowKind, Long> b = bad.get(source).computeIfAbsent(fileKind, k -> new EnumMap<>(BadRowKind.class));
        badRows.forEach((k, v) -> b.merge(k, (long) v, Long::sum));
    }

    void recordBadFile(BadFile f, long bytes) {
        badFiles.add(f);
        long[] s = stats.get(f.source()).computeIfAbsent("(bad files)", k -> new long[3]);
        s[0]++;
        s[2] += bytes;
    }

    void count(String what, long n) {
        planted.merge(what, n, Long::sum);
    }

    void entity(String what, long n) {
        entities.put(what, n);
    }

    void spend(String platform, BigDecimal amount) {
        spendByPlatform.merge(platform, amount, BigDecimal::add);
    }

    void customer(CustomerTruth c) {
        customers.add(c);
    }

    void elapsed(double seconds) {
        this.elapsedSeconds = seconds;
    }

    // ---- reading ----

    public GeneratorOptions options() {
        return options;
    }

    public Map<String, FileKindStats> fileKinds(String source) {
        Map<String, FileKindStats> out = new LinkedHashMap<>();
        stats.get(source).forEach((kind, s) -> {
            if (!kind.startsWith("(")) {
                out.put(kind, new FileKindStats(source, kind, (int) s[0], s[1], s[2],
                        Collections.unmodifiableMap(bad.get(source).getOrDefault(kind, new EnumMap<>(BadRowKind.class)))));
            }
        });
        return out;
    }

    /** Data lines (good and bad, no CSV headers) in the source's readable files. */
    public long rows(String source) {
        return fileKinds(source).values().stream().mapToLong(FileKindStats::rows).sum();
    }

    public long rows(String source, String fileKind) {
        FileKindStats s = fileKinds(source).get(fileKind);
        return s == null ? 0 : s.rows();
    }

    public long badRows(String source, BadRowKind kind) {
        return fileKinds(source).values().stream().mapToLong(s -> s.badRows().getOrDefault(kind, 0L)).sum();
    }

    public long badRows(String source) {
        return fileKinds(source).values().stream().mapToLong(FileKindStats::badRowTotal).sum();
    }

    public Map<BadRowKind, Long> badRowsByKind() {
        Map<BadRowKind, Long> out = new EnumMap<>(BadRowKind.class);
        for (String s : SOURCES) {
            for (BadRowKind k : BadRowKind.values()) {
                long n = badRows(s, k);
                if (n > 0) {
                    out.merge(k, n, Long::sum);
                }
            }
        }
        return out;
    }

    public long badRowTotal() {
        return badRowsByKind().values().stream().mapToLong(Long::longValue).sum();
    }

    /** Files of the source, the planted bad files included. */
    public int files(String source) {
        return stats.get(source).values().stream().mapToInt(s -> (int) s[0]).sum();
    }

    /** Bytes on disk of the source's files (gzip files compressed), the bad files included. */
    public long bytes(String source) {
        return stats.get(source).values().stream().mapToLong(s -> s[2]).sum();
    }

    public int totalFiles() {
        return SOURCES.stream().mapToInt(this::files).sum();
    }

    public long totalBytes() {
        return SOURCES.stream().mapToLong(this::bytes).sum();
    }

    public List<BadFile> badFiles() {
        return Collections.unmodifiableList(badFiles);
    }

    /** A planted count by name: duplicate_events, late_events, restated_spend_rows, ... (0 when absent). */
    public long planted(String what) {
        return planted.getOrDefault(what, 0L);
    }

    public Map<String, Long> plantedCounts() {
        return Collections.unmodifiableMap(planted);
    }

    public long duplicateEvents() { return planted("duplicate_events"); }
    public long lateEvents() { return planted("late_events"); }
    public long restatedSpendRows() { return planted("restated_spend_rows"); }
    public long crmRedeliveries() { return planted("crm_redeliveries"); }
    public long identityConflicts() { return planted("identity_conflicts"); }

    /** Entity counts: crm accounts, contacts, opportunities, web events, orders, tickets. */
    public Map<String, Long> entities() {
        return Collections.unmodifiableMap(entities);
    }

    /** Final (latest delivery) spend per platform, in the platform's own currency. */
    public Map<String, BigDecimal> spendByPlatform() {
        return Collections.unmodifiableMap(spendByPlatform);
    }

    public List<CustomerTruth> customers() {
        return Collections.unmodifiableList(customers);
    }

    public BigDecimal totalNetRevenueCny() {
        return customers.stream().map(CustomerTruth::netRevenueCny).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** Customers by revenue, largest first, ties by account_id as the marts break them. */
    private List<CustomerTruth> ranked() {
        List<CustomerTruth> r = new ArrayList<>(customers);
        r.sort(Comparator.comparing(CustomerTruth::netRevenueCny).reversed().thenComparing(CustomerTruth::accountId));
        return r;
    }

    public double topShare(int n) {
        BigDecimal total = totalNetRevenueCny();
        if (total.signum() == 0) {
            return 0;
        }
        BigDecimal top = ranked().stream().limit(n).map(CustomerTruth::netRevenueCny)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        return top.divide(total, 10, RoundingMode.HALF_UP).doubleValue();
    }

    /** Share of net revenue of the top ceil(20%) customers. */
    public double top20Share() {
        return topShare((int) Math.ceil(0.2 * customers.size()));
    }

    public double top10Share() {
        return topShare(10);
    }

    /** Share of customers by planted first-touch group. */
    public Map<FirstTouchGroup, Double> firstTouchMix() {
        Map<FirstTouchGroup, Double> mix = new EnumMap<>(FirstTouchGroup.class);
        for (FirstTouchGroup g : FirstTouchGroup.values()) {
            long n = customers.stream().filter(c -> c.firstTouch() == g).count();
            mix.put(g, customers.isEmpty() ? 0.0 : (double) n / customers.size());
        }
        return mix;
    }

    public double elapsedSeconds() {
        return elapsedSeconds;
    }

    /** A short human-readable report of the run. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Generated %s .. %s (%d days), seed %d, scale %s, bad share %s%n",
                options.start(), options.start().plusDays(options.days() - 1L), options.days(), options.seed(),
                trim(options.scale()), trim(options.badShare())));
        for (String s : SOURCES) {
            b.append(String.format(Locale.ROOT, "  %-16s %9d rows %6d files %12d bytes %6d bad rows%n",
                    s, rows(s), files(s), bytes(s), badRows(s)));
        }
        b.append(String.format(Locale.ROOT, "  bad rows by kind: %s%n", codes(badRowsByKind())));
        for (BadFile f : badFiles) {
            b.append(String.format(Locale.ROOT, "  bad file: %s (%s, %d lines meant)%n", f.path(), f.reason(),
                    f.intendedLines()));
        }
        b.append(String.format(Locale.ROOT, "  planted: %s%n", planted));
        b.append(String.format(Locale.ROOT, "  entities: %s%n", entities));
        Map<String, String> mix = new LinkedHashMap<>();
        firstTouchMix().forEach((g, v) -> mix.put(g.code(), String.format(Locale.ROOT, "%.1f%%", 100 * v)));
        b.append(String.format(Locale.ROOT,
                "  customers: %d, net revenue %s CNY, top 20%% share %.3f, top 10 share %.3f%n",
                customers.size(), totalNetRevenueCny().setScale(2, RoundingMode.HALF_UP).toPlainString(),
                top20Share(), top10Share()));
        b.append(String.format(Locale.ROOT, "  first-touch mix of customers: %s", mix));
        if (!Double.isNaN(elapsedSeconds)) {
            b.append(String.format(Locale.ROOT, "%n  took %.1f s", elapsedSeconds));
        }
        return b.toString();
    }

    private static String trim(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    private static Map<String, Long> codes(Map<BadRowKind, Long> m) {
        Map<String, Long> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k.code(), v));
        return out;
    }

    /** The manifest as JSON; the output path and timing are left out so reruns are byte-identical. */
    public String toJson() {
        StringBuilder b = new StringBuilder();
        b.append("{\n  \"generator\": \"com.tobwh.generate.SampleDataGenerator\",\n");
        b.append("  \"options\": {\"seed\": ").append(options.seed())
                .append(", \"scale\": ").append(trim(options.scale()))
                .append(", \"days\": ").append(options.days())
                .append(", \"start\": \"").append(options.start())
                .append("\", \"end\": \"").append(options.start().plusDays(options.days() - 1L))
                .append("\", \"bad_share\": ").append(trim(options.badShare())).append("},\n");
        b.append("  \"timestamps_note\": \"web events of events-mobile.jsonl carry +00:00 offsets; everything else +08:00\",\n");
        b.append("  \"fx_note\": \"fx_rates hold USD, EUR, HKD and CNY (rate 1) in CNY per unit; weekends and holidays are skipped\",\n");
        b.append("  \"sources\": {\n");
        for (int i = 0; i < SOURCES.size(); i++) {
            String s = SOURCES.get(i);
            b.append("    \"").append(s).append("\": {\"files\": ").append(files(s)).append(", \"bytes\": ")
                    .append(bytes(s)).append(", \"rows\": ").append(rows(s)).append(", \"bad_rows\": ")
                    .append(badRows(s)).append(", \"file_kinds\": {");
            int j = 0;
            for (FileKindStats k : fileKinds(s).values()) {
                b.append(j++ == 0 ? "\n" : ",\n");
                b.append("      \"").append(k.fileKind()).append("\": {\"files\": ").append(k.files())
                        .append(", \"rows\": ").append(k.rows()).append(", \"bytes\": ").append(k.bytes())
                        .append(", \"bad_rows\": ").append(jsonCounts(codes(k.badRows()))).append('}');
            }
            b.append(j == 0 ? "}}" : "\n    }}").append(i < SOURCES.size() - 1 ? ",\n" : "\n");
        }
        b.append("  },\n");
        b.append("  \"bad_rows_by_kind\": ").append(jsonCounts(codes(badRowsByKind()))).append(",\n");
        b.append("  \"bad_files\": [");
        for (int i = 0; i < badFiles.size(); i++) {
            BadFile f = badFiles.get(i);
            b.append(i == 0 ? "\n" : ",\n").append("    {\"path\": \"").append(f.path()).append("\", \"source\": \"")
                    .append(f.source()).append("\", \"reason\": \"").append(f.reason())
                    .append("\", \"intended_lines\": ").append(f.intendedLines()).append('}');
        }
        b.append(badFiles.isEmpty() ? "],\n" : "\n  ],\n");
        b.append("  \"planted\": ").append(jsonCounts(planted)).append(",\n");
        b.append("  \"entities\": ").append(jsonCounts(entities)).append(",\n");
        b.append("  \"spend_by_platform\": {");
        int j = 0;
        for (Map.Entry<String, BigDecimal> e : spendByPlatform.entrySet()) {
            b.append(j++ == 0 ? "" : ", ").append('"').append(e.getKey()).append("\": \"")
                    .append(e.getValue().toPlainString()).append('"');
        }
        b.append("},\n");
        b.append(String.format(Locale.ROOT,
                "  \"revenue\": {\"reporting_currency\": \"CNY\", \"customers\": %d, \"net_revenue\": \"%s\", "
                        + "\"top_20pct_share\": %.6f, \"top_10_share\": %.6f},%n",
                customers.size(), totalNetRevenueCny().setScale(4, RoundingMode.HALF_UP).toPlainString(),
                top20Share(), top10Share()));
        b.append("  \"first_touch_mix\": {");
        j = 0;
        for (Map.Entry<FirstTouchGroup, Double> e : firstTouchMix().entrySet()) {
            b.append(j++ == 0 ? "" : ", ").append('"').append(e.getKey().code()).append("\": ")
                    .append(String.format(Locale.ROOT, "%.4f", e.getValue()));
        }
        b.append("},\n");
        b.append("  \"customers\": [");
        List<CustomerTruth> sorted = new ArrayList<>(customers);
        sorted.sort(Comparator.comparing(CustomerTruth::accountId));
        for (int i = 0; i < sorted.size(); i++) {
            CustomerTruth c = sorted.get(i);
            b.append(i == 0 ? "\n" : ",\n").append("    {\"account_id\": \"").append(c.accountId())
                    .append("\", \"first_touch_group\": \"").append(c.firstTouch().code())
                    .append("\", \"first_visit_date\": \"").append(c.firstVisitDate())
                    .append("\", \"first_paid_order_date\": \"").append(c.firstPaidOrderDate())
                    .append("\", \"currency\": \"").append(c.currency())
                    .append("\", \"net_revenue_cny\": \"")
                    .append(c.netRevenueCny().setScale(4, RoundingMode.HALF_UP).toPlainString()).append("\"}");
        }
        b.append(sorted.isEmpty() ? "]\n" : "\n  ]\n");
        return b.append("}\n").toString();
    }

    private static String jsonCounts(Map<String, Long> m) {
        StringBuilder b = new StringBuilder("{");
        int i = 0;
        for (Map.Entry<String, Long> e : m.entrySet()) {
            b.append(i++ == 0 ? "" : ", ").append('"').append(e.getKey()).append("\": ").append(e.getValue());
        }
        return b.append('}').toString();
    }
}
