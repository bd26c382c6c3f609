package com.tobwh.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.spark.sql.Column;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.when;

/**
 * Marketing channel grouping kept as data (channel-rules.yaml): the declared channels and ordered rules, the first
 * matching rule naming a touch's channel, in the spirit of analytics tools' default channel grouping.
 */
public final class ChannelRules {
    /** The fields a rule may test; each touch type fills the ones it has and leaves the others empty. */
    public static final Set<String> FIELDS = Set.of("touch_type", "utm_source", "utm_medium", "utm_campaign",
            "referrer_host", "landing_path", "lead_source", "platform");

    /** One channel of the grouping, as dim_channel shows it. */
    public static final class Channel {
        public String name;
        public String group;
        public boolean paid;
        public boolean offline;
        public String description;
    }

    /** A rule: every listed field must match one of its patterns (case-insensitive, whole value; "" = empty). */
    public static final class Rule {
        public String channel;
        public Map<String, List<String>> match = new LinkedHashMap<>();
        public String note;
    }

    public List<Channel> channels = new ArrayList<>();
    public List<Rule> rules = new ArrayList<>();
    /** Channel of a touch that no rule matches; counted in the run summary. */
    public String fallback = "other";
    /** Channel the attribution marts credit a conversion without any touch to. */
    public String unattributed = "unattributed";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    /** The rules the configuration points at, or the bundled defaults. */
    public static ChannelRules of(WarehouseConfig cfg) {
        if (cfg.channelRulesFile == null || cfg.channelRulesFile.isBlank()) {
            try (InputStream in = ChannelRules.class.getResourceAsStream("/channel-rules.yaml")) {
                if (in == null) {
                    throw new IllegalStateException("bundled channel-rules.yaml is missing from the jar");
                }
                return YAML.readValue(in, ChannelRules.class).validated("channel-rules.yaml (bundled)");
            } catch (IOException e) {
                throw new IllegalStateException("bundled channel-rules.yaml: " + e.getMessage(), e);
            }
        }
        Path file = Path.of(cfg.channelRulesFile);
        try {
            ObjectMapper mapper = file.toString().endsWith(".json") ? JSON : YAML;
            return mapper.readValue(Files.readAllBytes(file), ChannelRules.class).validated(file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("channel rules " + file + ": " + e.getMessage(), e);
        }
    }

    /** Fails on a rule naming an undeclared channel or field, or a pattern that does not compile. */
    public ChannelRules validated(String where) {
        Set<String> names = new LinkedHashSet<>();
        for (Channel c : channels) {
            if (c.name == null || c.group == null || !names.add(c.name)) {
                throw new IllegalArgumentException(where + ": every channel needs a unique name and a group, got "
                        + c.name);
            }
        }
        for (String required : List.of(fallback, unattributed)) {
            if (!names.contains(required)) {
                throw new IllegalArgumentException(where + ": channel '" + required + "' must be declared");
            }
        }
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            String at = where + ": rule " + (i + 1) + " (" + r.channel + ")";
            if (!names.contains(r.channel)) {
                throw new IllegalArgumentException(at + " names an undeclared channel; declared: " + names);
            }
            if (r.match.isEmpty()) {
                throw new IllegalArgumentException(at + " has no match conditions");
            }
            for (Map.Entry<String, List<String>> m : r.match.entrySet()) {
                if (!FIELDS.contains(m.getKey())) {
                    throw new IllegalArgumentException(at + " tests unknown field '" + m.getKey() + "'; fields: "
                            + FIELDS);
                }
                for (String p : m.getValue()) {
                    try {
                        Pattern.compile(p);
                    } catch (PatternSyntaxException e) {
                        throw new IllegalArgumentException(at + ": bad pattern for " + m.getKey() + ": " + p, e);
                    }
                }
            }
        }
        return this;
    }

    /**
     * The channel as one Spark expression (a CASE over the rules in order), given a column per field; a field the
     * caller does not supply is empty.
     */
    public Column classify(Map<String, Column> fields) {
        Column result = lit(fallback);
        for (int i = rules.size() - 1; i >= 0; i--) {
            Rule r = rules.get(i);
            Column cond = lit(true);
            for (Map.Entry<String, List<String>> m : r.match.entrySet()) {
                Column value = lower(coalesce(fields.getOrDefault(m.getKey(), lit("")), lit("")));
                String alternatives = String.join("|", m.getValue().stream().map(p -> "(?:" + p + ")").toList());
                cond = cond.and(value.rlike("(?i)^(?:" + alternatives + ")$"));
            }
            result = when(cond, lit(r.channel)).otherwise(result);
        }
        return result;
    }

    public Channel channel(String name) {
        return channels.stream().filter(c -> c.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("undeclared channel " + name));
    }
}
