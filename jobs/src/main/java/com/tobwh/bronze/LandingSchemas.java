package com.tobwh.bronze;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Loads every landing schema shipped in {@code schemas/landing/} (bundled into the jar at build time). */
public final class LandingSchemas {
    private static final String DIR = "schemas/landing";
    private static final String SUFFIX = ".schema.json";
    private static volatile List<LandingSchema> cached;

    private LandingSchemas() {
    }

    public static List<LandingSchema> all() {
        if (cached == null) {
            cached = load();
        }
        return cached;
    }

    public static LandingSchema byName(String name) {
        return all().stream().filter(s -> s.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no landing schema " + name));
    }

    public static List<String> sources() {
        return all().stream().map(s -> s.source).distinct().toList();
    }

    private static List<LandingSchema> load() {
        URL url = LandingSchemas.class.getClassLoader().getResource(DIR);
        if (url == null) {
            throw new IllegalStateException(DIR + " is not on the classpath: the build bundles it from schemas/");
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
                    return read(fs.getPath(DIR));
                }
            }
            return read(Path.of(uri));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<LandingSchema> read(Path dir) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<LandingSchema> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                String file = p.getFileName().toString();
                if (!file.endsWith(SUFFIX)) {
                    continue;
                }
                try (InputStream in = Files.newInputStream(p)) {
                    out.add(new LandingSchema(file.substring(0, file.length() - SUFFIX.length()), mapper.readTree(in)));
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no landing schemas found in " + dir);
        }
        return List.copyOf(out);
    }
}
