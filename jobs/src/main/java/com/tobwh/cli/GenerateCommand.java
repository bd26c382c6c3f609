package com.tobwh.cli;

import com.tobwh.generate.GeneratorManifest;
import com.tobwh.generate.GeneratorOptions;
import com.tobwh.generate.SampleDataGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;

/** `generate`: writes a deterministic sample landing zone for all six sources (local folder). */
@Command(name = "generate", description = "Write deterministic sample landing data for all six sources.")
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "data/landing", description = "Landing folder to write (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed; same seed, same bytes")
    long seed;

    @Option(names = "--scale", defaultValue = "1", description = "Size factor (1 ≈ 3,200 accounts, 330 customers a year)")
    double scale;

    @Option(names = "--days", defaultValue = "365", description = "Days of landing folders to write")
    int days;

    @Option(names = "--start", defaultValue = "2026-01-01", description = "First landing date")
    LocalDate start;

    @Option(names = "--bad-share", defaultValue = "0.002", description = "Share of deliberately bad rows (0 for none)")
    double badShare;

    @Override
    public Integer call() {
        GeneratorManifest m = SampleDataGenerator.generate(new GeneratorOptions(out, seed, scale, days, start, badShare));
        System.out.println(m.summary().stripTrailing());
        System.out.println("Manifest with planted truth: " + out.resolve("_generator_manifest.json"));
        return 0;
    }
}
