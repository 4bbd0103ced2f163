package dev.remedy.facts.derived;

import dev.remedy.facts.NodeFacts;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code certificates}: every certificate file under /etc/kubernetes/pki collected from a node, with its
 * validity at the planning time and, for the certificates kubeadm issues, the exact command that renews it
 * in the kubeadm of the cluster's version and the static pod that must restart to load it.
 */
public final class CertificateCollection implements FactCollection {

    static final String PKI = "/etc/kubernetes/pki/";

    /** kubeadm's name for each leaf certificate it can renew, and the component that serves or uses it. */
    private static final Map<String, String[]> KUBEADM = Map.of(
            "apiserver.crt", new String[] {"apiserver", "kube-apiserver"},
            "apiserver-kubelet-client.crt", new String[] {"apiserver-kubelet-client", "kube-apiserver"},
            "apiserver-etcd-client.crt", new String[] {"apiserver-etcd-client", "kube-apiserver"},
            "front-proxy-client.crt", new String[] {"front-proxy-client", "kube-apiserver"},
            "etcd/server.crt", new String[] {"etcd-server", "etcd"},
            "etcd/peer.crt", new String[] {"etcd-peer", "etcd"},
            "etcd/healthcheck-client.crt", new String[] {"etcd-healthcheck-client", "etcd"});

    @Override
    public String name() {
        return "certificates";
    }

    @Override
    public String description() {
        return "a certificate under /etc/kubernetes/pki on a node, with its validity at the planning time and"
                + " the kubeadm command that renews it";
    }

    @Override
    public List<Map<String, Object>> derive(FactContext context) {
        List<Map<String, Object>> result = new ArrayList<>();
        Object minor = context.cluster().get("controlPlaneMinor");
        for (NodeFacts facts : context.snapshot().nodeFacts().values()) {
            for (NodeFacts.HostFile file : facts.files()) {
                if (!file.path().startsWith(PKI) || !file.path().endsWith(".crt")) {
                    continue;
                }
                List<X509Certificate> certificates = Pem.certificates(file.content());
                if (certificates.isEmpty()) {
                    continue;
                }
                Map<String, Object> fact = new LinkedHashMap<>();
                fact.put("ref", Facts.ref("Certificate", null, file.path(), facts.nodeName()));
                fact.put("node", facts.nodeName());
                fact.put("path", file.path());
                fact.put("fileSha256", Facts.sha256(file.content()));
                fact.putAll(Pem.describe(certificates.get(0), context.now()));
                String[] kubeadm = KUBEADM.get(file.path().substring(PKI.length()));
                if (kubeadm != null) {
                    fact.put("kubeadmName", kubeadm[0]);
                    fact.put("component", kubeadm[1]);
                    renewCommand(minor, kubeadm[0]).ifPresent(c -> fact.put("renewCommand", c));
                }
                result.add(fact);
            }
        }
        return result;
    }

    /**
     * {@code kubeadm certs renew} since 1.20; {@code kubeadm alpha certs renew} from 1.13 to 1.19; older kubeadm
     * cannot renew one certificate, so no command is offered and the scenario says so.
     */
    static Optional<String> renewCommand(Object controlPlaneMinor, String kubeadmName) {
        if (!(controlPlaneMinor instanceof Integer minor) || minor < 13) {
            return Optional.empty();
        }
        return Optional.of((minor >= 20 ? "kubeadm certs renew " : "kubeadm alpha certs renew ") + kubeadmName);
    }
}
