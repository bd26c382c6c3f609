package com.tobwh.generate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Writes a deterministic sample landing zone of a B2B SaaS company plus a manifest of what it planted. */
public final class SampleDataGenerator {
    public static final String MANIFEST_FILE = "_generator_manifest.json";

    private SampleDataGenerator() {
    }

    public static GeneratorManifest generate(GeneratorOptions o) {
        long began = System.nanoTime();
        Path out = o.out();
        clear(out);
        SimCalendar cal = new SimCalendar(o.start(), o.days());
        FxMarket fx = new FxMarket(cal, Rng.stream(o.seed(), "fx", 0));
        AdCatalog ads = new AdCatalog(cal);
        CompanySimulation world = new CompanySimulation(o, cal, ads);

        GeneratorManifest manifest = new GeneratorManifest(o);
        BadRowInjector injector = o.badShare() > 0 ? new BadRowInjector(o.badShare(), o.seed()) : null;
        LandingZoneWriter writer = new LandingZoneWriter(out, manifest, injector);
        List<WebSession> sessions = world.journeys.sessions();

        SpendSimulator spend = new SpendSimulator(cal, ads, o.scale(), o.seed());
        spend.countSessions(sessions);
        SpendWriter.write(cal, ads, spend, writer);
        manifest.count("restated_spend_rows", spend.restatedRows());
        spend.finalSpend().forEach(manifest::spend);

        WebTrafficWriter web = new WebTrafficWriter(cal, writer, o.seed(), o.badShare() > 0);
        web.write(sessions);
        manifest.count("duplicate_events", web.duplicates());
        manifest.count("late_events", web.lateEvents());
        manifest.count("identity_conflicts", world.identityConflicts);

        CrmChangeLog crm = new CrmChangeLog(o.seed());
        crm.record(world.allAccounts, world.pipeline.duplicates());
        manifest.count("crm_redeliveries", CrmWriter.write(cal, crm, writer));
        manifest.count("order_status_changes", OrdersWriter.write(cal, world.accounts, writer));
        manifest.count("ticket_redeliveries", SupportTicketWriter.write(cal, world.accounts, writer));
        FxWriter.write(cal, fx, writer);

        PlantedTruth.record(world, fx, manifest);
        manifest.entity("web_events", web.events());
        manifest.entity("web_sessions", sessions.stream().filter(s -> s.start >= cal.startInstant()
                && s.start < cal.endInstant()).count());
        manifest.entity("crm_accounts", world.allAccounts.stream().filter(a -> a.createdAt < cal.endInstant()).count());
        manifest.entity("crm_contacts", world.accounts.stream().flatMap(a -> a.contacts.stream())
                .filter(c -> c.createdAt < cal.endInstant()).count());
        manifest.entity("crm_opportunities", world.accounts.stream().filter(a -> a.opportunity != null
                && a.opportunity.createdAt < cal.endInstant()).count() + world.pipeline.duplicates().size());
        manifest.entity("orders", world.accounts.stream().flatMap(a -> a.orders.stream())
                .filter(x -> !x.orderDate.isAfter(cal.end())).count());
        manifest.entity("tickets", world.accounts.stream().flatMap(a -> a.tickets.stream())
                .filter(t -> t.createdAt < cal.endInstant()).count());
        manifest.entity("customers", world.customers().size());
        try {
            Files.writeString(out.resolve(MANIFEST_FILE), manifest.toJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the manifest", e);
        }
        manifest.elapsed((System.nanoTime() - began) / 1e9);
        return manifest;
    }

    /** Removes an earlier run's source folders and manifest, so reruns stay byte-identical; nothing else is touched. */
    private static void clear(Path out) {
        try {
            Files.createDirectories(out);
            for (String source : GeneratorManifest.SOURCES) {
                Path dir = out.resolve(source);
                if (Files.exists(dir)) {
                    try (Stream<Path> walk = Files.walk(dir)) {
                        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                            Files.delete(p);
                        }
                    }
                }
            }
            Files.deleteIfExists(out.resolve(MANIFEST_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + out, e);
        }
    }
}
