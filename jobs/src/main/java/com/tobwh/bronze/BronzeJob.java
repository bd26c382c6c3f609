package com.tobwh.bronze;

import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/** Loads one landing object into its bronze table as delivered (typed), plus _run_id, _file, _line, _dt. */
public final class BronzeJob implements Job {
    private final LandingSchema schema;

    public BronzeJob(LandingSchema schema) {
        this.schema = schema;
    }

    public LandingSchema schema() {
        return schema;
    }

    @Override
    public String output() {
        return schema.bronzeTable;
    }

    @Override
    public List<String> inputs() {
        return List.of(landingInput(schema.source));
    }

    public static String landingInput(String source) {
        return "landing." + source;
    }

    @Override
    public String grain() {
        return "one row per valid line of " + schema.source + " files matching " + schema.filePattern.pattern();
    }

    @Override
    public Built build(Map<String, Dataset<Row>> inputs, RunContext ctx) {
        Dataset<Row> lines = inputs.get(landingInput(schema.source)).filter(col("schema").equalTo(schema.name));
        BronzeValidation.Result r = BronzeValidation.validate(lines, schema, ctx.runId());
        return new Built(r.loaded(), r.rejected());
    }

    @Override
    public List<String> primaryKey() {
        return List.of("_file", "_line");
    }

    @Override
    public List<String> partitionBy() {
        return List.of("_dt");
    }

    @Override
    public String replaceDateColumn() {
        return "_dt";
    }
}
