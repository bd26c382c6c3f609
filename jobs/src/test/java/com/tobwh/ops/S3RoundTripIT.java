package com.tobwh.ops;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import com.amazonaws.services.s3.transfer.TransferManager;
import com.amazonaws.services.s3.transfer.TransferManagerBuilder;
import com.tobwh.config.WarehouseConfig;
import com.tobwh.generate.GeneratorManifest;
import com.tobwh.generate.GeneratorOptions;
import com.tobwh.generate.SampleDataGenerator;
import com.tobwh.io.SparkSessions;
import com.tobwh.pipeline.Warehouse;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The pipeline with landing and warehouse on {@code s3a://} (S3Proxy on loopback, credentials only in the
 * environment) publishes the same four marts, row for row, as the same run on local disk.
 */
class S3RoundTripIT {
    private static final String BUCKET = "tobwh-it";
    // The smallest generated landing zone whose marts are all non-empty: sales cycles are 30-180 days, and
    // seed 1 at scale 0.2 is the first found with a paid order within 48 days (one customer, EUR, touches).
    private static final LocalDate FROM = LocalDate.of(2026, 1, 1);
    private static final int DAYS = 48;
    private static final LocalDate TO = FROM.plusDays(DAYS - 1);
    private static final String CHILD_JAVA_OPTS = "-Xmx1536m";
    // A guard against hangs, not a speed limit: shared CI cores can make a run several times slower.
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(45);

    @TempDir
    Path tmp;

    private ChildProcess s3proxy;
    private final List<ChildProcess> runs = new ArrayList<>();

    @AfterEach
    void stopChildren() {
        runs.forEach(ChildProcess::close);
        if (s3proxy != null) {
            s3proxy.close();
        }
    }

    @Test
    void martsOnS3EqualMartsOnLocalDisk() throws Exception {
        long started = System.nanoTime();
        Path landing = tmp.resolve("landing");
        GeneratorManifest manifest = SampleDataGenerator.generate(GeneratorOptions.defaults(landing)
                .withSeed(1).withScale(0.2).withDays(DAYS).withStart(FROM));
        assertFalse(manifest.customers().isEmpty(), "the sample must hold a paying customer, or the marts are empty");

        Path backend = tmp.resolve("s3proxy-data");
        String accessKey = "it-" + randomHex(8);
        String secretKey = randomHex(20);
        String endpoint = startS3Proxy(backend, accessKey, secretKey);

        AmazonS3 s3 = AmazonS3ClientBuilder.standard()
                .withEndpointConfiguration(new AwsClientBuilder.EndpointConfiguration(endpoint, "us-east-1"))
                .withPathStyleAccessEnabled(true)
                .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials(accessKey, secretKey)))
                .build();
        s3.createBucket(BUCKET);
        TransferManager uploads = TransferManagerBuilder.standard().withS3Client(s3).build();
        try {
            uploads.uploadDirectory(BUCKET, "landing", landing.toFile(), true).waitForCompletion();
        } finally {
            uploads.shutdownNow(false);
        }
        assertEquals(countFiles(landing), countFiles(backend.resolve(BUCKET).resolve("landing")),
                "every landing file must be an object in the S3Proxy backend");

        // Shared by both runs, so that they differ only in where they read and write. The data is tiny: one
        // shuffle partition and plain (non-adaptive, non-whole-stage) plans cost the least CPU per query.
        String common = """
                sparkMaster: "local[2]"
                shufflePartitions: 1
                sparkConf:
                  spark.sql.adaptive.enabled: "false"
                  spark.sql.codegen.wholeStage: "false"
                """;
        Path localConfig = write("local.yaml", common + "metastoreDir: " + tmp.resolve("metastore-local") + "\n");
        // No keys: the child must find them through Hadoop's default chain, i.e. the environment below.
        Path s3Config = write("s3.yaml", common + "metastoreDir: " + tmp.resolve("metastore-s3") + "\n"
                + "s3:\n  endpoint: " + endpoint + "\n  sslEnabled: false\n  pathStyleAccess: true\n"
                + "  region: us-east-1\n"
                // S3Proxy's filesystem backend sleeps and retries on each attempt to delete a directory marker.
                + "  keepDirectoryMarkers: true\n");

        String s3Landing = "s3a://" + BUCKET + "/landing";
        String s3Warehouse = "s3a://" + BUCKET + "/warehouse";
        Path localWarehouse = tmp.resolve("warehouse");
        // Concurrently, so that one run can use what the other leaves idle (waits on S3, single-threaded planning).
        ChildProcess onS3 = startRun("s3", s3Config, s3Landing, s3Warehouse, accessKey, secretKey);
        ChildProcess onDisk = startRun("local", localConfig, landing.toString(), localWarehouse.toString(), null, null);
        onS3.awaitSuccess(RUN_TIMEOUT);
        onDisk.awaitSuccess(RUN_TIMEOUT);
        assertFalse(Files.readString(onS3.log()).contains(secretKey), "the S3 run printed the secret key");
        long runsDone = System.nanoTime();

        for (String mart : Warehouse.marts()) {
            Path log = backend.resolve(BUCKET).resolve("warehouse").resolve(mart.replace('.', '/'))
                    .resolve("_delta_log");
            assertTrue(Files.isRegularFile(log.resolve("00000000000000000000.json")),
                    "no Delta log of " + mart + " in the S3Proxy backend: " + log);
            try (Stream<Path> files = Files.walk(log.getParent())) {
                assertTrue(files.anyMatch(p -> p.toString().endsWith(".parquet")),
                        "no data file of " + mart + " in the S3Proxy backend");
            }
        }

        WarehouseConfig readCfg = WarehouseConfig.defaults();
        readCfg.sparkMaster = "local[2]";
        readCfg.shufflePartitions = 1;
        readCfg.warehouseRoot = tmp.resolve("it-warehouse").toString();
        readCfg.metastoreDir = tmp.resolve("metastore-it").toString();
        readCfg.s3.endpoint = endpoint;
        readCfg.s3.sslEnabled = false;
        // This JVM reads with keys from the config, so both credential paths are exercised.
        readCfg.s3.accessKey = accessKey;
        readCfg.s3.secretKey = secretKey;
        boolean ownSession = SparkSession.getDefaultSession().isEmpty();
        SparkSession spark = SparkSessions.create(readCfg.validated(), "s3-round-trip-it");
        // Another IT in the same fork may have built the session: give it the S3 settings either way.
        SparkSessions.s3Settings(readCfg).forEach((k, v) ->
                spark.sparkContext().hadoopConfiguration().set(k.substring("spark.hadoop.".length()), v));
        try {
            TableComparison.assertMartsEqual(spark, localWarehouse.toString(), s3Warehouse);
            double conversions = spark.read().format("delta").load(s3Warehouse + "/gold/mart_attribution_channel")
                    .agg(functions.sum(functions.col("conversions").cast("double"))).first().getDouble(0);
            assertTrue(conversions > 0, "no attributed conversion: the sample has no touch before its order");
        } finally {
            if (ownSession) {
                spark.stop();
            }
        }
        System.out.printf("S3RoundTripIT: pipeline runs %.0f s, whole test %.0f s%n",
                (runsDone - started) / 1e9, (System.nanoTime() - started) / 1e9);
    }

    /** S3Proxy in its own JVM (its bundled Jetty, Guava and Jackson stay off Spark's classpath), filesystem backend. */
    private String startS3Proxy(Path backend, String accessKey, String secretKey) throws IOException,
            InterruptedException {
        String jar = System.getProperty("tobwh.s3proxy.jar");
        assertTrue(jar != null && Files.isRegularFile(Path.of(jar)),
                "S3Proxy jar missing (" + jar + "): run through `mvn verify`, which copies it to target/it-tools");
        Files.createDirectories(backend);
        int port = LoopbackPorts.free(1)[0];
        String endpoint = "http://127.0.0.1:" + port;
        Path props = write("s3proxy.properties", String.join("\n",
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + accessKey,
                "s3proxy.credential=" + secretKey,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + backend) + "\n");
        s3proxy = ChildProcess.start("s3proxy", List.of(ProjectBuild.java().toString(), "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-jar", jar, "--properties", props.toString()), Map.of(), tmp,
                tmp.resolve("s3proxy.log"));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            if (!s3proxy.isAlive()) {
                fail("S3Proxy exited:\n" + s3proxy.logTail(60));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return endpoint;
            } catch (IOException notYet) {
                Thread.sleep(250);
            }
        }
        fail("S3Proxy did not listen on " + endpoint + " within 3 minutes:\n" + s3proxy.logTail(60));
        return endpoint;
    }

    /** {@code bin/tobwh run} as a child process; credentials, when given, only through the environment. */
    private ChildProcess startRun(String name, Path config, String landingRoot, String warehouseRoot,
                                  String accessKey, String secretKey) {
        // Nothing from the developer's machine (profiles, other keys) may stand in for the test's credentials.
        Map<String, String> env = new HashMap<>();
        System.getenv().keySet().stream().filter(k -> k.startsWith("AWS_")).forEach(k -> env.put(k, null));
        if (accessKey != null) {
            env.put("AWS_ACCESS_KEY_ID", accessKey);
            env.put("AWS_SECRET_ACCESS_KEY", secretKey);
        }
        env.put("TOBWH_JAVA_OPTS", CHILD_JAVA_OPTS);
        ChildProcess p = ChildProcess.start(name + "-run", List.of(ProjectBuild.bin("tobwh").toString(), "run",
                "--from", FROM.toString(), "--to", TO.toString(), "--landing", landingRoot,
                "--warehouse", warehouseRoot, "--config", config.toString()), env, tmp, tmp.resolve(name + "-run.log"));
        runs.add(p);
        return p;
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    private static long countFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
