package com.tobwh.pipeline;

import scala.collection.JavaConverters;
import scala.collection.Seq;

/** Join columns for Dataset.join(right, usingColumns, joinType), which takes a Scala Seq. */
public final class Using {
    private Using() {
    }

    public static Seq<String> columns(String... names) {
        return JavaConverters.asScalaBuffer(java.util.Arrays.asList(names)).toSeq();
    }
}
