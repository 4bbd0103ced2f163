package dev.remedy.execute;

import dev.remedy.plan.PlannedAction;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The exact etcdctl command of an etcd action, for the person who runs it on a control-plane node. Member
 * changes are never run unattended: a mistaken one is how Toolforge lost quorum. The flags use kubeadm's
 * certificate paths and a generous timeout, since etcdctl's 1 s default made slow look like down there too.
 */
public final class EtcdCommands {

    private static final String ETCDCTL = "ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379"
            + " --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt"
            + " --key=/etc/kubernetes/pki/etcd/healthcheck-client.key --command-timeout=30s";

    private EtcdCommands() {}

    public static Optional<String> of(PlannedAction action) {
        Map<String, Object> change = action.change() == null ? Map.of() : action.change();
        return switch (action.type()) {
            case EtcdSnapshot ->
                Optional.of(ETCDCTL + " snapshot save "
                        + NodeScript.quote(
                                String.valueOf(change.getOrDefault("to", "/var/lib/etcd-backup/snapshot.db")))
                        + " && " + ETCDCTL.replace(" --endpoints=https://127.0.0.1:2379", "")
                        + " snapshot status -w table "
                        + NodeScript.quote(
                                String.valueOf(change.getOrDefault("to", "/var/lib/etcd-backup/snapshot.db"))));
            case EtcdMemberRemove ->
                Optional.of(ETCDCTL + " member remove "
                        + (change.get("id") != null
                                ? change.get("id")
                                : "$(" + ETCDCTL + " member list | awk -F', ' '$3 == "
                                        + NodeScript.quote(String.valueOf(change.get("member"))) + " {print $1}')"));
            case EtcdMemberAdd ->
                Optional.of(ETCDCTL + " member add " + NodeScript.quote(String.valueOf(change.get("member")))
                        + " --peer-urls=" + peerUrl(change.get("peerURL"))
                        + (Boolean.TRUE.equals(change.get("learner")) ? " --learner" : ""));
            default -> Optional.empty();
        };
    }

    /**
     * The peer URL as given, when it is one: kubeadm join finds the member only by this exact URL. One with a
     * {@code <placeholder>} for the address stays unquoted, so that a placeholder not filled in fails in the shell
     * (as a redirection) instead of reaching etcd. A description instead of a URL becomes a placeholder.
     */
    private static String peerUrl(Object peerUrl) {
        String url = peerUrl == null ? "" : peerUrl.toString();
        if (!PEER_URL.matcher(url).matches()) {
            return "<the new member's peer URL>";
        }
        return url.contains("<") ? url : NodeScript.quote(url);
    }

    private static final Pattern PEER_URL = Pattern.compile("https?://[\\w.:\\[\\]<>-]+");
}
