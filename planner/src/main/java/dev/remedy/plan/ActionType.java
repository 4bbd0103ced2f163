package dev.remedy.plan;

/**
 * The kinds of action a plan can hold. Node actions name a node; API actions name a target object. Nothing on
 * a node is ever deleted outright: {@link #MoveNodeFile} takes a file out of service by moving it aside.
 */
public enum ActionType {
    PatchResource(Scope.API),
    ScaleWorkload(Scope.API),
    DeleteResource(Scope.API),
    RolloutRestart(Scope.API),
    CordonNode(Scope.NODE),
    DrainNode(Scope.NODE),
    UncordonNode(Scope.NODE),
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
