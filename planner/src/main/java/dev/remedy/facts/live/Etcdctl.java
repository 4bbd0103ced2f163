package dev.remedy.facts.live;

import java.io.IOException;
import java.util.List;

/**
 * A way to run {@code etcdctl} next to one etcd member: inside its static pod through the API server's exec,
 * or as a local process. The arguments already name the endpoint, the certificates and the timeouts.
 */
public interface Etcdctl {

    /** Where etcdctl runs, for the account: {@code pod kube-system/etcd-cp1}. */
    String where();

    /** Runs {@code etcdctl} with {@code args} after the connection flags; a non-zero exit is a result too. */
    Result run(List<String> args) throws IOException;

    /** What one etcdctl run printed and how it ended. */
    record Result(int exitCode, String stdout, String stderr) {

        /** The last line of stderr that is not a retry warning, for a one-line reason. */
        public String reason() {
            List<String> lines = stderr.lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("{\"level\""))
                    .toList();
            return lines.isEmpty() ? "exit code " + exitCode : lines.get(lines.size() - 1);
        }
    }
}
