package com.tobwh.generate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleDataGeneratorDeterminismTest {
    @TempDir
    Path tmp;

    private GeneratorOptions small(Path out) {
        return GeneratorOptions.defaults(out).withScale(0.1).withDays(60).withBadShare(0.01);
    }

    @Test
    void sameSeedWritesByteIdenticalTrees() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        GeneratorManifest first = SampleDataGenerator.generate(small(a));
        SampleDataGenerator.generate(small(b));
        assertSameTree(a, b);
        assertTrue(first.rows("web_traffic") > 5_000, "a 60-day run at scale 0.1 has web traffic");

        // Regenerating into a used folder replaces the earlier run instead of mixing with it.
        SampleDataGenerator.generate(small(a).withDays(30));
        SampleDataGenerator.generate(small(a));
        assertSameTree(a, b);
    }

    @Test
    void aSecondJvmWritesTheSameBytes() throws Exception {
        Path here = tmp.resolve("here");
        Path child = tmp.resolve("child");
        SampleDataGenerator.generate(small(here));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                GenerateInChildJvm.class.getName(), child.toString(), "0.1", "60", "0.01")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM finished");
        assertEquals(0, p.exitValue(), () -> read(tmp.resolve("child.log")));
        assertSameTree(here, child);
    }

    @Test
    void anotherSeedWritesOtherData() throws Exception {
        Path a = tmp.resolve("s42");
        Path b = tmp.resolve("s43");
        SampleDataGenerator.generate(small(a));
        SampleDataGenerator.generate(small(b).withSeed(43));
        List<Path> common = LandingFiles.tree(a).stream().filter(p -> Files.exists(b.resolve(p))).toList();
        long differing = common.stream().filter(p -> !Arrays.equals(bytes(a.resolve(p)), bytes(b.resolve(p)))).count();
        assertTrue(differing > common.size() / 2, differing + " of " + common.size() + " common files differ");
        assertFalse(Arrays.equals(bytes(a.resolve(SampleDataGenerator.MANIFEST_FILE)),
                bytes(b.resolve(SampleDataGenerator.MANIFEST_FILE))));
    }

    @Test
    void tinyScaleStillHasAHandfulOfCustomers() {
        GeneratorManifest m = SampleDataGenerator.generate(GeneratorOptions.defaults(tmp.resolve("tiny"))
                .withScale(0.05));
        assertTrue(m.customers().size() >= 3 && m.customers().size() <= 40, "customers: " + m.customers().size());
        for (String source : GeneratorManifest.SOURCES) {
            assertTrue(m.rows(source) > 0, source + " has rows");
        }
        assertTrue(m.summary().contains("customers: " + m.customers().size()));
    }

    private static void assertSameTree(Path a, Path b) throws Exception {
        List<Path> fa = LandingFiles.tree(a);
        List<Path> fb = LandingFiles.tree(b);
        assertEquals(fa, fb, "same files");
        assertTrue(fa.contains(Path.of(SampleDataGenerator.MANIFEST_FILE)));
        for (Path p : fa) {
            assertArrayEquals(bytes(a.resolve(p)), bytes(b.resolve(p)), "bytes of " + p);
        }
    }

    private static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "(no log)" + File.separator;
        }
    }
}
