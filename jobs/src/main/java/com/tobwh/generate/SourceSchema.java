package com.tobwh.generate;

import java.util.List;
import java.util.Map;

/**
 * One landing file type of the contract: its source folder, columns in contract order, format,
 * and which fields a bad row may break (so the injector knows how to break it in exactly one way).
 */
enum SourceSchema {
    CHANNEL_SPEND("channel_spend", Format.CSV, null,
            List.of("date", "platform", "campaign_id", "campaign_name", "impressions", "clicks", "cost", "currency"),
            List.of("campaign_id", "date"), Map.of(), List.of("cost"), List.of("date")),
    WEB_EVENTS("web_traffic", Format.JSONL, "event_id",
            List.of("event_id", "event_time", "anonymous_id", "user_id", "session_id", "event_type", "page_url",
                    "referrer", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "user_agent"),
            List.of("event_id", "event_time"),
            Map.of("event_type", List.of("click", "scroll", "purchase")), List.of(), List.of("event_time")),
    CRM_ACCOUNTS("crm", Format.JSONL, "account_id",
            List.of("account_id", "name", "industry", "employee_band", "region", "owner", "created_at", "updated_at",
                    "is_deleted"),
            List.of("account_id"), Map.of("employee_band", List.of("500+", "unknown", "10-20")), List.of(),
            List.of("created_at", "updated_at")),
    CRM_CONTACTS("crm", Format.JSONL, "contact_id",
            List.of("contact_id", "account_id", "email", "lead_source", "created_at", "updated_at", "is_deleted"),
            List.of("contact_id"), Map.of("lead_source", List.of("cold_call", "webinar", "billboard")), List.of(),
            List.of("created_at", "updated_at")),
    CRM_OPPORTUNITIES("crm", Format.JSONL, "opportunity_id",
            List.of("opportunity_id", "account_id", "primary_contact_id", "stage", "amount", "currency", "created_at",
                    "closed_at", "updated_at", "is_deleted"),
            List.of("opportunity_id", "account_id"), Map.of("stage", List.of("won?", "archived", "demo")),
            List.of("amount"), List.of("created_at", "updated_at")),
    ORDERS("orders", Format.CSV, "order_id",
            List.of("order_id", "account_id", "opportunity_id", "order_date", "order_type", "plan", "seats", "amount",
                    "currency", "status", "service_start", "service_end"),
            List.of("order_id", "account_id"),
            Map.of("status", List.of("void", "pending"), "order_type", List.of("upgrade", "trial")),
            List.of("amount"), List.of("order_date", "service_end")),
    SUPPORT_TICKETS("support_tickets", Format.JSONL, "ticket_id",
            List.of("ticket_id", "account_id", "contact_id", "created_at", "first_response_at", "resolved_at",
                    "priority", "channel", "category", "status", "csat", "updated_at"),
            List.of("ticket_id"),
            Map.of("priority", List.of("critical", "p1"), "status", List.of("reopened", "escalated"),
                    "channel", List.of("fax", "carrier_pigeon")),
            List.of(), List.of("created_at", "updated_at")),
    FX_RATES("fx_rates", Format.CSV, null, List.of("date", "currency", "rate"),
            List.of("currency", "date"), Map.of(), List.of("rate"), List.of("date"));

    /** How lines of a file are encoded. */
    public enum Format { CSV, JSONL }

    private final String source;
    private final Format format;
    private final String idField;
    private final List<String> columns;
    private final List<String> requiredFields;
    private final Map<String, List<String>> invalidEnumValues;
    private final List<String> amountFields;
    private final List<String> dateFields;

    SourceSchema(String source, Format format, String idField, List<String> columns, List<String> requiredFields,
                 Map<String, List<String>> invalidEnumValues, List<String> amountFields, List<String> dateFields) {
        this.source = source;
        this.format = format;
        this.idField = idField;
        this.columns = columns;
        this.requiredFields = requiredFields;
        this.invalidEnumValues = invalidEnumValues;
        this.amountFields = amountFields;
        this.dateFields = dateFields;
    }

    public String source() { return source; }
    public Format format() { return format; }
    /** The row's own key, replaced by a fresh one in bad rows so a bad row never shadows a good one. */
    public String idField() { return idField; }
    public List<String> columns() { return columns; }
    public List<String> requiredFields() { return requiredFields; }
    public Map<String, List<String>> invalidEnumValues() { return invalidEnumValues; }
    public List<String> amountFields() { return amountFields; }
    public List<String> dateFields() { return dateFields; }

    public int column(String name) {
        int i = columns.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException(name + " is not a column of " + this);
        }
        return i;
    }

    /** The kinds of bad row that make sense for this file type. */
    public List<BadRowKind> badKinds() {
        List<BadRowKind> kinds = new java.util.ArrayList<>();
        kinds.add(format == Format.CSV ? BadRowKind.MALFORMED_CSV : BadRowKind.MALFORMED_JSON);
        kinds.add(BadRowKind.MISSING_REQUIRED);
        if (!invalidEnumValues.isEmpty()) {
            kinds.add(BadRowKind.UNKNOWN_ENUM);
        }
        if (!amountFields.isEmpty()) {
            kinds.add(BadRowKind.NEGATIVE_AMOUNT);
        }
        kinds.add(BadRowKind.UNPARSEABLE_DATE);
        return kinds;
    }
}
