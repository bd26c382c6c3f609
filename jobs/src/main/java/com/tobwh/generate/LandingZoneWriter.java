package com.tobwh.generate;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Writes one landing file into {@code <out>/<source>/dt=YYYY-MM-DD/}, planting bad rows and booking it in the manifest. */
final class LandingZoneWriter {
    private final Path root;
    private final GeneratorManifest manifest;
    private final BadRowInjector injector;

    public LandingZoneWriter(Path root, GeneratorManifest manifest, BadRowInjector injector) {
        this.root = root;
        this.manifest = manifest;
        this.injector = injector;
    }

    /** Writes the rows (gzipped when the name ends in .gz); an empty list writes no file, as sources skip quiet days. */
    public void write(SourceSchema schema, LocalDate dt, String fileName, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>(rows.size() + 8);
        for (Object[] row : rows) {
            lines.add(LineCodec.encode(schema, row));
        }
        Map<BadRowKind, Integer> planted = injector == null ? Map.of() : injector.plant(schema, rows, lines);
        Path file = folder(schema, dt).resolve(fileName);
        try {
            writeLines(schema, lines, Files.newOutputStream(file), fileName.endsWith(".gz"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        manifest.recordFile(schema.source(), fileName, lines.size(), planted, size(file));
    }

    /**
     * Writes a gzip file whose bytes stop half-way, as an interrupted upload leaves it: a reader
     * must reject the whole file. Its rows are extra copies, so nothing real is lost with it.
     */
    public void writeTruncatedGzip(SourceSchema schema, LocalDate dt, String fileName, List<Object[]> rows) {
        List<String> lines = new ArrayList<>();
        for (Object[] row : rows) {
            lines.add(LineCodec.encode(schema, row));
        }
        ByteArrayOutputStream full = new ByteArrayOutputStream();
        try {
            writeLines(schema, lines, full, true);
            byte[] bytes = full.toByteArray();
            Path file = folder(schema, dt).resolve(fileName);
            Files.write(file, java.util.Arrays.copyOf(bytes, Math.max(12, bytes.length / 2)));
            String rel = root.relativize(file).toString().replace('\\', '/');
            manifest.recordBadFile(new GeneratorManifest.BadFile(rel, schema.source(), "truncated_gzip", lines.size()),
                    size(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write truncated gzip", e);
        }
    }

    /** Closes {@code raw} when done. */
    private static void writeLines(SourceSchema schema, List<String> lines, OutputStream raw, boolean gzip)
            throws IOException {
        OutputStream target = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
        try (Writer w = new BufferedWriter(new OutputStreamWriter(target, StandardCharsets.UTF_8), 1 << 16)) {
            if (schema.format() == SourceSchema.Format.CSV) {
                w.write(LineCodec.csvHeader(schema.columns()));
                w.write('\n');
            }
            for (String line : lines) {
                w.write(line);
                w.write('\n');
            }
        }
    }

    private Path folder(SourceSchema schema, LocalDate dt) {
        Path dir = root.resolve(schema.source()).resolve("dt=" + Timestamps.date(dt));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        return dir;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
