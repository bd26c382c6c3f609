package com.tobwh.bronze;

import com.tobwh.SparkTestSession;
import com.tobwh.io.LandingFile;
import com.tobwh.io.LandingReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of bad input is rejected with a reason naming file, line and field; nothing is dropped. */
class BronzeValidationTest {
    private static final LocalDate DAY = LocalDate.parse("2026-03-01");
    private static final String ORDERS_HEADER = "order_id,account_id,opportunity_id,order_date,order_type,plan,seats,"
            + "amount,currency,status,service_start,service_end";
    private static Path landing;
    private static Dataset<Row> lines;

    @BeforeAll
    static void writeLanding() throws IOException {
        landing = SparkTestSession.scratch("bronze-landing");
        write("orders", "orders.csv", String.join("\n",
                ORDERS_HEADER,
                "o1,a1,op1,2026-03-01,new,growth,10,1000.50,CNY,paid,2026-03-01,2027-02-28",        // 2 good
                "o2,a2,,2026-03-01,renewal,\"Plan, with comma\",,12.3456,USD,refunded,2026-03-01,2026-03-31", // 3 good, quoted
                "o3,a3,,2026-03-01,new,starter,5,-5,CNY,paid,2026-03-01,2026-03-31",                // 4 negative amount
                "o4,a4,,2026-13-45,new,starter,5,5,CNY,paid,2026-03-01,2026-03-31",                 // 5 unparseable date
                "o5,a5,,2026-03-01,upsell,starter,5,5,CNY,paid,2026-03-01,2026-03-31",              // 6 unknown enum
                ",a6,,2026-03-01,new,starter,5,5,CNY,paid,2026-03-01,2026-03-31",                   // 7 missing order_id
                "o7,a7,\"unclosed,2026-03-01,new",                                                  // 8 malformed CSV
                "o8,a8,,2026-03-01,new,starter,5,5,CNY,paid,2026-03-01",                            // 9 one field short
                "",                                                                                 // 10 empty line
                "o9,a9,,2026-03-01,new,starter,5,1.23456,CNY,paid,2026-03-01,2026-03-31") + "\n");  // 11 5 decimals
        write("orders", "legacy.csv", "id,amount\n1,2\n");
        write("crm", "accounts.jsonl", String.join("\n",
                "{\"account_id\":\"a1\",\"name\":\"Acme\",\"industry\":\"saas\",\"employee_band\":\"51-200\","
                        + "\"region\":\"east\",\"owner\":\"li\",\"created_at\":\"2026-01-01T09:00:00+08:00\","
                        + "\"updated_at\":\"2026-03-01T09:00:00+08:00\",\"is_deleted\":false}",
                "{\"account_id\":\"a2\",\"name\":\"Beta\",\"employee_band\":\"huge\","
                        + "\"created_at\":\"2026-01-01T09:00:00+08:00\",\"updated_at\":\"2026-03-01T09:00:00+08:00\","
                        + "\"is_deleted\":false}",
                "{\"account_id\":\"a3\",\"name\":\"Gam",
                "{\"account_id\":\"a4\",\"created_at\":\"yesterday\",\"updated_at\":\"2026-03-01T09:00:00+08:00\","
                        + "\"is_deleted\":false}",
                "{\"account_id\":\"a5\",\"created_at\":\"2026-01-01T09:00:00+08:00\",\"is_deleted\":false}") + "\n");
        writeBytes("web_traffic", "events.jsonl.gz", truncatedGzip());
        writeBytes("web_traffic", "latin1.jsonl", "{\"event_id\":\"caf\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1));
        write("web_traffic", "good.jsonl", "{\"event_id\":\"e1\",\"event_time\":\"2026-03-01T09:15:00+08:00\","
                + "\"anonymous_id\":\"x\",\"event_type\":\"page_view\"}\n");
        write("crm", "notes.txt", "not a CRM export\n");
        SparkSession spark = SparkTestSession.get();
        List<LandingFile> files = LandingReader.list(spark, landing.toString(), LandingSchemas.all(), DAY, DAY);
        lines = LandingReader.readLines(spark, files).cache();
    }

    private static BronzeValidation.Result validate(String schema) {
        return BronzeValidation.validate(lines.filter(col("schema").equalTo(schema)),
                LandingSchemas.byName(schema), "run-1");
    }

    private static String reasonAt(Dataset<Row> rejected, long line) {
        List<Row> r = rejected.filter(col("line").equalTo(line)).collectAsList();
        assertEquals(1, r.size(), "one reject for line " + line);
        return r.get(0).getAs("reason");
    }

    @Test
    void eachBadCsvRowIsRejectedWithItsReason() {
        BronzeValidation.Result r = validate("orders");
        Dataset<Row> rej = r.rejected().filter(col("file").endsWith("orders.csv"));
        assertEquals("field 'amount' '-5' is below the minimum 0", reasonAt(rej, 4));
        assertEquals("field 'order_date' '2026-13-45' is not a date (YYYY-MM-DD)", reasonAt(rej, 5));
        assertEquals("field 'order_type' 'upsell' is not one of new|renewal|expansion|contraction", reasonAt(rej, 6));
        assertEquals("missing required field 'order_id'", reasonAt(rej, 7));
        assertTrue(reasonAt(rej, 8).startsWith("malformed CSV: expected 12 comma-separated fields"));
        assertTrue(reasonAt(rej, 9).startsWith("malformed CSV"));
        assertEquals("empty line", reasonAt(rej, 10));
        assertEquals("field 'amount' '1.23456' has more than 4 decimals", reasonAt(rej, 11));
        // Raw text, file and run id travel with every reject.
        Row negative = rej.filter(col("line").equalTo(4)).first();
        assertEquals("o3,a3,,2026-03-01,new,starter,5,-5,CNY,paid,2026-03-01,2026-03-31", negative.getAs("raw"));
        assertEquals("run-1", negative.getAs("run_id"));
        assertEquals("orders", negative.getAs("source"));
    }

    @Test
    void goodCsvRowsLoadTypedWithLineage() {
        List<Row> loaded = validate("orders").loaded().orderBy("_line").collectAsList();
        assertEquals(2, loaded.size());
        Row o1 = loaded.get(0);
        assertEquals("o1", o1.getAs("order_id"));
        assertEquals(0, new BigDecimal("1000.5").compareTo(o1.getAs("amount")));
        assertEquals(10L, o1.<Long>getAs("seats"));
        assertEquals(java.sql.Date.valueOf("2027-02-28"), o1.getAs("service_end"));
        assertEquals(2L, o1.<Long>getAs("_line"));
        assertTrue(o1.<String>getAs("_file").endsWith("dt=2026-03-01/orders.csv"));
        Row o2 = loaded.get(1);
        assertEquals("Plan, with comma", o2.getAs("plan"));
        assertNull(o2.getAs("seats"));
        assertNull(o2.getAs("opportunity_id"));
    }

    @Test
    void eachBadJsonRowIsRejectedWithItsReason() {
        BronzeValidation.Result r = validate("crm__accounts");
        assertEquals(1, r.loaded().count());
        Dataset<Row> rej = r.rejected();
        assertEquals("field 'employee_band' 'huge' is not one of 1-50|51-200|201-1000|1000+", reasonAt(rej, 2));
        assertEquals("malformed JSON: not one complete JSON object", reasonAt(rej, 3));
        assertEquals("field 'created_at' 'yesterday' is not an ISO-8601 timestamp with offset", reasonAt(rej, 4));
        assertEquals("missing required field 'updated_at'", reasonAt(rej, 5));
    }

    @Test
    void unreadableFilesAreRejectedAsFiles() {
        List<Row> fileErrors = lines.filter(col("file_error").isNotNull()).orderBy("file").collectAsList();
        assertEquals(4, fileErrors.size(), fileErrors.toString());
        assertFileError(fileErrors, "notes.txt", "unexpected file name 'notes.txt' for source crm");
        assertFileError(fileErrors, "legacy.csv", "wrong header: expected '" + ORDERS_HEADER + "' but found 'id,amount'");
        assertFileError(fileErrors, "events.jsonl.gz", "truncated gzip");
        assertFileError(fileErrors, "latin1.jsonl", "not UTF-8");
        // A file rejected whole contributes no line at all, so nothing of it is half-loaded.
        assertEquals(0, lines.filter(col("file").endsWith("events.jsonl.gz").and(col("line").isNotNull())).count());
        Dataset<Row> rej = validate("web_traffic").rejected();
        assertTrue(rej.filter(col("reason").startsWith("file rejected: truncated gzip")).count() == 1);
        assertEquals(1, validate("web_traffic").loaded().count());
    }

    private static void assertFileError(List<Row> errors, String file, String prefix) {
        Row r = errors.stream().filter(e -> e.<String>getAs("file").endsWith("/" + file)).findFirst()
                .orElseThrow(() -> new AssertionError("no file error for " + file + " in " + errors));
        String error = r.getAs("file_error");
        assertTrue(error.startsWith(prefix), error);
    }

    @Test
    void rowsInEqualLoadedPlusRejectedForEveryObject() {
        for (String schema : List.of("orders", "crm__accounts", "web_traffic")) {
            long in = lines.filter(col("schema").equalTo(schema).and(col("line").isNotNull())).count();
            BronzeValidation.Result r = validate(schema);
            long rowRejects = r.rejected().filter(col("line").isNotNull()).count();
            assertEquals(in, r.loaded().count() + rowRejects, schema);
        }
    }

    private static void write(String source, String name, String text) throws IOException {
        writeBytes(source, name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeBytes(String source, String name, byte[] bytes) throws IOException {
        Path dir = landing.resolve(source).resolve("dt=" + DAY);
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), bytes);
    }

    private static byte[] truncatedGzip() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
            for (int i = 0; i < 200; i++) {
                gz.write(("{\"event_id\":\"e" + i + "\",\"event_time\":\"2026-03-01T09:15:00+08:00\","
                        + "\"anonymous_id\":\"x\",\"event_type\":\"page_view\"}\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] whole = buf.toByteArray();
        return Arrays.copyOf(whole, whole.length / 2);
    }
}
