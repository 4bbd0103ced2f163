package dev.remedy.facts.derived;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Public certificates read from PEM text as collected from a node. Trust is decided by the signature, never by
 * names: kubeadm 1.11 gave the cluster CA and the etcd CA the same subject (CN=kubernetes) with different keys,
 * so comparing subjects would call a CA that cannot verify a certificate its issuer.
 */
public final class Pem {

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\\s]+?-----END CERTIFICATE-----");

    private Pem() {}

    /** Every certificate in {@code text}, in order; blocks that do not parse are skipped. */
    public static List<X509Certificate> certificates(String text) {
        List<X509Certificate> result = new ArrayList<>();
        if (text == null) {
            return result;
        }
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            try {
                CertificateFactory factory = CertificateFactory.getInstance("X.509");
                result.add((X509Certificate) factory.generateCertificate(
                        new ByteArrayInputStream(matcher.group().getBytes(StandardCharsets.US_ASCII))));
            } catch (CertificateException e) {
                // A damaged block is not a certificate; the others in the bundle still count.
            }
        }
        return result;
    }

    /** Whether {@code issuer}'s key made {@code certificate}'s signature. */
    public static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** The CA certificates of {@code bundle} whose key signed {@code certificate}. */
    public static List<X509Certificate> issuersIn(X509Certificate certificate, List<X509Certificate> bundle) {
        return bundle.stream().filter(ca -> signedBy(certificate, ca)).toList();
    }

    public static boolean isCa(X509Certificate certificate) {
        return certificate.getBasicConstraints() >= 0;
    }

    public static String sha256Fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.ofDelimiter(":")
                    .withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JVM cannot encode or hash a certificate it has parsed.", e);
        }
    }

    /** The certificate re-encoded as one PEM block, for an action that writes it to a node. */
    public static String pem(X509Certificate certificate) {
        try {
            String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JVM cannot encode a certificate it has parsed.", e);
        }
    }

    /** A certificate as facts: subject, issuer, validity against {@code now}, CA or not, fingerprint. */
    public static Map<String, Object> describe(X509Certificate certificate, Instant now) {
        Map<String, Object> fact = new LinkedHashMap<>();
        fact.put("subject", certificate.getSubjectX500Principal().getName());
        fact.put("issuer", certificate.getIssuerX500Principal().getName());
        fact.put("serial", certificate.getSerialNumber().toString(16));
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        fact.put("notBefore", notBefore.toString());
        fact.put("notAfter", notAfter.toString());
        fact.put("expired", now.isAfter(notAfter));
        fact.put("notYetValid", now.isBefore(notBefore));
        fact.put("daysLeft", Math.floorDiv(Duration.between(now, notAfter).toHours(), 24));
        fact.put("ca", isCa(certificate));
        fact.put("selfSigned", signedBy(certificate, certificate));
        fact.put("sha256", sha256Fingerprint(certificate));
        return fact;
    }
}
