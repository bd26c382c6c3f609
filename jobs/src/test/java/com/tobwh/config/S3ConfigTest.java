package com.tobwh.config;

import com.tobwh.io.SparkSessions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code s3} config section: what reaches Spark as {@code spark.hadoop.fs.s3a.*}, and what is refused. */
class S3ConfigTest {
    @TempDir
    Path dir;

    private WarehouseConfig load(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return WarehouseConfig.load(file);
    }

    private static IllegalArgumentException refused(Path file) {
        return assertThrows(IllegalArgumentException.class, () -> WarehouseConfig.load(file));
    }

    @Test
    void bundledDefaultsTalkToAwsWithPathStyleAndTheDefaultCredentialChain() {
        Map<String, String> s = SparkSessions.s3Settings(WarehouseConfig.defaults());
        assertEquals(Map.of(
                "spark.hadoop.fs.s3a.path.style.access", "true",
                "spark.hadoop.fs.s3a.connection.ssl.enabled", "true",
                "spark.hadoop.fs.s3a.directory.marker.retention", "delete"), s);
    }

    @Test
    void endpointRegionAndPathStyleAreAppliedAndNoKeysMeansTheEnvironmentChain() throws IOException {
        WarehouseConfig cfg = load("s3.yaml", """
                s3:
                  endpoint: http://127.0.0.1:9000
                  sslEnabled: false
                  region: eu-central-1
                  pathStyleAccess: false
                  keepDirectoryMarkers: true
                """);
        Map<String, String> s = SparkSessions.s3Settings(cfg);
        assertEquals("http://127.0.0.1:9000", s.get("spark.hadoop.fs.s3a.endpoint"));
        assertEquals("false", s.get("spark.hadoop.fs.s3a.connection.ssl.enabled"));
        assertEquals("eu-central-1", s.get("spark.hadoop.fs.s3a.endpoint.region"));
        assertEquals("false", s.get("spark.hadoop.fs.s3a.path.style.access"));
        assertEquals("keep", s.get("spark.hadoop.fs.s3a.directory.marker.retention"));
        // Any key set here would shadow AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY and instance profiles.
        assertFalse(s.keySet().stream().anyMatch(k -> k.endsWith(".access.key") || k.endsWith(".secret.key")), s.toString());
    }

    @Test
    void aPartialSectionKeepsTheOtherDefaults() throws IOException {
        WarehouseConfig cfg = load("partial.json", "{\"s3\": {\"endpoint\": \"minio.internal:9000\"}}");
        assertEquals("minio.internal:9000", cfg.s3.endpoint);
        assertTrue(cfg.s3.pathStyleAccess);
        assertTrue(cfg.s3.sslEnabled);
        assertEquals("true", SparkSessions.s3Settings(cfg).get("spark.hadoop.fs.s3a.path.style.access"));
    }

    @Test
    void keysFromTheConfigAreAppliedButNeverShownByToString() throws IOException {
        WarehouseConfig cfg = load("keys.yaml", """
                s3:
                  endpoint: https://s3.example.internal
                  accessKey: AKIDEXAMPLE
                  secretKey: wJalrXUtnFEMI-example-secret
                """);
        Map<String, String> s = SparkSessions.s3Settings(cfg);
        assertEquals("AKIDEXAMPLE", s.get("spark.hadoop.fs.s3a.access.key"));
        assertEquals("wJalrXUtnFEMI-example-secret", s.get("spark.hadoop.fs.s3a.secret.key"));
        String shown = cfg.s3.toString();
        assertFalse(shown.contains("wJalrXUtnFEMI-example-secret") || shown.contains("AKIDEXAMPLE"), shown);
        assertTrue(shown.contains("https://s3.example.internal"), shown);
    }

    @Test
    void oneKeyWithoutTheOtherIsRefused() throws IOException {
        Path file = dir.resolve("half.yaml");
        Files.writeString(file, "s3: {accessKey: AKIDEXAMPLE}\n");
        String msg = refused(file).getMessage();
        assertTrue(msg.contains("s3.accessKey and s3.secretKey go together"), msg);
        assertFalse(msg.contains("AKIDEXAMPLE"), msg);
    }

    @Test
    void anEndpointSchemeThatContradictsSslEnabledIsRefused() throws IOException {
        Path http = dir.resolve("http.yaml");
        Files.writeString(http, "s3: {endpoint: 'http://127.0.0.1:9000'}\n");
        assertTrue(refused(http).getMessage().contains("set s3.sslEnabled: false"));
        Path https = dir.resolve("https.yaml");
        Files.writeString(https, "s3: {endpoint: 'https://s3.example.internal', sslEnabled: false}\n");
        assertTrue(refused(https).getMessage().contains("set s3.sslEnabled: true"));
    }

    @Test
    void s3SettingsSmuggledThroughSparkConfAreRefused() throws IOException {
        Path file = dir.resolve("smuggled.yaml");
        Files.writeString(file, "sparkConf: {spark.hadoop.fs.s3a.secret.key: x}\n");
        String msg = refused(file).getMessage();
        assertTrue(msg.contains("configure it in the s3 section"), msg);
    }

    @Test
    void anUnknownS3FieldIsRefusedByName() throws IOException {
        Path file = dir.resolve("typo.yaml");
        Files.writeString(file, "s3: {endPoint: 'http://127.0.0.1:9000'}\n");
        assertTrue(refused(file).getMessage().contains("endPoint"));
    }
}
