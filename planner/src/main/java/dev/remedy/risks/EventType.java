package dev.remedy.risks;

/** The failure events the risk analysis considers, each with how often such an event happens. */
public enum EventType {
    NODE_LOSS("node-loss", Likelihood.MEDIUM),
    ZONE_LOSS("zone-loss", Likelihood.LOW),
    ETCD_MEMBER_DOWN("etcd-member-down", Likelihood.HIGH),
    CONTROL_PLANE_RESTART("control-plane-restart", Likelihood.HIGH),
    PROBE_KILL("probe-kill", Likelihood.HIGH),
    AUTOSCALER_SCALE_DOWN("autoscaler-scale-down", Likelihood.MEDIUM),
    NODE_DRAIN("node-drain", Likelihood.HIGH);

    private final String id;
    private final Likelihood likelihood;

    EventType(String id, Likelihood likelihood) {
        this.id = id;
        this.likelihood = likelihood;
    }

    public String id() {
        return id;
    }

    Likelihood likelihood() {
        return likelihood;
    }
}
