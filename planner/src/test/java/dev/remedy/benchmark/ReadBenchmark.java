package dev.remedy.benchmark;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.remedy.facts.Snapshot;
import dev.remedy.facts.SnapshotReader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Times reading one generated snapshot, repeatedly, and prints a digest of what was read (each object's class,
 * its JSON as fabric8 writes it and a dump of every field, null or empty ones included; the host facts, etcd
 * facts, snapshot info, notes and fingerprint), so that a change to the reader can be checked for identical
 * results. With {@code --corpus DIR} it prints the digest of each snapshot of the shared corpus too. Run on
 * demand: {@code ./benchmark dev.remedy.benchmark.ReadBenchmark 1000 5 [--corpus ../shared/corpus]}.
 *
 * <p>To compare two ways of reading on a machine whose load changes from minute to minute, let the reader choose
 * by a system property for a while and alternate the runs in one JVM: {@code
 * JAVA_TOOL_OPTIONS="-Dread.variants=some.switch=false;some.switch=true"} sets the properties of each variant in
 * turn before a run and prints the variant with it.
 */
public final class ReadBenchmark {

    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** Every field of the model: unlike fabric8's JSON, it tells null from empty. */
    private static final ObjectMapper DUMP = JsonMapper.builder()
            .disable(MapperFeature.USE_ANNOTATIONS)
            .visibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private static final List<String> CORPUS_SNAPSHOTS = List.of(
            "kalc/gke-tesg1-full-cluster.yaml",
            "kalc/kube-config-deployments.yaml",
            "kalc/kube-config-nodes.yaml",
            "kalc/kube-config-pods.yaml",
            "kalc/kube-config-priorityclass.yaml",
            "kalc/kube-config-service.yaml",
            "troubleshoot-support-bundle-k3d",
            "openshift-insights-operator/insights-archive-sample",
            "cluster-info-dump-eks/kubectl-cluster-info-dump_eks.txt");

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private ReadBenchmark() {}

    public static void main(String[] args) throws IOException {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        if (args.length > 3 && args[2].equals("--corpus")) {
            Path corpus = Path.of(args[3]);
            for (String sample : CORPUS_SNAPSHOTS) {
                Snapshot snapshot = new SnapshotReader().read(corpus.resolve(sample), sample);
                System.out.printf(
                        "%s: %d objects, %d notes %s%n",
                        sample, snapshot.objects().size(), snapshot.notes().size(), digest(snapshot));
            }
        }
        Path directory = ClusterGenerator.writtenOnce(size);
        Snapshot snapshot = null;
        String[] variants = System.getProperty("read.variants", "").split(";");
        for (int run = 1; run <= runs; run++) {
            String variant = variants[run % variants.length];
            for (String setting : variant.split(",")) {
                if (setting.contains("=")) {
                    System.setProperty(setting.split("=")[0], setting.split("=")[1]);
                }
            }
            if (!variant.isEmpty()) {
                System.out.print(variant + " ");
            }
            snapshot = null;
            System.gc();
            long collections = collections();
            long allocated = THREADS.getTotalThreadAllocatedBytes();
            long cpu = PROCESS.getProcessCpuTime();
            long wall = System.nanoTime();
            snapshot = new SnapshotReader().read(directory, directory.toString());
            long readWall = System.nanoTime() - wall;
            long readCpu = PROCESS.getProcessCpuTime() - cpu;
            long readAllocated = THREADS.getTotalThreadAllocatedBytes() - allocated;
            System.out.printf(
                    "%d nodes run %d: read %d ms, process cpu %d ms, %d MiB allocated, %d collections, %d objects%n",
                    size,
                    run,
                    readWall / 1_000_000,
                    readCpu / 1_000_000,
                    readAllocated >> 20,
                    collections() - collections,
                    snapshot.objects().size());
        }
        System.gc();
        long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf("%d nodes: %d MiB live after the read, digest %s%n", size, live >> 20, digest(snapshot));
    }

    private static long collections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount)
                .sum();
    }

    private static String digest(Snapshot snapshot) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (HasMetadata object : snapshot.objects()) {
                update(digest, object.getClass().getName());
                update(digest, Serialization.asJson(object));
                update(digest, DUMP.writeValueAsString(object));
            }
            update(digest, DUMP.writeValueAsString(snapshot.nodeFacts()));
            update(digest, DUMP.writeValueAsString(snapshot.etcd().orElse(null)));
            update(digest, DUMP.writeValueAsString(snapshot.info().orElse(null)));
            update(digest, snapshot.notes().toString());
            update(digest, snapshot.fingerprint() + snapshot.partial());
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }
}
