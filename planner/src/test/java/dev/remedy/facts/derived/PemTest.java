package dev.remedy.facts.derived;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.RepoPaths;
import dev.remedy.facts.NodeFacts;
import dev.remedy.facts.SnapshotReader;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Trust is decided by signatures: kubeadm 1.11's two CAs share the subject CN=kubernetes. */
class PemTest {

    private static final Path KUBEADM_111 = RepoPaths.testResource("scenarios/apiserver-etcd-ca-mismatch/snapshot");

    private static X509Certificate certificate(String path) {
        NodeFacts facts = new SnapshotReader()
                .read(KUBEADM_111, "snapshot")
                .nodeFacts("k8s-cp-1")
                .orElseThrow();
        return Pem.certificates(facts.file(path).orElseThrow().content()).get(0);
    }

    @Test
    void aCaWithTheIssuersNameButAnotherKeyDoesNotVerifyTheCertificate() {
        X509Certificate clusterCa = certificate("/etc/kubernetes/pki/ca.crt");
        X509Certificate etcdServer = certificate("/etc/kubernetes/pki/etcd/server.crt");

        assertThat(clusterCa.getSubjectX500Principal()).isEqualTo(etcdServer.getIssuerX500Principal());
        assertThat(Pem.signedBy(etcdServer, clusterCa)).isFalse();
    }

    @Test
    void theEtcdCaVerifiesTheEtcdServingCertificate() {
        assertThat(Pem.signedBy(
                        certificate("/etc/kubernetes/pki/etcd/server.crt"),
                        certificate("/etc/kubernetes/pki/etcd/ca.crt")))
                .isTrue();
    }

    @Test
    void aBundleIsReadCertificateByCertificateAndTextAroundItIsIgnored() {
        String ca = Pem.pem(certificate("/etc/kubernetes/pki/ca.crt"));
        String etcdCa = Pem.pem(certificate("/etc/kubernetes/pki/etcd/ca.crt"));

        assertThat(Pem.certificates("# cluster CA\n" + ca + "\n# etcd CA\n" + etcdCa + "trailing"))
                .hasSize(2);
        assertThat(Pem.certificates("-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n"))
                .isEmpty();
    }

    @Test
    void aCertificateIsDescribedAgainstThePlanningTime() {
        var fact =
                Pem.describe(certificate("/etc/kubernetes/pki/etcd/server.crt"), Instant.parse("2019-08-02T10:12:02Z"));

        assertThat(fact)
                .containsEntry("expired", true)
                .containsEntry("daysLeft", -1L)
                .containsEntry("ca", false)
                .containsEntry("subject", "CN=k8s-cp-1");
    }
}
