package com.tobwh.generate;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Everything a landing zone holds, parsed back with {@link ContractValidator}: good rows per file
 * kind, rejected rows counted by kind, and unreadable files.
 */
final class LandingSnapshot {
    static final ZoneOffset HOME = ZoneOffset.ofHours(8);

    /** A good non-web row with where it landed. */
    record Row(String source, String file, LocalDate dt, Map<String, String> f) {
        String get(String k) {
            return f.get(k);
        }
    }

    /** A good web event, kept compact: 400k+ of these are held at once. */
    record Event(String eventId, long epochSecond, LocalDate eventDate, LocalDate dt, String anonymousId,
                 String userId, String sessionId, String type, String referrer, String utmSource, String utmMedium,
                 String utmCampaign, int lineHash, String file) {
    }

    final Map<String, List<Row>> rows = new LinkedHashMap<>();
    final List<Event> events = new ArrayList<>();
    final Map<String, Map<BadRowKind, Long>> rejected = new LinkedHashMap<>();
    final List<Path> unreadable = new ArrayList<>();
    final Map<String, Long> linesPerSource = new LinkedHashMap<>();
    int readableGz;

    static LandingSnapshot load(Path root) {
        LandingSnapshot s = new LandingSnapshot();
        for (String source : GeneratorManifest.SOURCES) {
            s.rejected.put(source, new EnumMap<>(BadRowKind.class));
            for (LandingFiles.LandingFile lf : LandingFiles.files(root, source)) {
                List<String> lines;
                try {
                    lines = LandingFiles.lines(lf.path());
                } catch (IOException e) {
                    s.unreadable.add(root.relativize(lf.path()));
                    continue;
                }
                if (lf.name().endsWith(".gz")) {
                    s.readableGz++;
                }
                ContractValidator.Spec spec = ContractValidator.spec(source, lf.name());
                int from = 0;
                if (spec.csv()) {
                    assertEquals(String.join(",", spec.columns()), lines.get(0), "header of " + lf.path());
                    from = 1;
                }
                s.linesPerSource.merge(source, (long) lines.size() - from, Long::sum);
                for (int i = from; i < lines.size(); i++) {
                    String line = lines.get(i);
                    ContractValidator.Parsed p = ContractValidator.parse(spec, line);
                    if (!p.good()) {
                        assertEquals(1, p.broken().size(), "a bad row is bad in exactly one way: " + line);
                        s.rejected.get(source).merge(p.broken().iterator().next(), 1L, Long::sum);
                        continue;
                    }
                    if (source.equals("web_traffic")) {
                        OffsetDateTime t = OffsetDateTime.parse(p.get("event_time"));
                        s.events.add(new Event(p.get("event_id"), t.toEpochSecond(),
                                t.atZoneSameInstant(HOME).toLocalDate(), lf.dt(), p.get("anonymous_id"),
                                p.get("user_id"), p.get("session_id"), p.get("event_type"), p.get("referrer"),
                                p.get("utm_source"), p.get("utm_medium"), p.get("utm_campaign"), line.hashCode(),
                                lf.name()));
                    } else {
                        String key = source.equals("crm") ? "crm/" + lf.name() : source;
                        s.rows.computeIfAbsent(key, k -> new ArrayList<>()).add(new Row(source, lf.name(), lf.dt(),
                                p.fields()));
                    }
                }
            }
        }
        assertTrue(s.readableGz > 0);
        return s;
    }

    List<Row> rows(String key) {
        return rows.getOrDefault(key, List.of());
    }

    long rejected(String source, BadRowKind kind) {
        return rejected.get(source).getOrDefault(kind, 0L);
    }
}
