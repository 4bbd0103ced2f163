package dev.remedy.facts.derived;

import dev.remedy.facts.NodeFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code cloudAuthFailures}: per node, the log lines in which the cloud provider's API refused the node's
 * credentials (kubelet, cloud-controller-manager and kube-controller-manager logs), with the permission each
 * refusal names. AWS names the denied action for most services ("is not authorized to perform:
 * ecr:GetAuthorizationToken") but EC2 hides it in an encoded message; then the action is inferred from what
 * the kubelet was doing, and the finding says how to decode the message.
 */
public final class CloudAuthFailureCollection implements FactCollection {

    private static final List<String> SOURCES =
            List.of("kubelet", "cloud-controller-manager", "kube-controller-manager");
    private static final Pattern REFUSED = Pattern.compile(
            "UnauthorizedOperation|AccessDenied|not authorized to perform|AuthorizationFailed|status code: 403"
                    + "|Required '[\\w.]+' permission");
    private static final Pattern NAMED =
            Pattern.compile("not authorized to perform:? ([\\w-]+:[\\w*]+)|Required '([\\w.]+)' permission"
                    + "|authorization to perform action '([^']+)'");
    private static final Pattern PRINCIPAL = Pattern.compile("User: (arn:aws:[^\\s]+) is not authorized");
    private static final Pattern ASSUMED_ROLE = Pattern.compile("arn:aws:sts::(\\d+):assumed-role/([^/]+)/.*");
    private static final Map<String, String> AWS_CONTEXT = Map.of(
            "error listing AWS instances", "ec2:DescribeInstances",
            "error describing volume", "ec2:DescribeVolumes",
            "error creating tags", "ec2:CreateTags",
            "error describing subnets", "ec2:DescribeSubnets",
            "error describing security groups", "ec2:DescribeSecurityGroups",
            "error attaching EBS volume", "ec2:AttachVolume",
            "error detaching EBS volume", "ec2:DetachVolume");
    private static final int LOG_LINES = 4;
    private static final int LOG_LINE_LENGTH = 300;

    @Override
    public String name() {
        return "cloudAuthFailures";
    }

    @Override
    public String description() {
        return "a node whose kubelet or cloud controller logs show the cloud API refusing its credentials, with"
                + " the permissions the refusals name";
    }

    @Override
    public List<Map<String, Object>> derive(FactContext context) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (NodeFacts facts : context.snapshot().nodeFacts().values()) {
            List<String> lines = new ArrayList<>();
            List<String> sources = new ArrayList<>();
            TreeSet<String> named = new TreeSet<>();
            TreeSet<String> inferred = new TreeSet<>();
            TreeSet<String> principals = new TreeSet<>();
            boolean encoded = false;
            for (String source : SOURCES) {
                for (String line : facts.logs(source)) {
                    if (!REFUSED.matcher(line).find()) {
                        continue;
                    }
                    lines.add(line);
                    if (!sources.contains(source)) {
                        sources.add(source);
                    }
                    permission(line)
                            .ifPresentOrElse(
                                    named::add,
                                    () -> AWS_CONTEXT.forEach((needle, action) -> {
                                        if (line.contains(needle)) {
                                            inferred.add(action);
                                        }
                                    }));
                    Matcher principal = PRINCIPAL.matcher(line);
                    if (principal.find()) {
                        principals.add(principal.group(1));
                    }
                    encoded |= line.contains("Encoded authorization failure message");
                }
            }
            Map<String, Object> fact = new FactMap(16);
            fact.put("ref", Facts.ref("Node", null, facts.nodeName(), facts.nodeName()));
            fact.put("node", facts.nodeName());
            fact.put("count", lines.size());
            fact.put("sources", sources);
            fact.put("provider", provider(lines));
            fact.put("permissions", new ArrayList<>(named));
            inferred.removeAll(named);
            fact.put("inferredPermissions", new ArrayList<>(inferred));
            fact.put("principals", new ArrayList<>(principals));
            fact.put(
                    "roles",
                    principals.stream()
                            .map(ASSUMED_ROLE::matcher)
                            .filter(Matcher::matches)
                            .map(m -> "arn:aws:iam::" + m.group(1) + ":role/" + m.group(2))
                            .distinct()
                            .toList());
            fact.put("encodedMessage", encoded);
            List<String> quoted = lines.stream()
                    .map(l -> l.length() > LOG_LINE_LENGTH ? l.substring(0, LOG_LINE_LENGTH) + " ..." : l)
                    .toList();
            fact.put("lines", quoted.subList(Math.max(0, quoted.size() - LOG_LINES), quoted.size()));
            result.add(fact);
        }
        return result;
    }

    static Optional<String> permission(String line) {
        Matcher matcher = NAMED.matcher(line);
        if (!matcher.find()) {
            return Optional.empty();
        }
        for (int group = 1; group <= matcher.groupCount(); group++) {
            if (matcher.group(group) != null) {
                return Optional.of(matcher.group(group));
            }
        }
        return Optional.empty();
    }

    private static String provider(List<String> lines) {
        String all = String.join("\n", lines);
        if (all.contains("arn:aws") || all.contains("UnauthorizedOperation") || all.contains("aws")) {
            return "aws";
        }
        if (all.contains("AuthorizationFailed") || all.contains("azure")) {
            return "azure";
        }
        if (all.contains("googleapi") || all.contains("Required '")) {
            return "gce";
        }
        return "unknown";
    }
}
