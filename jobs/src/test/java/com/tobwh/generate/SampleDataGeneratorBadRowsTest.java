package com.tobwh.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleDataGeneratorBadRowsTest {
    @TempDir
    Path tmp;

    @Test
    void everyKindIsPlantedAndCountedAsOnDisk() throws Exception {
        GeneratorManifest m = SampleDataGenerator.generate(GeneratorOptions.defaults(tmp).withScale(0.1).withDays(180)
                .withBadShare(0.03));
        LandingSnapshot snap = LandingSnapshot.load(tmp);
        for (BadRowKind kind : BadRowKind.values()) {
            assertTrue(m.badRowsByKind().getOrDefault(kind, 0L) > 0, kind + " planted");
        }
        for (String source : GeneratorManifest.SOURCES) {
            assertTrue(m.rows(source) > 0 && m.badRows(source) > 0, source + " has good and bad rows");
            for (BadRowKind kind : BadRowKind.values()) {
                assertEquals(m.badRows(source, kind), snap.rejected(source, kind), source + " " + kind);
            }
            assertEquals(m.rows(source), snap.linesPerSource.get(source), source + " rows");
        }
        // The gzip cut in half fails to decompress; every other gzip reads to the end.
        assertEquals(1, m.badFiles().size());
        GeneratorManifest.BadFile bad = m.badFiles().get(0);
        assertEquals("truncated_gzip", bad.reason());
        assertEquals(List.of(Path.of(bad.path())), snap.unreadable);
        assertThrows(EOFException.class, () -> LandingFiles.lines(tmp.resolve(bad.path())));
        assertTrue(bad.intendedLines() > 0);
        long gz = LandingFiles.tree(tmp).stream().filter(p -> p.toString().endsWith(".gz")).count();
        assertEquals(gz - 1, snap.readableGz);
        assertTrue(m.toJson().contains("\"truncated_gzip\""));
        JsonNode json = new ObjectMapper().readTree(Files.readString(tmp.resolve(SampleDataGenerator.MANIFEST_FILE)));
        assertEquals(m.badRowTotal(), json.at("/bad_rows_by_kind").properties().stream()
                .mapToLong(e -> e.getValue().asLong()).sum());
        assertEquals(m.rows("web_traffic"), json.at("/sources/web_traffic/rows").asLong());
        assertEquals(m.customers().size(), json.at("/customers").size());
        assertEquals(bad.path(), json.at("/bad_files/0/path").asText());
    }

    @Test
    void badRowsComeOnTopOfTheSameGoodData() throws Exception {
        Path clean = tmp.resolve("clean");
        Path dirty = tmp.resolve("dirty");
        GeneratorManifest c = SampleDataGenerator.generate(GeneratorOptions.defaults(clean).withScale(0.05)
                .withDays(60).withBadShare(0));
        GeneratorManifest d = SampleDataGenerator.generate(GeneratorOptions.defaults(dirty).withScale(0.05)
                .withDays(60).withBadShare(0.05));
        assertEquals(0, c.badRowTotal());
        assertTrue(c.badFiles().isEmpty(), "no bad file without bad rows");
        assertTrue(LandingFiles.tree(clean).stream().noneMatch(p -> p.toString().contains("retry")));
        assertTrue(d.badRowTotal() > 0);
        for (String source : GeneratorManifest.SOURCES) {
            assertEquals(c.rows(source), d.rows(source) - d.badRows(source), source + " good rows unchanged");
        }
        assertEquals(c.customers(), d.customers());
        LandingSnapshot a = LandingSnapshot.load(clean);
        LandingSnapshot b = LandingSnapshot.load(dirty);
        assertEquals(a.events, b.events);
        assertEquals(a.rows.keySet(), b.rows.keySet());
        for (String key : a.rows.keySet()) {
            assertEquals(a.rows(key), b.rows(key), key);
        }
    }

    @Test
    void shortRunsHaveNoBadFile() {
        GeneratorManifest m = SampleDataGenerator.generate(GeneratorOptions.defaults(tmp).withScale(0.05).withDays(2));
        assertTrue(m.badFiles().isEmpty());
    }
}
