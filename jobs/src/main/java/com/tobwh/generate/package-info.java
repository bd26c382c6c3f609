/**
 * Deterministic sample-data generator for the landing zone of {@code CONTRACT.md} section 1.
 *
 * <p>Entry point: {@link com.tobwh.generate.SampleDataGenerator#generate(GeneratorOptions)}; it returns a
 * {@link com.tobwh.generate.GeneratorManifest} and also writes it to {@code <out>/_generator_manifest.json}.
 *
 * <p>Conventions a reader of the generated files can rely on (where the contract leaves room):
 * <ul>
 *   <li>Money is a decimal string with two decimals (four for FX rates); in JSON Lines it is a JSON
 *       string ({@code "amount":"12000.00"}), in CSV a plain field.</li>
 *   <li>{@code fx_rates.csv} lists USD, EUR, HKD and also CNY at {@code 1.0000}, in CNY per unit. Weekends
 *       and Chinese public holidays have no file; the first day always has every currency.</li>
 *   <li>Timestamps carry {@code +08:00}, except events in {@code events-mobile.jsonl} (mobile SDK, written
 *       on every fourth day as plain JSON Lines) which carry {@code +00:00}; their late or duplicate copies keep
 *       that text. The dt folder of an event is its Asia/Shanghai date plus 0-3 days of lateness.</li>
 *   <li>Web events are {@code events.jsonl.gz}; the one planted bad file,
 *       {@code web_traffic/dt=<start+1>/events-retry.jsonl.gz}, is a gzip cut in half holding only
 *       copies of events of the first day.</li>
 *   <li>A changed-row export (crm, support_tickets, orders) holds one row per record and day: its latest
 *       state that day. Orders re-delivered as refunded or cancelled keep all other fields.</li>
 *   <li>Bad rows are extra rows: a copy of a real row with a fresh key (so it never shadows a good row)
 *       broken in exactly one way; missing_required nulls (or, in JSON, drops) the record's key or another field
 *       no row lacks (account_id of orders and opportunities, event_time, the date of spend and fx rows).
 *       The truncated file is not counted in any file kind's rows.</li>
 *   <li>Paid first touches: search ({@code utm_medium=cpc}, utm_source baidu/google), social ({@code
 *       utm_medium=cpc}, utm_source wechat/zhihu/toutiao/linkedin), platforms ({@code utm_medium=referral},
 *       utm_source zbj/codemart); every utm_campaign of those is a channel_spend campaign_id.</li>
 * </ul>
 */
package com.tobwh.generate;
