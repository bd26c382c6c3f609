package com.tobwh.ops;

import com.tobwh.pipeline.Warehouse;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Airflow DAG reads the job graph from the committed airflow/plan.json when Airflow parses it (no Java there),
 * so that file must be exactly what {@code bin/tobwh plan --format json} prints for this code.
 */
class AirflowPlanTest {
    static final String REGENERATE = "mvn -B -q -DskipTests package && bin/tobwh plan --format json > airflow/plan.json";

    @Test
    void committedPlanIsTheJobGraphOfThisCode() throws IOException {
        Path plan = ProjectBuild.file("airflow/plan.json");
        assertEquals(Warehouse.graph().toJson() + "\n", Files.readString(plan, StandardCharsets.UTF_8),
                "airflow/plan.json is not the job graph of this code; regenerate it from the repository root: "
                        + REGENERATE);
    }
}
