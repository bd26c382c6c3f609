package com.tobwh.io;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Reads the JSON Schemas bundled from the repository's {@code schemas/} folder, from the jar or the classpath dir. */
public final class SchemaFiles {
    private static final String SUFFIX = ".schema.json";

    private SchemaFiles() {
    }

    /** Every {@code *.schema.json} under {@code schemas/<folder>}, by name without the suffix, in name order. */
    public static Map<String, JsonNode> read(String folder) {
        String dir = "schemas/" + folder;
        URL url = SchemaFiles.class.getClassLoader().getResource(dir);
        if (url == null) {
            throw new IllegalStateException(dir + " is not on the classpath: the build bundles it from schemas/");
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
                    return read(fs.getPath(dir));
                }
            }
            return read(Path.of(uri));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, JsonNode> read(Path dir) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, JsonNode> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                String file = p.getFileName().toString();
                if (file.endsWith(SUFFIX)) {
                    try (InputStream in = Files.newInputStream(p)) {
                        out.put(file.substring(0, file.length() - SUFFIX.length()), mapper.readTree(in));
                    }
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no schemas found in " + dir);
        }
        return out;
    }
}
