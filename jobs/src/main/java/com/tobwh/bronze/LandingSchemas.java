package com.tobwh.bronze;

import com.tobwh.io.SchemaFiles;

import java.util.List;

/** Every landing schema shipped in {@code schemas/landing/}: one per source object, one bronze table each. */
public final class LandingSchemas {
    private static volatile List<LandingSchema> cached;

    private LandingSchemas() {
    }

    public static List<LandingSchema> all() {
        if (cached == null) {
            cached = SchemaFiles.read("landing").entrySet().stream()
                    .map(e -> new LandingSchema(e.getKey(), e.getValue())).toList();
        }
        return cached;
    }

    public static LandingSchema byName(String name) {
        return all().stream().filter(s -> s.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no landing schema " + name));
    }
}
