package com.tobwh.cli;

import com.tobwh.config.WarehouseConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options every warehouse command shares: where the config, landing zone and warehouse are. */
public final class CommonOptions {
    @Option(names = "--config", description = "Pipeline config (JSON or YAML); defaults to the bundled pipeline.yaml")
    Path config;

    @Option(names = "--landing", description = "Landing root: local path or s3a:// URI")
    String landing;

    @Option(names = "--warehouse", description = "Warehouse root: local path or s3a:// URI")
    String warehouse;

    @Option(names = "--master", description = "Spark master for local launches, e.g. local[*]")
    String master;

    WarehouseConfig config() {
        WarehouseConfig cfg = config == null ? WarehouseConfig.defaults() : WarehouseConfig.load(config);
        if (landing != null) {
            cfg.landingRoot = landing;
        }
        if (warehouse != null) {
            cfg.warehouseRoot = warehouse;
        }
        if (master != null) {
            cfg.sparkMaster = master;
        }
        return cfg.validated();
    }
}
