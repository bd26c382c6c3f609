package com.tobwh.generate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** Reads a landing zone back from disk the way a pipeline would: files per source and dt, lines of (gzipped) files. */
final class LandingFiles {
    /** One landing file and the day folder it sits in. */
    record LandingFile(String source, LocalDate dt, Path path) {
        String name() {
            return path.getFileName().toString();
        }
    }

    private LandingFiles() {
    }

    /** Files of a source ordered by dt, then name. */
    static List<LandingFile> files(Path root, String source) {
        Path dir = root.resolve(source);
        List<LandingFile> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> days = Files.list(dir)) {
            for (Path day : days.sorted().toList()) {
                LocalDate dt = LocalDate.parse(day.getFileName().toString().substring(3));
                try (Stream<Path> fs = Files.list(day)) {
                    for (Path f : fs.sorted().toList()) {
                        out.add(new LandingFile(source, dt, f));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** All lines of a file, decompressing .gz; a truncated gzip throws. */
    static List<String> lines(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
            }
        }
        return lines;
    }

    static List<String> linesUnchecked(Path file) {
        try {
            return lines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Every regular file under the root, relative, sorted. */
    static List<Path> tree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }
}
