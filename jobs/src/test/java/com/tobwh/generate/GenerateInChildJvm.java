package com.tobwh.generate;

import java.nio.file.Path;

/** Entry point for the determinism test's second JVM (hash seeds and Map.of orders differ per JVM). */
public final class GenerateInChildJvm {
    private GenerateInChildJvm() {
    }

    public static void main(String[] args) {
        SampleDataGenerator.generate(GeneratorOptions.defaults(Path.of(args[0])).withScale(Double.parseDouble(args[1]))
                .withDays(Integer.parseInt(args[2])).withBadShare(Double.parseDouble(args[3])));
    }
}
