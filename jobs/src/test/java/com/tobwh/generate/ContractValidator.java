package com.tobwh.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A reader written from the contract alone (not from the generator's own schema table): parses
 * a line of a landing file and lists every rule it breaks, so tests can check that good rows
 * break none and each planted bad row breaks exactly one.
 */
final class ContractValidator {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the contract says about one file type. */
    record Spec(List<String> columns, boolean csv, List<String> required, Map<String, Set<String>> enums,
                List<String> amounts, List<String> timestamps, List<String> dates) {
    }

    /** A parsed line: its fields (null when missing) and the rules it breaks. */
    record Parsed(Map<String, String> fields, EnumSet<BadRowKind> broken) {
        boolean good() {
            return broken.isEmpty();
        }

        String get(String field) {
            return fields.get(field);
        }
    }

    static final Spec SPEND = new Spec(
            List.of("date", "platform", "campaign_id", "campaign_name", "impressions", "clicks", "cost", "currency"),
            true, List.of("date", "platform", "campaign_id", "cost", "currency"), Map.of(), List.of("cost"), List.of(),
            List.of("date"));
    static final Spec WEB = new Spec(
            List.of("event_id", "event_time", "anonymous_id", "user_id", "session_id", "event_type", "page_url",
                    "referrer", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "user_agent"),
            false, List.of("event_id", "event_time", "anonymous_id", "event_type"),
            Map.of("event_type", Set.of("page_view", "form_submit", "signup", "demo_request", "login")), List.of(),
            List.of("event_time"), List.of());
    static final Spec ACCOUNTS = new Spec(
            List.of("account_id", "name", "industry", "employee_band", "region", "owner", "created_at", "updated_at",
                    "is_deleted"),
            false, List.of("account_id", "created_at", "updated_at"),
            Map.of("employee_band", Set.of("1-50", "51-200", "201-1000", "1000+")), List.of(),
            List.of("created_at", "updated_at"), List.of());
    static final Spec CONTACTS = new Spec(
            List.of("contact_id", "account_id", "email", "lead_source", "created_at", "updated_at", "is_deleted"),
            false, List.of("contact_id", "account_id", "created_at", "updated_at"),
            Map.of("lead_source", Set.of("referral", "founder_network", "trade_show", "tender", "partner", "outbound")),
            List.of(), List.of("created_at", "updated_at"), List.of());
    static final Spec OPPORTUNITIES = new Spec(
            List.of("opportunity_id", "account_id", "primary_contact_id", "stage", "amount", "currency", "created_at",
                    "closed_at", "updated_at", "is_deleted"),
            false, List.of("opportunity_id", "account_id", "stage", "currency", "created_at", "updated_at"),
            Map.of("stage", Set.of("lead", "qualified", "proposal", "negotiation", "closed_won", "closed_lost")),
            List.of("amount"), List.of("created_at", "closed_at", "updated_at"), List.of());
    static final Spec ORDERS = new Spec(
            List.of("order_id", "account_id", "opportunity_id", "order_date", "order_type", "plan", "seats", "amount",
                    "currency", "status", "service_start", "service_end"),
            true, List.of("order_id", "account_id", "order_date", "order_type", "amount", "currency", "status"),
            Map.of("order_type", Set.of("new", "renewal", "expansion", "contraction"),
                    "status", Set.of("paid", "refunded", "cancelled")),
            List.of("amount"), List.of(), List.of("order_date", "service_start", "service_end"));
    static final Spec TICKETS = new Spec(
            List.of("ticket_id", "account_id", "contact_id", "created_at", "first_response_at", "resolved_at",
                    "priority", "channel", "category", "status", "csat", "updated_at"),
            false, List.of("ticket_id", "account_id", "created_at", "status", "updated_at"),
            Map.of("priority", Set.of("low", "normal", "high", "urgent"),
                    "channel", Set.of("email", "phone", "chat", "web"),
                    "status", Set.of("open", "pending", "solved", "closed")),
            List.of(), List.of("created_at", "first_response_at", "resolved_at", "updated_at"), List.of());
    static final Spec FX = new Spec(List.of("date", "currency", "rate"), true, List.of("date", "currency", "rate"),
            Map.of(), List.of("rate"), List.of(), List.of("date"));

    private ContractValidator() {
    }

    static Spec spec(String source, String fileName) {
        return switch (source) {
            case "channel_spend" -> SPEND;
            case "web_traffic" -> WEB;
            case "crm" -> fileName.startsWith("accounts") ? ACCOUNTS
                    : fileName.startsWith("contacts") ? CONTACTS : OPPORTUNITIES;
            case "orders" -> ORDERS;
            case "support_tickets" -> TICKETS;
            case "fx_rates" -> FX;
            default -> throw new IllegalArgumentException(source);
        };
    }

    static Parsed parse(Spec spec, String line) {
        EnumSet<BadRowKind> broken = EnumSet.noneOf(BadRowKind.class);
        Map<String, String> fields = new LinkedHashMap<>();
        if (spec.csv()) {
            List<String> values = csv(line);
            if (values == null || values.size() != spec.columns().size()) {
                broken.add(BadRowKind.MALFORMED_CSV);
                return new Parsed(fields, broken);
            }
            for (int i = 0; i < values.size(); i++) {
                fields.put(spec.columns().get(i), values.get(i).isEmpty() ? null : values.get(i));
            }
        } else {
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (Exception e) {
                node = null;
            }
            if (node == null || !node.isObject()) {
                broken.add(BadRowKind.MALFORMED_JSON);
                return new Parsed(fields, broken);
            }
            for (String c : spec.columns()) {
                JsonNode v = node.get(c);
                fields.put(c, v == null || v.isNull() ? null : v.asText());
            }
        }
        for (String r : spec.required()) {
            if (fields.get(r) == null) {
                broken.add(BadRowKind.MISSING_REQUIRED);
            }
        }
        spec.enums().forEach((field, allowed) -> {
            String v = fields.get(field);
            if (v != null && !allowed.contains(v)) {
                broken.add(BadRowKind.UNKNOWN_ENUM);
            }
        });
        for (String a : spec.amounts()) {
            String v = fields.get(a);
            if (v != null) {
                try {
                    BigDecimal d = new BigDecimal(v);
                    if (d.signum() < 0) {
                        broken.add(BadRowKind.NEGATIVE_AMOUNT);
                    }
                    if (d.scale() > 4) {
                        throw new AssertionError("more than 4 decimals: " + line);
                    }
                } catch (NumberFormatException e) {
                    throw new AssertionError("amount is not a decimal: " + line);
                }
            }
        }
        for (String t : spec.timestamps()) {
            String v = fields.get(t);
            if (v != null) {
                try {
                    OffsetDateTime.parse(v);
                } catch (Exception e) {
                    broken.add(BadRowKind.UNPARSEABLE_DATE);
                }
            }
        }
        for (String d : spec.dates()) {
            String v = fields.get(d);
            if (v != null) {
                try {
                    LocalDate.parse(v);
                } catch (Exception e) {
                    broken.add(BadRowKind.UNPARSEABLE_DATE);
                }
            }
        }
        return new Parsed(fields, broken);
    }

    /** RFC 4180 fields of one line; null when a quoted field never closes. */
    static List<String> csv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
                wasQuoted = false;
            } else if (c == '"' && cur.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            return null;
        }
        out.add(cur.toString());
        return out;
    }
}
