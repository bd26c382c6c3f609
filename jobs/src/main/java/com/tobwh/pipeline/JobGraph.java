package com.tobwh.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Orders jobs by their declared inputs and outputs; the same graph drives `run`, `plan` and the docs. */
public final class JobGraph {
    private final List<Job> ordered;

    public JobGraph(List<Job> jobs) {
        this(jobs, false);
    }

    /** {@code external}: inputs no job of this graph writes are tables an earlier run already built. */
    private JobGraph(List<Job> jobs, boolean external) {
        Map<String, Job> byOutput = new LinkedHashMap<>();
        for (Job j : jobs) {
            if (byOutput.put(j.output(), j) != null) {
                throw new IllegalArgumentException("two jobs write " + j.output());
            }
        }
        for (Job j : jobs) {
            for (String in : j.inputs()) {
                if (!external && !in.startsWith("landing.") && !byOutput.containsKey(in)) {
                    throw new IllegalArgumentException(j.output() + " reads " + in + ", which no job writes");
                }
            }
        }
        this.ordered = topological(byOutput);
    }

    /** The layers in run order (bronze, silver, gold): each reads only itself and the layers before it. */
    public List<String> layers() {
        return ordered.stream().map(j -> layerOf(j.output())).distinct().toList();
    }

    /** Only the jobs of one layer (e.g. for one Airflow task); their inputs from earlier layers must exist. */
    public JobGraph layer(String layer) {
        List<Job> jobs = ordered.stream().filter(j -> layerOf(j.output()).equals(layer)).toList();
        if (jobs.isEmpty()) {
            throw new IllegalArgumentException("no layer " + layer + "; layers are " + layers());
        }
        return new JobGraph(jobs, true);
    }

    static String layerOf(String table) {
        return table.substring(0, table.indexOf('.'));
    }

    public List<Job> ordered() {
        return ordered;
    }

    /**
     * Jobs grouped in waves: a job's wave is one after the latest wave among the jobs it reads, so the jobs of a wave
     * are independent of each other and may run at the same time.
     */
    public List<List<Job>> waves() {
        Map<String, Integer> wave = new HashMap<>();
        List<List<Job>> out = new ArrayList<>();
        for (Job j : ordered) {
            int w = j.inputs().stream().mapToInt(in -> wave.getOrDefault(in, -1) + 1).max().orElse(0);
            wave.put(j.output(), w);
            while (out.size() <= w) {
                out.add(new ArrayList<>());
            }
            out.get(w).add(j);
        }
        return out;
    }

    private static List<Job> topological(Map<String, Job> byOutput) {
        List<Job> out = new ArrayList<>();
        Map<String, Integer> state = new HashMap<>();
        for (String name : byOutput.keySet()) {
            visit(name, byOutput, state, out, new ArrayList<>());
        }
        return List.copyOf(out);
    }

    private static void visit(String name, Map<String, Job> byOutput, Map<String, Integer> state, List<Job> out,
                              List<String> path) {
        Job j = byOutput.get(name);
        if (j == null) {
            return;
        }
        Integer s = state.get(name);
        if (s != null && s == 2) {
            return;
        }
        path.add(name);
        if (s != null && s == 1) {
            throw new IllegalArgumentException("job cycle: " + String.join(" -> ", path));
        }
        state.put(name, 1);
        for (String in : j.inputs()) {
            visit(in, byOutput, state, out, path);
        }
        state.put(name, 2);
        path.remove(path.size() - 1);
        out.add(j);
    }

    /** The graph as JSON: each job with its inputs, grain, layer, key and Z-order columns (for Airflow and docs). */
    public String toJson() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        ArrayNode jobs = root.putArray("jobs");
        for (Job j : ordered) {
            ObjectNode n = jobs.addObject();
            n.put("output", j.output());
            n.put("layer", layerOf(j.output()));
            n.put("grain", j.grain());
            ArrayNode ins = n.putArray("inputs");
            j.inputs().forEach(ins::add);
            ArrayNode pk = n.putArray("primary_key");
            j.primaryKey().forEach(pk::add);
            ArrayNode zorder = n.putArray("zorder_by");
            j.zorderBy().forEach(zorder::add);
        }
        try {
            return m.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The graph as text: one line per job in run order. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        int i = 1;
        for (Job j : ordered) {
            b.append(String.format("%2d. %-40s <- %s%n      grain: %s%n", i++, j.output(),
                    String.join(", ", j.inputs()), j.grain()));
        }
        return b.toString();
    }
}
