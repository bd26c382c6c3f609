package com.tobwh.ops;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository outside the jobs module, found from wherever Maven runs the tests. */
final class RepoFiles {
    private RepoFiles() {
    }

    /** The repository root: the nearest folder, from the working directory up, that holds {@code airflow/}. */
    static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("airflow")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root with airflow/ above " + Path.of("").toAbsolutePath());
    }

    static Path find(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException(relative + " is missing under " + root());
        }
        return p;
    }
}
