package dev.remedy.risks;

/** An etcd member, the node it runs on (null when unknown) and whether it was healthy when measured. */
record ModelEtcdMember(String name, String node, boolean healthy) {}
