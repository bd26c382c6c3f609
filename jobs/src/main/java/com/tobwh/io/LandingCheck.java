package com.tobwh.io;

import com.tobwh.config.WarehouseConfig;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Before a run loads anything: does every source have landing files for every date of the run? Applies each
 * source's configured policy (fail, wait, partial) so an incomplete landing zone is never a silent hole.
 */
public final class LandingCheck {
    /** Dates without files, per source, that the run goes on without (policy partial); empty when complete. */
    public record Result(Map<String, List<LocalDate>> missing) {
        public boolean partial() {
            return !missing.isEmpty();
        }

        public String message() {
            StringBuilder b = new StringBuilder("partial: no landing files for");
            missing.forEach((source, dates) -> b.append(' ').append(source).append(" on ").append(dates.size())
                    .append(dates.size() == 1 ? " date (" : " dates (").append(summary(dates)).append(");"));
            return b.substring(0, b.length() - 1);
        }
    }

    /** Sleeps between polls; a test passes one that does not. */
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private LandingCheck() {
    }

    public static Result check(Configuration conf, WarehouseConfig cfg, List<String> sources, LocalDate from,
                               LocalDate to, Sleeper sleeper) {
        long deadline = System.currentTimeMillis() + (long) (cfg.landingWaitMinutes * 60_000);
        while (true) {
            Map<String, List<LocalDate>> missing = missing(conf, cfg.landingRoot, sources, from, to);
            List<String> failing = new ArrayList<>();
            List<String> waiting = new ArrayList<>();
            Map<String, List<LocalDate>> partial = new TreeMap<>();
            missing.forEach((source, dates) -> {
                switch (cfg.landingPolicyFor(source)) {
                    case "fail" -> failing.add(source);
                    case "wait" -> waiting.add(source);
                    default -> partial.put(source, dates);
                }
            });
            boolean timedOut = System.currentTimeMillis() >= deadline;
            if (!failing.isEmpty() || (!waiting.isEmpty() && timedOut)) {
                StringBuilder b = new StringBuilder("landing zone incomplete for " + from
                        + (to.equals(from) ? "" : ".." + to) + ":");
                for (String s : failing) {
                    b.append(String.format("%n  %s: no files under %s/%s/dt=<date>/ for %s (policy fail)", s,
                            cfg.landingRoot, s, summary(missing.get(s))));
                }
                for (String s : timedOut ? waiting : List.<String>of()) {
                    b.append(String.format("%n  %s: no files under %s/%s/dt=<date>/ for %s after waiting %s minutes"
                                    + " (policy wait)", s, cfg.landingRoot, s, summary(missing.get(s)),
                            cfg.landingWaitMinutes));
                }
                throw new IllegalStateException(b.toString());
            }
            if (waiting.isEmpty()) {
                return new Result(partial);
            }
            try {
                sleeper.sleep(Math.min(cfg.landingPollSeconds * 1000L,
                        Math.max(0, deadline - System.currentTimeMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for landing files of " + waiting, e);
            }
        }
    }

    /** Per source, the run dates whose {@code dt=} folder is absent or holds no data file. */
    static Map<String, List<LocalDate>> missing(Configuration conf, String root, List<String> sources,
                                                LocalDate from, LocalDate to) {
        Map<String, List<LocalDate>> out = new TreeMap<>();
        for (String source : sources) {
            Path glob = new Path(root + "/" + source + "/dt=*/*");
            List<LocalDate> present = new ArrayList<>();
            try {
                FileStatus[] found = glob.getFileSystem(conf).globStatus(glob);
                for (FileStatus st : found == null ? new FileStatus[0] : found) {
                    String dir = st.getPath().getParent().getName();
                    String name = st.getPath().getName();
                    if (st.isFile() && !name.startsWith("_") && !name.startsWith(".") && dir.startsWith("dt=")) {
                        try {
                            present.add(LocalDate.parse(dir.substring(3)));
                        } catch (java.time.format.DateTimeParseException e) {
                            // a folder that is not dt=YYYY-MM-DD is LandingReader's to reject, not a missing date
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list landing folder " + glob, e);
            }
            List<LocalDate> absent = from.datesUntil(to.plusDays(1)).filter(d -> !present.contains(d)).toList();
            if (!absent.isEmpty()) {
                out.put(source, absent);
            }
        }
        return out;
    }

    private static String summary(List<LocalDate> dates) {
        return dates.size() <= 3 ? dates.toString().replace("[", "").replace("]", "")
                : dates.get(0) + ", " + dates.get(1) + " … " + dates.get(dates.size() - 1);
    }

    /** For callers that have no use for a custom sleeper. */
    public static Result check(Configuration conf, WarehouseConfig cfg, List<String> sources, LocalDate from,
                               LocalDate to) {
        return check(conf, cfg, sources, from, to, Thread::sleep);
    }
}
