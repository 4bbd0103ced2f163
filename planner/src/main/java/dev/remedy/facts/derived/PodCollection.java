package dev.remedy.facts.derived;

import dev.remedy.facts.Snapshot;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pods}: every pod with what it is doing now (phase, readiness, each container's current and last
 * state), the workload that owns it, and the facts behind the everyday failures: ConfigMaps, Secrets and keys
 * it references that do not exist, why an image cannot be pulled, why it cannot be scheduled. Past restarts
 * alone say nothing: a pod that restarted 189 times and is Running and Ready now is healthy.
 */
public final class PodCollection implements FactCollection {

    private static final int EVENT_LINES = 3;
    private static final Pattern MISSING_OBJECT =
            Pattern.compile("(configmap|secret) \"([^\"]+)\" not found", Pattern.CASE_INSENSITIVE);
    private static final Pattern MISSING_KEY =
            Pattern.compile("couldn't find key (\\S+) in (ConfigMap|Secret) ([^/\\s]+)/(\\S+)");
    private static final Pattern NOT_FOUND = Pattern.compile(
            "not found|manifest unknown|does not exist|no such host|name unknown|NotFound", Pattern.CASE_INSENSITIVE);
    private static final Pattern DENIED = Pattern.compile(
            "unauthorized|authentication required|pull access denied|denied|forbidden|401|403",
            Pattern.CASE_INSENSITIVE);

    @Override
    public String name() {
        return "pods";
    }

    @Override
    public String description() {
        return "a Pod with its current container states, owning workload, missing references, image-pull and"
                + " scheduling problems";
    }

    /** A pod's {@code ref}, made from its namespace, name and node facts when read ({@link FactMap.Deferred}). */
    private static final FactMap.Deferred REF = facts ->
            Facts.ref("Pod", (String) facts.get("namespace"), (String) facts.get("name"), (String) facts.get("node"));

    private static final List<String> PROBLEMS = List.of("missingReferences", "imagePull", "unschedulable");

    @Override
    public List<Map<String, Object>> derive(FactContext context) {
        Snapshot snapshot = context.snapshot();
        List<Keyed> pods = context.sortedKeyed();
        Known known = new Known(
                collected(snapshot, "configmaps", snapshot.has(ConfigMap.class)),
                collected(snapshot, "secrets", snapshot.has(Secret.class)));
        List<Map<String, Object>> result = new ArrayList<>(pods.size());
        FactContext.Owners owners = context.owners();
        // One set for every pod's missing references, emptied for each: nearly every pod has none, and a set of its
        // own was two objects for each of 150,000 pods.
        Set<String> missing = new LinkedHashSet<>();
        Leaders leaders = new Leaders();
        for (Keyed pod : pods) {
            Map<String, Object> fact = pod(snapshot, pod, context, owners, known, missing);
            leaders.place(fact);
            result.add(fact);
        }
        return result;
    }

    /** Whether the snapshot tells which ConfigMaps and which Secrets exist: the same for every pod. */
    private record Known(boolean configMaps, boolean secrets) {}

    /**
     * Replicas of one workload fail alike; one finding per workload and problem is enough. The first pod (by
     * name) that is not ready and has a problem lists the others in {@code sameProblem.<problem>}; the others name it
     * in {@code reportedWith.<problem>}, which the scenarios use to stay quiet on them. Each pod is placed as it is
     * derived, in name order: a leader's list is filled in as its followers come, so no second pass over 150,000 pod
     * facts (and no identity hash of each) is needed to find them.
     */
    private static final class Leaders {

        /** For each problem, the leading pod of each workload. */
        private final List<Map<Object, Map<String, Object>>> first = new ArrayList<>();

        Leaders() {
            PROBLEMS.forEach(p -> first.add(new HashMap<>()));
        }

        /** Adds {@code sameProblem} and {@code reportedWith} to a pod's facts, the last ones put. */
        void place(Map<String, Object> pod) {
            // Few pods lead or follow another; the rest share one empty map for each, not two maps per pod.
            Map<String, Object> sameProblem = Map.of();
            Map<String, Object> reportedWith = Map.of();
            Object workload = pod.get("workload");
            if (workload != null && !Boolean.TRUE.equals(pod.get("ready"))) {
                for (int i = 0; i < PROBLEMS.size(); i++) {
                    String problem = PROBLEMS.get(i);
                    Object value = pod.get(problem);
                    if (value == null || (value instanceof List<?> list && list.isEmpty())) {
                        continue;
                    }
                    Map<String, Object> leader = first.get(i).putIfAbsent(workload, pod);
                    if (leader == null) {
                        sameProblem = sameProblem.isEmpty() ? new LinkedHashMap<>() : sameProblem;
                        sameProblem.put(problem, new ArrayList<String>());
                        continue;
                    }
                    reportedWith = reportedWith.isEmpty() ? new LinkedHashMap<>() : reportedWith;
                    reportedWith.put(problem, leader.get("name"));
                    @SuppressWarnings("unchecked")
                    Map<String, Object> led = (Map<String, Object>) leader.get("sameProblem");
                    @SuppressWarnings("unchecked")
                    List<String> others = (List<String>) led.get(problem);
                    others.add((String) pod.get("name"));
                }
            }
            pod.put("sameProblem", sameProblem);
            pod.put("reportedWith", reportedWith);
        }
    }

    /**
     * Each pod with its keys and the metadata beside them ({@link Keyed}), in input order, and its owner chain as
     * {@code owners} follows it.
     */
    static List<Keyed> keyed(List<Pod> pods, FactContext.Owners owners) {
        List<Keyed> keyed = new ArrayList<>(pods.size());
        for (Pod pod : pods) {
            ObjectMeta metadata = pod.getMetadata();
            String namespace = metadata.getNamespace();
            PodStatus status = pod.getStatus();
            keyed.add(new Keyed(
                    namespace,
                    metadata.getName(),
                    metadata.getLabels(),
                    metadata.getAnnotations(),
                    owners.chain(pod, namespace, metadata.getOwnerReferences()),
                    status == null ? null : status.getPhase(),
                    conditionTrue(pod, "Ready"),
                    networkIp(pod),
                    pod));
        }
        return keyed;
    }

    /** The pod's IP on the pod network: none for a pod on its node's network (hostNetwork) or without an IP. */
    private static String networkIp(Pod pod) {
        boolean podNetwork =
                pod.getSpec() != null && !Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
        return podNetwork && pod.getStatus() != null ? pod.getStatus().getPodIP() : null;
    }

    /** A copy of {@code keyed} by namespace and name, in input order where both are equal. */
    static List<Keyed> sortedKeyed(List<Keyed> keyed) {
        List<Keyed> sorted = new ArrayList<>(keyed);
        sorted.sort(BY_NAMESPACE_AND_NAME);
        return sorted;
    }

    /** The pods of {@code keyed}, in its order. */
    static List<Pod> pods(List<Keyed> keyed) {
        List<Pod> pods = new ArrayList<>(keyed.size());
        for (Keyed pod : keyed) {
            pods.add(pod.pod());
        }
        return pods;
    }

    /**
     * A pod with the keys it is sorted by and what other passes over every pod read (labels to index pods by,
     * annotations to find mirror pods by, the owner chain that the pod facts and the workloads both need, the phase
     * and readiness that the pod facts and Services need, the IP that the CNI facts count), side by side: read from
     * the pod in the one pass that reads the keys, they spare each of those passes the cache misses of reaching into
     * the pod's metadata and status, and the chain is followed from the pod's owner references once, not once for
     * each.
     *
     * @param ready whether the pod's Ready condition is True
     * @param networkIp the pod's IP on the pod network ({@link #networkIp(Pod)})
     */
    record Keyed(
            String namespace,
            String name,
            Map<String, String> labels,
            Map<String, String> annotations,
            OwnerChain chain,
            String phase,
            boolean ready,
            String networkIp,
            Pod pod) {}

    /**
     * By namespace (none as empty), then name. Written out rather than composed of key extractors: the sort shares
     * its call sites with every other sort, so each composed step was a call through a megamorphic site, about a
     * million times for 150,000 pods. The readers share equal namespace strings, so most namespaces compare as the
     * same object.
     */
    private static final Comparator<Keyed> BY_NAMESPACE_AND_NAME = (a, b) -> {
        int namespace = a.namespace() == b.namespace()
                ? 0
                : Objects.toString(a.namespace(), "").compareTo(Objects.toString(b.namespace(), ""));
        return namespace != 0 ? namespace : a.name().compareTo(b.name());
    };

    private static Map<String, Object> pod(
            Snapshot snapshot,
            Keyed keyed,
            FactContext context,
            FactContext.Owners owners,
            Known known,
            Set<String> missing) {
        Pod pod = keyed.pod();
        String name = keyed.name();
        String namespace = keyed.namespace();
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        // Room for the facts every pod has and missingReferences, which a snapshot with ConfigMaps and Secrets gives
        // every pod; the rare image-pull or scheduling problem grows the map.
        Map<String, Object> fact = new FactMap(15);
        fact.put("ref", REF);
        fact.put("name", name);
        fact.put("namespace", namespace);
        if (node != null) {
            fact.put("node", node);
        }
        if (keyed.phase() != null) {
            fact.put("phase", keyed.phase());
        }
        fact.put("ready", keyed.ready());
        fact.put("ageDays", Facts.ageDays(pod.getMetadata().getCreationTimestamp(), context.now()));
        OwnerChain chain = keyed.chain();
        fact.put("ownerChain", chain.description());
        Optional<Map<String, Object>> workload = owners.workloadRef(chain);
        if (workload.isPresent()) {
            fact.put("workload", workload.get());
        }

        List<Map<String, Object>> containers = containers(pod);
        fact.put("containers", containers);
        List<Object> crashLooping = List.of();
        for (int i = 0; i < containers.size(); i++) {
            Map<String, Object> container = containers.get(i);
            if ("CrashLoopBackOff".equals(container.get("waitingReason"))) {
                crashLooping = crashLooping.isEmpty() ? new ArrayList<>() : crashLooping;
                crashLooping.add(container.get("name"));
            }
        }
        fact.put("crashLoopContainers", crashLooping);
        List<String> events = events(snapshot, pod);
        fact.put("events", events);
        if (pod.getSpec() == null) {
            return fact;
        }
        // Put without a lambda that captures the map: at 150,000 pods each would be an object per pod.
        List<String> missingReferences = missingReferences(snapshot, pod, containers, events, known, missing);
        if (missingReferences != null) {
            fact.put("missingReferences", missingReferences);
        }
        putPresent(fact, "imagePull", imagePull(snapshot, pod, containers, events));
        putPresent(fact, "unschedulable", unschedulable(snapshot, pod, events));
        return fact;
    }

    /** Each container's (init containers first) current and last state, restarts and memory limit. */
    private static List<Map<String, Object>> containers(Pod pod) {
        if (pod.getSpec() == null) {
            return new ArrayList<>();
        }
        List<Container> init = orEmpty(pod.getSpec().getInitContainers());
        List<Container> main = pod.getSpec().getContainers();
        if (init.isEmpty() && main.size() == 1) {
            // Most pods run one container: one small list, not a list and its array, for each of 150,000 pods.
            return List.of(container(pod, main.getFirst()));
        }
        List<Map<String, Object>> result = new ArrayList<>(init.size() + main.size());
        // Indexed loops: a pass over 150,000 pods spares an iterator per list.
        for (int i = 0; i < init.size(); i++) {
            result.add(container(pod, init.get(i)));
        }
        for (int i = 0; i < main.size(); i++) {
            result.add(container(pod, main.get(i)));
        }
        return result;
    }

    private static Map<String, Object> container(Pod pod, Container container) {
        ContainerStatus status = status(pod, container.getName());
        // Room for exactly the facts this container can have, kept for each of 150,000 pods until matching ends.
        Map<String, Object> fact = new FactMap(3 + (status == null ? 0 : statusFacts(status)));
        fact.put("name", container.getName());
        fact.put("image", container.getImage());
        if (container.getResources() != null
                && container.getResources().getLimits() != null
                && container.getResources().getLimits().get("memory") != null) {
            fact.put(
                    "memoryLimit",
                    container.getResources().getLimits().get("memory").toString());
        }
        if (status != null) {
            status(status, fact);
        }
        return fact;
    }

    /** How many facts {@link #status(ContainerStatus, Map)} puts at most. */
    private static int statusFacts(ContainerStatus status) {
        int facts = 2;
        if (status.getState() != null) {
            facts += status.getState().getWaiting() != null
                    ? 3
                    : status.getState().getTerminated() != null ? 2 : 1;
        }
        if (status.getLastState() != null && status.getLastState().getTerminated() != null) {
            facts += 3;
        }
        return facts;
    }

    /** The first status of the named container, init containers' first, as the kubelet reports them. */
    private static ContainerStatus status(Pod pod, String container) {
        if (pod.getStatus() == null) {
            return null;
        }
        ContainerStatus status = status(pod.getStatus().getInitContainerStatuses(), container);
        return status != null ? status : status(pod.getStatus().getContainerStatuses(), container);
    }

    private static ContainerStatus status(List<ContainerStatus> statuses, String container) {
        if (statuses == null) {
            return null;
        }
        for (int i = 0; i < statuses.size(); i++) {
            if (container.equals(statuses.get(i).getName())) {
                return statuses.get(i);
            }
        }
        return null;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static void status(ContainerStatus status, Map<String, Object> fact) {
        fact.put("ready", Boolean.TRUE.equals(status.getReady()));
        fact.put("restartCount", status.getRestartCount() == null ? 0 : status.getRestartCount());
        if (status.getState() != null) {
            if (status.getState().getWaiting() != null) {
                fact.put("state", "waiting");
                putIfPresent(
                        fact, "waitingReason", status.getState().getWaiting().getReason());
                putIfPresent(
                        fact, "waitingMessage", status.getState().getWaiting().getMessage());
            } else if (status.getState().getRunning() != null) {
                fact.put("state", "running");
            } else if (status.getState().getTerminated() != null) {
                fact.put("state", "terminated");
                putIfPresent(
                        fact,
                        "terminatedReason",
                        status.getState().getTerminated().getReason());
            }
        }
        if (status.getLastState() != null && status.getLastState().getTerminated() != null) {
            var last = status.getLastState().getTerminated();
            putIfPresent(fact, "lastReason", last.getReason());
            putIfPresent(fact, "lastExitCode", last.getExitCode());
            putIfPresent(fact, "lastFinishedAt", last.getFinishedAt());
        }
    }

    /** The newest warning events about the pod, as {@code Reason: message (xN)}. */
    static List<String> events(Snapshot snapshot, Pod pod) {
        List<Event> about = snapshot.eventsAbout(
                "Pod", pod.getMetadata().getNamespace(), pod.getMetadata().getName());
        if (about.isEmpty()) {
            return List.of();
        }
        List<Event> events = new ArrayList<>();
        for (Event event : about) {
            if (!"Normal".equals(event.getType())) {
                events.add(event);
            }
        }
        events.sort(Comparator.comparing(PodCollection::eventTime));
        List<String> lines = new ArrayList<>();
        for (Event event : events) {
            String count = event.getCount() != null && event.getCount() > 1 ? " (x" + event.getCount() + ")" : "";
            lines.add(event.getReason() + ": "
                    + Objects.toString(event.getMessage(), "").strip() + count);
        }
        return lines.subList(Math.max(0, lines.size() - EVENT_LINES), lines.size());
    }

    private static String eventTime(Event event) {
        if (event.getLastTimestamp() != null) {
            return event.getLastTimestamp();
        }
        if (event.getEventTime() != null && event.getEventTime().getTime() != null) {
            return event.getEventTime().getTime();
        }
        return Objects.toString(event.getMetadata().getCreationTimestamp(), "");
    }

    /**
     * ConfigMaps, Secrets and keys the pod needs (not marked optional) that the snapshot shows do not exist,
     * each as a sentence naming where the pod references it. Known only when the snapshot holds the kind (or
     * the kubelet said so in a waiting message or event); otherwise null, and the fact is left out. Gathers the
     * sentences in {@code missing}, which it empties first.
     */
    private static List<String> missingReferences(
            Snapshot snapshot,
            Pod pod,
            List<Map<String, Object>> containers,
            List<String> events,
            Known known,
            Set<String> missing) {
        String namespace = pod.getMetadata().getNamespace();
        boolean configMapsKnown = known.configMaps();
        boolean secretsKnown = known.secrets();
        boolean kubeletSpoke = !events.isEmpty() || anyWaitingMessage(containers);
        if (!configMapsKnown && !secretsKnown && !kubeletSpoke) {
            // Nothing to check and the kubelet said nothing, as for nearly every pod of a snapshot without them.
            return null;
        }
        missing.clear();
        List<Container> init = orEmpty(pod.getSpec().getInitContainers());
        List<Container> main = pod.getSpec().getContainers();
        for (int i = 0; i < init.size() + main.size(); i++) {
            Container container = i < init.size() ? init.get(i) : main.get(i - init.size());
            for (EnvVar env : orEmpty(container.getEnv())) {
                if (env.getValueFrom() == null) {
                    continue;
                }
                var cm = env.getValueFrom().getConfigMapKeyRef();
                if (cm != null && configMapsKnown && !Boolean.TRUE.equals(cm.getOptional())) {
                    checkKey(
                            missing,
                            "ConfigMap",
                            namespace,
                            cm.getName(),
                            cm.getKey(),
                            configMapKeys(snapshot, namespace, cm.getName()),
                            "env " + env.getName() + " of container " + container.getName());
                }
                var secret = env.getValueFrom().getSecretKeyRef();
                if (secret != null && secretsKnown && !Boolean.TRUE.equals(secret.getOptional())) {
                    checkKey(
                            missing,
                            "Secret",
                            namespace,
                            secret.getName(),
                            secret.getKey(),
                            secretKeys(snapshot, namespace, secret.getName()),
                            "env " + env.getName() + " of container " + container.getName());
                }
            }
            for (EnvFromSource from : orEmpty(container.getEnvFrom())) {
                if (from.getConfigMapRef() != null
                        && configMapsKnown
                        && !Boolean.TRUE.equals(from.getConfigMapRef().getOptional())
                        && configMapKeys(
                                        snapshot,
                                        namespace,
                                        from.getConfigMapRef().getName())
                                .isEmpty()) {
                    missing.add("ConfigMap " + namespace + "/"
                            + from.getConfigMapRef().getName() + " (envFrom of container " + container.getName()
                            + ") does not exist");
                }
                if (from.getSecretRef() != null
                        && secretsKnown
                        && !Boolean.TRUE.equals(from.getSecretRef().getOptional())
                        && secretKeys(snapshot, namespace, from.getSecretRef().getName())
                                .isEmpty()) {
                    missing.add(
                            "Secret " + namespace + "/" + from.getSecretRef().getName() + " (envFrom of container "
                                    + container.getName() + ") does not exist");
                }
            }
        }
        for (Volume volume : Optional.ofNullable(pod.getSpec().getVolumes()).orElse(List.<Volume>of())) {
            if (volume.getConfigMap() != null
                    && configMapsKnown
                    && !Boolean.TRUE.equals(volume.getConfigMap().getOptional())
                    && configMapKeys(snapshot, namespace, volume.getConfigMap().getName())
                            .isEmpty()) {
                missing.add("ConfigMap " + namespace + "/"
                        + volume.getConfigMap().getName() + " (volume " + volume.getName() + ") does not exist");
            }
            if (volume.getSecret() != null
                    && secretsKnown
                    && !Boolean.TRUE.equals(volume.getSecret().getOptional())
                    && secretKeys(snapshot, namespace, volume.getSecret().getSecretName())
                            .isEmpty()) {
                missing.add("Secret " + namespace + "/" + volume.getSecret().getSecretName() + " (volume "
                        + volume.getName() + ") does not exist");
            }
        }
        boolean saidByKubelet = kubeletSpoke && kubeletSays(namespace, containers, events, missing);
        if (!configMapsKnown && !secretsKnown && !saidByKubelet) {
            return null;
        }
        // List.copyOf would copy even an empty set into an array first.
        return missing.isEmpty() ? List.of() : List.copyOf(missing);
    }

    /**
     * Adds to {@code missing} what the kubelet's waiting messages and the pod's events say is missing; whether they
     * said anything of it.
     */
    private static boolean kubeletSays(
            String namespace, List<Map<String, Object>> containers, List<String> events, Set<String> missing) {
        boolean saidByKubelet = false;
        List<String> messages = new ArrayList<>();
        for (Map<String, Object> container : containers) {
            if (container.get("waitingMessage") instanceof String message) {
                messages.add(message);
            }
        }
        if (!events.isEmpty()) {
            messages.addAll(events);
        }
        for (String message : messages) {
            Matcher key = MISSING_KEY.matcher(message);
            if (key.find()) {
                saidByKubelet = true;
                String sentence =
                        key.group(2) + " " + key.group(3) + "/" + key.group(4) + " has no key " + key.group(1);
                if (missing.stream().noneMatch(m -> m.startsWith(sentence))) {
                    missing.add(sentence + " (kubelet: " + message.strip() + ")");
                }
                continue;
            }
            Matcher object = MISSING_OBJECT.matcher(message);
            if (object.find()) {
                saidByKubelet = true;
                String kind = object.group(1).equalsIgnoreCase("configmap") ? "ConfigMap" : "Secret";
                String sentence = kind + " " + namespace + "/" + object.group(2);
                if (missing.stream().noneMatch(m -> m.startsWith(sentence))) {
                    missing.add(sentence + " does not exist (kubelet: " + message.strip() + ")");
                }
            }
        }
        return saidByKubelet;
    }

    private static boolean anyWaitingMessage(List<Map<String, Object>> containers) {
        for (int i = 0; i < containers.size(); i++) {
            if (containers.get(i).get("waitingMessage") != null) {
                return true;
            }
        }
        return false;
    }

    private static void checkKey(
            Set<String> missing,
            String kind,
            String namespace,
            String name,
            String key,
            Set<String> keys,
            String where) {
        if (keys.isEmpty()) {
            missing.add(kind + " " + namespace + "/" + name + " (" + where + ") does not exist");
        } else if (key != null && !keys.contains(key)) {
            missing.add(kind + " " + namespace + "/" + name + " has no key " + key + " (" + where + "); it has "
                    + String.join(
                            ", ",
                            keys.stream().filter(k -> !k.isEmpty()).sorted().toList()));
        }
    }

    /** The keys of a ConfigMap; empty when it does not exist (an existing one has at least the marker ""). */
    private static Set<String> configMapKeys(Snapshot snapshot, String namespace, String name) {
        Set<String> keys = new LinkedHashSet<>();
        for (ConfigMap map : snapshot.named(ConfigMap.class, namespace, name)) {
            keys.add("");
            Optional.ofNullable(map.getData()).ifPresent(d -> keys.addAll(d.keySet()));
            Optional.ofNullable(map.getBinaryData()).ifPresent(d -> keys.addAll(d.keySet()));
        }
        return keys;
    }

    private static Set<String> secretKeys(Snapshot snapshot, String namespace, String name) {
        Set<String> keys = new LinkedHashSet<>();
        for (Secret secret : snapshot.named(Secret.class, namespace, name)) {
            keys.add("");
            Optional.ofNullable(secret.getData()).ifPresent(d -> keys.addAll(d.keySet()));
            Optional.ofNullable(secret.getStringData()).ifPresent(d -> keys.addAll(d.keySet()));
        }
        return keys;
    }

    private static boolean collected(Snapshot snapshot, String kind, boolean present) {
        return present || snapshot.info().map(i -> i.collected().contains(kind)).orElse(false);
    }

    /**
     * Why an image cannot be pulled: the first container waiting in ErrImagePull or ImagePullBackOff, its
     * image and message, whether the registry said the image is not there or refused the credentials, and
     * the pull secrets the pod names that do not exist.
     */
    private static Optional<Map<String, Object>> imagePull(
            Snapshot snapshot, Pod pod, List<Map<String, Object>> containers, List<String> events) {
        for (Map<String, Object> container : containers) {
            Object reason = container.get("waitingReason");
            if (!"ErrImagePull".equals(reason)
                    && !"ImagePullBackOff".equals(reason)
                    && !"InvalidImageName".equals(reason)) {
                continue;
            }
            Map<String, Object> fact = new LinkedHashMap<>();
            fact.put("container", container.get("name"));
            fact.put("image", container.get("image"));
            fact.put("reason", reason);
            List<String> messages = new ArrayList<>();
            Optional.ofNullable((String) container.get("waitingMessage")).ifPresent(messages::add);
            events.stream()
                    .filter(e -> e.startsWith("Failed:") || e.contains("pull"))
                    .forEach(messages::add);
            String message = messages.stream()
                    .filter(m ->
                            NOT_FOUND.matcher(m).find() || DENIED.matcher(m).find())
                    .findFirst()
                    .orElse(messages.isEmpty() ? "" : messages.getFirst());
            fact.put("message", message);
            String cause = "InvalidImageName".equals(reason)
                    ? "invalidName"
                    : DENIED.matcher(message).find()
                            ? "denied"
                            : NOT_FOUND.matcher(message).find() ? "notFound" : "unknown";
            fact.put("cause", cause);
            List<String> secrets = Optional.ofNullable(pod.getSpec().getImagePullSecrets()).orElse(List.of()).stream()
                    .map(LocalObjectReference::getName)
                    .toList();
            fact.put("pullSecrets", secrets);
            if (collected(snapshot, "secrets", snapshot.has(Secret.class))) {
                fact.put(
                        "missingPullSecrets",
                        secrets.stream()
                                .filter(s -> secretKeys(
                                                snapshot, pod.getMetadata().getNamespace(), s)
                                        .isEmpty())
                                .toList());
            }
            return Optional.of(fact);
        }
        return Optional.empty();
    }

    /**
     * Why a Pending pod has no node: the scheduler's own message, and each constraint checked against the
     * nodes in the snapshot: requests larger than any node allocates, a nodeSelector no node matches, taints
     * on every node that the pod does not tolerate.
     */
    private static Optional<Map<String, Object>> unschedulable(Snapshot snapshot, Pod pod, List<String> events) {
        boolean pending =
                pod.getStatus() != null && "Pending".equals(pod.getStatus().getPhase());
        if (!pending || pod.getSpec().getNodeName() != null) {
            return Optional.empty();
        }
        Optional<PodCondition> scheduled = condition(pod, "PodScheduled");
        if (scheduled.map(c -> !"False".equals(c.getStatus())).orElse(true)) {
            return Optional.empty();
        }
        Map<String, Object> fact = new LinkedHashMap<>();
        putIfPresent(fact, "reason", scheduled.get().getReason());
        putIfPresent(fact, "message", scheduled.get().getMessage());
        fact.put(
                "events",
                events.stream().filter(e -> e.startsWith("FailedScheduling")).toList());
        List<Node> nodes = snapshot.nodes();
        List<String> causes = new ArrayList<>();
        if (!nodes.isEmpty()) {
            requests(pod, nodes, causes);
            nodeSelector(pod, nodes, causes);
            taints(pod, nodes, causes);
        }
        fact.put("causes", causes);
        return Optional.of(fact);
    }

    private static void requests(Pod pod, List<Node> nodes, List<String> causes) {
        long cpu = 0;
        long memory = 0;
        for (Container container : pod.getSpec().getContainers()) {
            if (container.getResources() == null || container.getResources().getRequests() == null) {
                continue;
            }
            var requests = container.getResources().getRequests();
            if (requests.get("cpu") != null) {
                cpu += Quantities.millicores(requests.get("cpu").toString()).orElse(0L);
            }
            if (requests.get("memory") != null) {
                memory += Quantities.bytes(requests.get("memory").toString()).orElse(0L);
            }
        }
        long maxCpu = 0;
        long maxMemory = 0;
        String cpuNode = null;
        String memoryNode = null;
        for (Node node : nodes) {
            if (node.getStatus() == null || node.getStatus().getAllocatable() == null) {
                continue;
            }
            var allocatable = node.getStatus().getAllocatable();
            long nodeCpu = allocatable.get("cpu") == null
                    ? 0
                    : Quantities.millicores(allocatable.get("cpu").toString()).orElse(0L);
            long nodeMemory = allocatable.get("memory") == null
                    ? 0
                    : Quantities.bytes(allocatable.get("memory").toString()).orElse(0L);
            if (nodeCpu > maxCpu) {
                maxCpu = nodeCpu;
                cpuNode = node.getMetadata().getName();
            }
            if (nodeMemory > maxMemory) {
                maxMemory = nodeMemory;
                memoryNode = node.getMetadata().getName();
            }
        }
        if (cpuNode != null && cpu > maxCpu) {
            causes.add("the pod requests " + cpu + "m CPU; the largest node (" + cpuNode + ") allocates " + maxCpu
                    + "m: lower the request or add a larger node");
        }
        if (memoryNode != null && memory > maxMemory) {
            causes.add("the pod requests " + Quantities.mebibytes(memory) + " memory; the largest node ("
                    + memoryNode + ") allocates " + Quantities.mebibytes(maxMemory)
                    + ": lower the request or add a larger node");
        }
    }

    private static void nodeSelector(Pod pod, List<Node> nodes, List<String> causes) {
        Map<String, String> selector =
                Optional.ofNullable(pod.getSpec().getNodeSelector()).orElse(Map.of());
        for (Map.Entry<String, String> entry : new java.util.TreeMap<>(selector).entrySet()) {
            Set<String> values = new java.util.TreeSet<>();
            boolean matched = false;
            for (Node node : nodes) {
                Map<String, String> labels =
                        Optional.ofNullable(node.getMetadata().getLabels()).orElse(Map.of());
                if (entry.getValue().equals(labels.get(entry.getKey()))) {
                    matched = true;
                }
                Optional.ofNullable(labels.get(entry.getKey())).ifPresent(values::add);
            }
            if (!matched) {
                causes.add("nodeSelector " + entry.getKey() + "=" + entry.getValue() + " matches no node ("
                        + (values.isEmpty()
                                ? "no node has the label " + entry.getKey()
                                : "nodes have " + entry.getKey() + "=" + String.join(", ", values))
                        + "): fix the selector or label a node");
            }
        }
    }

    private static void taints(Pod pod, List<Node> nodes, List<String> causes) {
        List<Toleration> tolerations =
                Optional.ofNullable(pod.getSpec().getTolerations()).orElse(List.of());
        Set<String> untolerated = new java.util.TreeSet<>();
        for (Node node : nodes) {
            List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null
                    ? List.of()
                    : node.getSpec().getTaints();
            Optional<Taint> blocking = taints.stream()
                    .filter(t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()))
                    .filter(t -> tolerations.stream().noneMatch(tol -> tolerates(tol, t)))
                    .findFirst();
            if (blocking.isEmpty()) {
                return;
            }
            Taint t = blocking.get();
            untolerated.add(t.getKey() + (t.getValue() == null ? "" : "=" + t.getValue()) + ":" + t.getEffect());
        }
        causes.add("every node has a taint the pod does not tolerate (" + String.join(", ", untolerated)
                + "): add a toleration or an untainted node");
    }

    private static boolean tolerates(Toleration toleration, Taint taint) {
        if (toleration.getEffect() != null
                && !toleration.getEffect().isEmpty()
                && !toleration.getEffect().equals(taint.getEffect())) {
            return false;
        }
        if (toleration.getKey() == null || toleration.getKey().isEmpty()) {
            return "Exists".equals(toleration.getOperator());
        }
        if (!toleration.getKey().equals(taint.getKey())) {
            return false;
        }
        return "Exists".equals(toleration.getOperator())
                || Objects.equals(Objects.toString(toleration.getValue(), ""), Objects.toString(taint.getValue(), ""));
    }

    /** Whether the pod's condition of this type has status True; false when it has none. */
    static boolean conditionTrue(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return false;
        }
        for (PodCondition condition : pod.getStatus().getConditions()) {
            if (type.equals(condition.getType())) {
                return "True".equals(condition.getStatus());
            }
        }
        return false;
    }

    static Optional<PodCondition> condition(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst();
    }

    private static void putPresent(Map<String, Object> fact, String key, Optional<?> value) {
        if (value.isPresent()) {
            fact.put(key, value.get());
        }
    }

    private static void putIfPresent(Map<String, Object> fact, String key, Object value) {
        if (value != null && !(value instanceof String s && s.isBlank())) {
            fact.put(key, value);
        }
    }
}
