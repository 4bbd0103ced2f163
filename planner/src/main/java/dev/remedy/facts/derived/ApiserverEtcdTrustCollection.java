package dev.remedy.facts.derived;

import dev.remedy.facts.NodeFacts;
import dev.remedy.facts.Snapshot;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code apiserverEtcdTrust}: for every kube-apiserver whose manifest was collected, whether the CA file it
 * trusts for etcd ({@code --etcd-cafile}) really issued the serving certificate of each etcd server it talks to.
 * The check verifies the signature with the CA's public key; two CAs may share a subject (kubeadm 1.11's
 * cluster and etcd CAs are both CN=kubernetes, Toolforge's puppet CAs both named the same puppetmaster), and
 * Go then reports "x509: certificate signed by unknown authority (possibly because of crypto/rsa: verification
 * error ...)" while every name looks right.
 */
public final class ApiserverEtcdTrustCollection implements FactCollection {

    private static final Pattern TLS_TROUBLE = Pattern.compile(
            "x509|unknown authority|etcd cluster is unavailable or misconfigured|bad certificate",
            Pattern.CASE_INSENSITIVE);
    private static final int LOG_LINES = 4;
    private static final int LOG_LINE_LENGTH = 300;

    @Override
    public String name() {
        return "apiserverEtcdTrust";
    }

    @Override
    public String description() {
        return "a kube-apiserver manifest with its --etcd-cafile and, per etcd server, whether that CA's key"
                + " signed the server's certificate (signature check, not subject match)";
    }

    @Override
    public List<Map<String, Object>> derive(FactContext context) {
        Snapshot snapshot = context.snapshot();
        List<Map<String, Object>> result = new ArrayList<>();
        for (NodeFacts facts : snapshot.nodeFacts().values()) {
            Manifests.on(facts).stream()
                    .filter(m -> m.container("kube-apiserver").isPresent())
                    .findFirst()
                    .ifPresent(m -> result.add(trust(context, facts, m)));
        }
        return result;
    }

    private static Map<String, Object> trust(FactContext context, NodeFacts facts, Manifests.Manifest manifest) {
        Snapshot snapshot = context.snapshot();
        Instant now = context.now();
        String node = facts.nodeName();
        Container container = manifest.container("kube-apiserver").orElseThrow();
        List<String> line = Manifests.commandLine(container);
        Flags flags = Flags.parse(line);
        String podName = "kube-apiserver-" + node;
        Map<String, Object> fact = new LinkedHashMap<>();
        fact.put("ref", Facts.ref("Pod", "kube-system", podName, node));
        fact.put("node", node);
        fact.put("name", podName);
        fact.put("manifest", Facts.ordered("path", manifest.file().path(), "sha256", manifest.sha256()));
        mirrorPod(context.systemPods(), podName).ifPresent(pod -> {
            ContainerStatus status = Facts.containerStatus(pod, "kube-apiserver");
            if (status != null) {
                fact.put("restartCount", status.getRestartCount());
                fact.put("ready", Boolean.TRUE.equals(status.getReady()));
                if (status.getState() != null && status.getState().getWaiting() != null) {
                    fact.put("waitingReason", status.getState().getWaiting().getReason());
                }
            }
        });
        fact.put("log", logLines(facts));
        fact.put(
                "kubeletLog",
                facts.logs("kubelet").stream()
                        .filter(l -> l.contains("kube-apiserver")
                                && (l.contains("CrashLoopBackOff") || l.contains("Back-off")))
                        .map(l -> l.length() > LOG_LINE_LENGTH ? l.substring(0, LOG_LINE_LENGTH) + " ..." : l)
                        .reduce((first, second) -> second)
                        .stream()
                        .toList());
        Optional<String> caPath = flags.value("etcd-cafile");
        List<String> servers =
                flags.value("etcd-servers").map(v -> List.of(v.split(","))).orElse(List.of());
        fact.put("etcdServers", servers);
        if (caPath.isEmpty()) {
            return fact;
        }
        fact.put("etcdCaFile", caPath.get());
        fact.put(
                "otherFlagsUsingCaFile",
                flags.namesWithValue(caPath.get()).stream()
                        .filter(n -> !n.equals("etcd-cafile"))
                        .toList());
        Optional<NodeFacts.HostFile> caFile = facts.file(caPath.get());
        fact.put("caFileCollected", caFile.isPresent());
        if (caFile.isEmpty()) {
            return fact;
        }
        fact.put("caFileSha256", Facts.sha256(caFile.get().content()));
        List<X509Certificate> bundle = Pem.certificates(caFile.get().content());
        fact.put("caBundle", bundle.stream().map(c -> Pem.describe(c, now)).toList());

        List<Map<String, Object>> serverFacts = new ArrayList<>();
        List<X509Certificate> servingCerts = new ArrayList<>();
        List<String> untrusted = new ArrayList<>();
        boolean sameSubjectDifferentKey = false;
        Map<String, Object> etcdCa = null;
        for (String url : servers) {
            Map<String, Object> server = new LinkedHashMap<>();
            server.put("url", url);
            String host = host(url);
            server.put("host", host);
            Optional<NodeFacts> etcdHost = etcdHost(snapshot, node, host);
            server.put("hostFactsCollected", etcdHost.isPresent());
            Optional<EtcdTls> tls = etcdHost.flatMap(EtcdTls::of);
            tls.ifPresent(t -> {
                server.put("etcdHost", t.host().nodeName());
                server.put("certFile", t.certPath());
            });
            Optional<X509Certificate> cert = tls.flatMap(EtcdTls::servingCertificate);
            if (cert.isPresent()) {
                servingCerts.add(cert.get());
                server.put("certificate", Pem.describe(cert.get(), now));
                boolean trusted = !Pem.issuersIn(cert.get(), bundle).isEmpty();
                server.put("trusted", trusted);
                if (!trusted) {
                    untrusted.add(url);
                    boolean sameSubject = bundle.stream().anyMatch(ca -> ca.getSubjectX500Principal()
                            .equals(cert.get().getIssuerX500Principal()));
                    server.put("sameSubjectDifferentKey", sameSubject);
                    sameSubjectDifferentKey |= sameSubject;
                }
                if (etcdCa == null) {
                    etcdCa = tls.get().issuer(cert.get(), now).orElse(null);
                }
            }
            serverFacts.add(server);
        }
        fact.put("servers", serverFacts);
        if (servingCerts.isEmpty()) {
            return fact;
        }
        fact.put("caVerifiesEtcd", untrusted.isEmpty());
        fact.put("untrustedServers", untrusted);
        fact.put("sameSubjectDifferentKey", sameSubjectDifferentKey);
        if (etcdCa != null) {
            fact.put("etcdCa", etcdCa);
        }
        caOnNode(facts, servingCerts, caPath.get()).ifPresent(path -> {
            fact.put("etcdCaOnNode", path);
            int index = flags.index().get("etcd-cafile");
            String from = line.get(index);
            Map<String, Object> edit = new LinkedHashMap<>();
            edit.put("op", "set");
            edit.put("path", "spec.containers[name=kube-apiserver]." + argumentsPath(container, index));
            edit.put("from", from);
            edit.put("to", from.contains("=") ? "--etcd-cafile=" + path : path);
            fact.put("flagEdit", edit);
        });
        return fact;
    }

    /** Where argument {@code index} of the command line sits in the manifest: in command, else in args. */
    private static String argumentsPath(Container container, int index) {
        int commands =
                container.getCommand() == null ? 0 : container.getCommand().size();
        return index < commands ? "command[" + index + "]" : "args[" + (index - commands) + "]";
    }

    /** A CA file already on the apiserver's node whose key signed every known etcd serving certificate. */
    private static Optional<String> caOnNode(NodeFacts facts, List<X509Certificate> servingCerts, String current) {
        for (NodeFacts.HostFile file : facts.files()) {
            if (file.path().equals(current)) {
                continue;
            }
            List<X509Certificate> cas =
                    Pem.certificates(file.content()).stream().filter(Pem::isCa).toList();
            if (!cas.isEmpty()
                    && servingCerts.stream()
                            .allMatch(c -> !Pem.issuersIn(c, cas).isEmpty())) {
                return Optional.of(file.path());
            }
        }
        return Optional.empty();
    }

    private static Optional<Pod> mirrorPod(List<Pod> pods, String name) {
        return pods.stream().filter(p -> name.equals(p.getMetadata().getName())).findFirst();
    }

    private static List<String> logLines(NodeFacts facts) {
        List<String> lines = facts.logs("kube-apiserver").stream()
                .filter(l -> TLS_TROUBLE.matcher(l).find())
                .map(l -> l.length() > LOG_LINE_LENGTH ? l.substring(0, LOG_LINE_LENGTH) + " ..." : l)
                .toList();
        return lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size());
    }

    static String host(String url) {
        try {
            String host = URI.create(url.strip()).getHost();
            return host == null ? url : host.replace("[", "").replace("]", "");
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    /**
     * The host facts of the etcd server at {@code host}: the apiserver's own node for a loopback address, else
     * the facts named like the host (full name or first label), else the node with that address.
     */
    static Optional<NodeFacts> etcdHost(Snapshot snapshot, String apiserverNode, String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        if (lower.equals("127.0.0.1") || lower.equals("localhost") || lower.equals("::1")) {
            return snapshot.nodeFacts(apiserverNode);
        }
        Optional<NodeFacts> byName = snapshot.nodeFacts(host).or(() -> snapshot.nodeFacts(host.split("\\.")[0]));
        if (byName.isPresent()) {
            return byName;
        }
        for (Node node : snapshot.nodes()) {
            if (node.getStatus() != null
                    && node.getStatus().getAddresses() != null
                    && node.getStatus().getAddresses().stream().anyMatch(a -> host.equals(a.getAddress()))) {
                return snapshot.nodeFacts(node.getMetadata().getName());
            }
        }
        return Optional.empty();
    }

    /** How etcd on one host serves TLS: from its static pod manifest, else from /etc/default/etcd. */
    record EtcdTls(NodeFacts host, String certPath, String trustedCaPath) {

        static Optional<EtcdTls> of(NodeFacts host) {
            for (Manifests.Manifest manifest : Manifests.on(host)) {
                if (!manifest.component().equals("etcd")) {
                    continue;
                }
                Flags flags = Flags.parse(Manifests.commandLine(manifest.firstContainer()));
                if (flags.value("cert-file").isPresent()) {
                    return Optional.of(new EtcdTls(
                            host,
                            flags.value("cert-file").get(),
                            flags.value("trusted-ca-file").orElse(null)));
                }
            }
            for (String path : List.of("/etc/default/etcd", "/etc/etcd/etcd.conf")) {
                Optional<NodeFacts.HostFile> file = host.file(path);
                if (file.isEmpty()) {
                    continue;
                }
                Map<String, String> env = environment(file.get().content());
                if (env.containsKey("ETCD_CERT_FILE")) {
                    return Optional.of(new EtcdTls(host, env.get("ETCD_CERT_FILE"), env.get("ETCD_TRUSTED_CA_FILE")));
                }
            }
            return Optional.empty();
        }

        Optional<X509Certificate> servingCertificate() {
            return host.file(certPath)
                    .map(f -> Pem.certificates(f.content()))
                    .filter(l -> !l.isEmpty())
                    .map(l -> l.get(0));
        }

        /** The CA on the etcd host that signed {@code certificate}: its trusted CA file first, then any. */
        Optional<Map<String, Object>> issuer(X509Certificate certificate, Instant now) {
            List<NodeFacts.HostFile> candidates = new ArrayList<>();
            if (trustedCaPath != null) {
                host.file(trustedCaPath).ifPresent(candidates::add);
            }
            candidates.addAll(host.files());
            for (NodeFacts.HostFile file : candidates) {
                for (X509Certificate ca : Pem.certificates(file.content())) {
                    if (Pem.isCa(ca) && Pem.signedBy(certificate, ca)) {
                        Map<String, Object> fact = new LinkedHashMap<>(Pem.describe(ca, now));
                        fact.put("host", host.nodeName());
                        fact.put("path", file.path());
                        fact.put("pem", Pem.pem(ca));
                        fact.put("pemSha256", Facts.sha256(Pem.pem(ca)));
                        return Optional.of(fact);
                    }
                }
            }
            return Optional.empty();
        }

        private static Map<String, String> environment(String content) {
            Map<String, String> env = new LinkedHashMap<>();
            for (String raw : content.split("\n")) {
                String line = raw.strip();
                if (line.startsWith("#") || !line.contains("=")) {
                    continue;
                }
                String key = line.substring(0, line.indexOf('='))
                        .replaceFirst("^export\\s+", "")
                        .strip();
                String value = line.substring(line.indexOf('=') + 1).strip().replaceAll("^\"|\"$", "");
                env.put(key, value);
            }
            return env;
        }
    }
}
