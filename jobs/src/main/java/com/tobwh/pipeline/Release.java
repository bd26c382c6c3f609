package com.tobwh.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Properties;

/** Which build of the code is running: the stamp the build writes into {@code tobwh-release.properties}. */
final class Release {
    private static final String STAMP = load("/tobwh-release.properties");

    private Release() {
    }

    /** The build's version and stamp, or null when the code was not built by Maven (the file is missing or raw). */
    static String stamp() {
        return STAMP;
    }

    /**
     * What a job built from configuration alone is built from, {@code configuration} (see
     * {@link Job#configuration}) by this build, as one number for {@code ops.run_log}; null when either is unknown.
     */
    static Long fingerprint(String configuration) {
        return fingerprint(STAMP, configuration);
    }

    static Long fingerprint(String stamp, String configuration) {
        if (stamp == null || configuration == null) {
            return null;
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest((stamp + "\n" + configuration).getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                v = v << 8 | (d[i] & 0xff);
            }
            return v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    static String load(String resource) {
        try (InputStream in = Release.class.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            String build = p.getProperty("build");
            // A placeholder left as written: the file was copied, not filtered, so it names no build.
            return build == null || build.isBlank() || build.contains("${") ? null
                    : p.getProperty("version") + " " + build;
        } catch (IOException e) {
            return null;
        }
    }
}
