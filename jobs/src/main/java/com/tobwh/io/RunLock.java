package com.tobwh.io;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;

/**
 * One run at a time per warehouse: a lock file created only if absent, naming its holder. A second run fails fast
 * with the holder's run id, dates, host and pid; a lock left by a killed run on this host is taken over.
 */
public final class RunLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
    private final FileSystem fs;
    private final Path path;

    private RunLock(FileSystem fs, Path path) {
        this.fs = fs;
        this.path = path;
    }

    /** The lock file of a warehouse root (local or s3a://). */
    public static Path pathOf(String warehouseRoot) {
        return new Path(warehouseRoot + "/_ops/run.lock");
    }

    public static RunLock acquire(Configuration conf, String warehouseRoot, String runId, String dates) {
        Path path = pathOf(warehouseRoot);
        try {
            FileSystem fs = path.getFileSystem(conf);
            Properties me = new Properties();
            me.setProperty("run_id", runId);
            me.setProperty("dates", dates);
            me.setProperty("host", host());
            me.setProperty("pid", String.valueOf(ProcessHandle.current().pid()));
            me.setProperty("started_at", Instant.now().toString());
            for (int attempt = 0; attempt < 2; attempt++) {
                if (create(fs, path, me)) {
                    return new RunLock(fs, path);
                }
                Properties holder = read(fs, path);
                if (holder != null && !stale(holder)) {
                    throw new IllegalStateException(String.format("another run holds the warehouse lock %s: run %s "
                                    + "for %s, started %s by pid %s on %s. Wait for it to finish (bin/tobwh status); "
                                    + "if that process is gone, delete the lock file and run again.", path,
                            holder.getProperty("run_id"), holder.getProperty("dates"), holder.getProperty("started_at"),
                            holder.getProperty("pid"), holder.getProperty("host")));
                }
                LOG.warn("taking over the lock of run {} (pid {} on {} is no longer running)",
                        holder == null ? "?" : holder.getProperty("run_id"),
                        holder == null ? "?" : holder.getProperty("pid"), holder == null ? "?" : host());
                fs.delete(path, false);
            }
            throw new IllegalStateException("could not take the warehouse lock " + path + ": another run took it");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take the warehouse lock " + path, e);
        }
    }

    /**
     * Creates the file with its content only if absent. Hadoop's local file system checks and then creates (a race),
     * so on local disks the content goes to a temporary file that is hard-linked to the lock's name: the link
     * either appears whole or fails because the name exists. HDFS creates without overwrite atomically; on S3 see
     * the README.
     */
    private static boolean create(FileSystem fs, Path path, Properties content) throws IOException {
        fs.mkdirs(path.getParent());
        if ("file".equals(fs.getScheme())) {
            java.nio.file.Path lock = java.nio.file.Path.of(fs.makeQualified(path).toUri().getPath());
            java.nio.file.Path tmp = java.nio.file.Files.createTempFile(lock.getParent(), "run.lock.", ".tmp");
            try {
                try (var out = java.nio.file.Files.newOutputStream(tmp)) {
                    content.store(out, "tobwh run lock");
                }
                java.nio.file.Files.createLink(lock, tmp);
                return true;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            } finally {
                java.nio.file.Files.deleteIfExists(tmp);
            }
        }
        try (FSDataOutputStream out = fs.create(path, false)) {
            content.store(out, "tobwh run lock");
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            if (fs.exists(path)) {
                return false;
            }
            throw e;
        }
    }

    private static Properties read(FileSystem fs, Path path) throws IOException {
        Properties p = new Properties();
        try (var in = fs.open(path)) {
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            return p;
        } catch (java.io.FileNotFoundException e) {
            return null;
        }
    }

    /** Left behind by a process of this host that no longer runs (killed, crashed). */
    private static boolean stale(Properties holder) {
        if (!host().equals(holder.getProperty("host"))) {
            return false;
        }
        try {
            long pid = Long.parseLong(holder.getProperty("pid", ""));
            return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    @Override
    public void close() {
        try {
            fs.delete(path, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the warehouse lock " + path, e);
        }
    }
}
