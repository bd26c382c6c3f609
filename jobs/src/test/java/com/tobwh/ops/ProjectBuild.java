package com.tobwh.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What `mvn package` built, as integration tests that start child JVMs need it: jar, Spark classpath, launchers. */
public final class ProjectBuild {
    private static final Pattern OPENS = Pattern.compile("<spark.java17.opens>(.*?)</spark.java17.opens>");

    private ProjectBuild() {
    }

    /** The repository root: the nearest folder, from the working directory up, with bin/tobwh and a pom.xml. */
    public static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("bin/tobwh")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root (bin/tobwh, pom.xml) above "
                + Path.of("").toAbsolutePath());
    }

    /** The shaded application jar (Delta, picocli, jackson-yaml inside; Spark provided). */
    public static Path shadedJar() {
        return file("jobs/target/tobwh-jobs.jar");
    }

    /** The Spark, Hadoop and Hive jars Maven resolved for the build (jobs/target/classpath.txt). */
    public static List<Path> sparkClasspath() {
        try {
            String cp = Files.readString(file("jobs/target/classpath.txt")).trim();
            return Arrays.stream(cp.split(java.io.File.pathSeparator)).map(Path::of).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The --add-opens flags Spark needs on Java 17, from the one place they are kept (pom.xml). */
    public static List<String> java17Opens() {
        try {
            Matcher m = OPENS.matcher(Files.readString(root().resolve("pom.xml")));
            if (!m.find()) {
                throw new IllegalStateException("pom.xml has no <spark.java17.opens> property");
            }
            return Arrays.asList(m.group(1).trim().split("\\s+"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A launcher script under bin/, e.g. {@code tobwh} or {@code spark-submit}. */
    public static Path bin(String name) {
        return file("bin/" + name);
    }

    /** The java executable of the JVM running the tests, so children run on the same JDK. */
    public static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** A file of the repository (or of the build), failing with a clear message when it is missing. */
    public static Path file(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException(p + " is missing (files under target/ are built by `mvn package`)");
        }
        return p;
    }
}
