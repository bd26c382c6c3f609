package com.tobwh.io;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.List;

/**
 * One file found in the landing zone. {@code schema} is null when the file name matches no schema of its source,
 * in which case {@code problem} says why it is rejected as a file.
 */
public record LandingFile(String path, String source, LocalDate dt, String schema, String format,
                          List<String> header, String problem) implements Serializable {
    public String fileName() {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
