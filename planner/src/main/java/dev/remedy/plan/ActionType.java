package dev.remedy.plan;

/**
 * The kinds of action a plan can hold, by where they take effect: the API (cordon and drain included), a
 * node's files and services, etcd, or a person. Nothing on a node is ever deleted outright:
 * {@link #MoveNodeFile} takes a file out of service by moving it aside.
 */
public enum ActionType {
    PatchResource(Scope.API),
    ScaleWorkload(Scope.API),
    DeleteResource(Scope.API),
    RolloutRestart(Scope.API),
    CordonNode(Scope.API),
    DrainNode(Scope.API),
    UncordonNode(Scope.API),
    EditNodeFile(Scope.NODE),
    MoveNodeFile(Scope.NODE),
    RestartNodeService(Scope.NODE),
    RebootNode(Scope.NODE),
    EtcdSnapshot(Scope.ETCD),
    EtcdMemberAdd(Scope.ETCD),
    EtcdMemberRemove(Scope.ETCD),
    Manual(Scope.PERSON);

    /** Where an action of this type takes effect. */
    public enum Scope {
        API,
        NODE,
        ETCD,
        PERSON
    }

    private final Scope scope;

    ActionType(Scope scope) {
        this.scope = scope;
    }

    public Scope scope() {
        return scope;
    }
}
