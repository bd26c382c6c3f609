package com.tobwh.pipeline;

import com.tobwh.config.WarehouseConfig;

import java.time.LocalDate;

/** Who and what a run is: its id, the landing dates it loads, the configuration, and whether to rebuild all. */
public record RunContext(String runId, LocalDate from, LocalDate to, WarehouseConfig cfg, boolean fullRefresh) {
    /** An incremental run: each job rebuilds what changed since it last succeeded. */
    public RunContext(String runId, LocalDate from, LocalDate to, WarehouseConfig cfg) {
        this(runId, from, to, cfg, false);
    }

    public RunContext {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("--to " + to + " is before --from " + from);
        }
    }

    /** Marts are stated as of the last loaded date. */
    public LocalDate asOf() {
        return to;
    }
}
