package com.tobwh.io;

import com.tobwh.bronze.LandingSchema;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Lists and reads landing files (local or s3a://) into raw lines that keep their file and line number. */
public final class LandingReader {
    /** Columns of the raw-lines Dataset every bronze job starts from. */
    public static final StructType LINES = new StructType()
            .add("schema", DataTypes.StringType)
            .add("source", DataTypes.StringType)
            .add("file", DataTypes.StringType, false)
            .add("dt", DataTypes.DateType, false)
            .add("line", DataTypes.LongType)
            .add("raw", DataTypes.StringType)
            .add("file_error", DataTypes.StringType);

    private LandingReader() {
    }

    /** Every file under {@code <root>/<source>/dt=D/} for D in [from, to], matched to its schema. */
    public static List<LandingFile> list(SparkSession spark, String root, List<LandingSchema> schemas,
                                         LocalDate from, LocalDate to) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        List<LandingFile> out = new ArrayList<>();
        for (String source : schemas.stream().map(s -> s.source).distinct().toList()) {
            List<LandingSchema> ofSource = schemas.stream().filter(s -> s.source.equals(source)).toList();
            Path glob = new Path(root + "/" + source + "/dt=*/*");
            FileStatus[] found;
            try {
                FileSystem fs = glob.getFileSystem(conf);
                found = fs.globStatus(glob);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list landing folder " + glob, e);
            }
            if (found == null) {
                continue;
            }
            for (FileStatus st : found) {
                LocalDate dt = dtOf(st.getPath());
                String name = st.getPath().getName();
                if (dt == null || dt.isBefore(from) || dt.isAfter(to) || st.isDirectory() || isMarker(name)) {
                    continue;
                }
                String path = st.getPath().toString();
                LandingSchema match = ofSource.stream().filter(s -> s.matches(name)).findFirst().orElse(null);
                if (match == null) {
                    out.add(new LandingFile(path, source, dt, null, null, List.of(),
                            "unexpected file name '" + name + "' for source " + source + " (expected "
                                    + String.join(" or ", ofSource.stream().map(s -> s.filePattern.pattern()).toList()) + ")"));
                } else {
                    out.add(new LandingFile(path, source, dt, match.name, match.format,
                            match.format.equals("csv") ? match.columnNames() : List.of(), null));
                }
            }
        }
        out.sort(Comparator.comparing(LandingFile::path));
        return out;
    }

    /** Reads the files' lines; a file that cannot be read whole becomes one row with {@code file_error} set. */
    public static Dataset<Row> readLines(SparkSession spark, List<LandingFile> files) {
        List<Row> problems = new ArrayList<>();
        List<LandingFile> readable = new ArrayList<>();
        for (LandingFile f : files) {
            if (f.problem() != null) {
                problems.add(fileError(f, f.problem()));
            } else {
                readable.add(f);
            }
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Row> rows = jsc.parallelize(problems, 1);
        if (!readable.isEmpty()) {
            // Tasks open files through Hadoop's FileSystem (local, s3a://, …) with the session's settings.
            // (binaryFiles would do the same, but plans thousands of daily files in minutes, not seconds.)
            Map<String, String> settings = new HashMap<>();
            spark.sparkContext().hadoopConfiguration().forEach(e -> settings.put(e.getKey(), e.getValue()));
            Broadcast<Map<String, String>> conf = jsc.broadcast(settings);
            int parallelism = spark.sparkContext().defaultParallelism();
            int parts = Math.min(readable.size(), Math.max(2 * parallelism, readable.size() / 50));
            rows = rows.union(jsc.parallelize(roundRobin(readable, parts), parts).mapPartitions(slice -> {
                Configuration c = new Configuration(false);
                conf.value().forEach(c::set);
                // One file open at a time: the next is opened only when the previous one is exhausted.
                return new Iterator<Row>() {
                    private Iterator<Row> current = Collections.emptyIterator();

                    @Override
                    public boolean hasNext() {
                        while (!current.hasNext() && slice.hasNext()) {
                            current = linesOf(slice.next(), c);
                        }
                        return current.hasNext();
                    }

                    @Override
                    public Row next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        return current.next();
                    }
                };
            }));
        }
        return spark.createDataFrame(rows, LINES);
    }

    /** Interleaves files so each of the {@code parts} contiguous slices gets a share of every source. */
    private static List<LandingFile> roundRobin(List<LandingFile> files, int parts) {
        List<List<LandingFile>> slices = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            slices.add(new ArrayList<>());
        }
        for (int i = 0; i < files.size(); i++) {
            slices.get(i % parts).add(files.get(i));
        }
        List<LandingFile> out = new ArrayList<>();
        slices.forEach(out::addAll);
        return out;
    }

    private static Iterator<Row> linesOf(LandingFile f, Configuration conf) {
        // Whole file or nothing: read it once to prove it decodes to the end before any line is emitted.
        String problem = check(f, conf);
        if (problem != null) {
            return Collections.singletonList(fileError(f, problem)).iterator();
        }
        return new LineIterator(f, conf);
    }

    private static String check(LandingFile f, Configuration conf) {
        try (BufferedReader r = open(f, conf)) {
            String first = r.readLine();
            if (f.format().equals("csv")) {
                String expected = String.join(",", f.header());
                String got = first == null ? "" : stripBom(first).trim();
                if (!got.equals(expected)) {
                    return "wrong header: expected '" + expected + "' but found '" + abbreviate(got) + "'";
                }
            }
            while (r.readLine() != null) {
                // decoding to the end is the check
            }
            return null;
        } catch (EOFException e) {
            return "truncated gzip: the file ends before its compressed stream does";
        } catch (ZipException e) {
            return "corrupt gzip: " + e.getMessage();
        } catch (CharacterCodingException e) {
            return "not UTF-8: " + e.getMessage();
        } catch (IOException e) {
            return "unreadable: " + e;
        }
    }

    private static BufferedReader open(LandingFile f, Configuration conf) throws IOException {
        Path path = new Path(f.path());
        InputStream in = path.getFileSystem(conf).open(path, 1 << 16);
        if (f.path().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
    }

    private static Row fileError(LandingFile f, String problem) {
        return RowFactory.create(f.schema(), f.source(), f.path(), Date.valueOf(f.dt()), null, null, problem);
    }

    private static LocalDate dtOf(Path file) {
        String dir = file.getParent().getName();
        if (!dir.startsWith("dt=")) {
            return null;
        }
        try {
            return LocalDate.parse(dir.substring(3));
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static boolean isMarker(String name) {
        return name.startsWith("_") || name.startsWith(".");
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    /** Streams a file already proven readable, numbering physical lines from 1 (a CSV header is skipped). */
    private static final class LineIterator implements Iterator<Row> {
        private final LandingFile file;
        private final BufferedReader reader;
        private final Date dt;
        private long lineNo;
        private String next;

        LineIterator(LandingFile file, Configuration conf) {
            this.file = file;
            this.dt = Date.valueOf(file.dt());
            try {
                this.reader = open(file, conf);
                if (file.format().equals("csv")) {
                    reader.readLine();
                    lineNo = 1;
                }
                advance();
            } catch (IOException e) {
                throw new UncheckedIOException("re-reading " + file.path(), e);
            }
        }

        private void advance() throws IOException {
            next = reader.readLine();
            if (next == null) {
                reader.close();
            } else {
                lineNo++;
                if (lineNo == 1) {
                    next = stripBom(next);
                }
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Row next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            Row r = RowFactory.create(file.schema(), file.source(), file.path(), dt, lineNo, next, null);
            try {
                advance();
            } catch (IOException e) {
                throw new UncheckedIOException("re-reading " + file.path(), e);
            }
            return r;
        }
    }
}
