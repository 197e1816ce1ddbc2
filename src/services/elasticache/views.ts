// Stored documents as the API shows them: iamd's own fields and the tags left out, cache nodes only
// when asked for (`ShowCacheNodeInfo`), node groups only where ElastiCache shows them.

import type { ClusterDoc, ReplicationGroupDoc, SnapshotDoc, SubnetGroupDoc } from './model.ts';

export function clusterView(doc: ClusterDoc, showNodes: boolean): Record<string, unknown> {
  const { internal: _internal, Tags: _tags, CacheNodes, ...view } = doc;
  return showNodes ? { ...view, CacheNodes } : view;
}

export function replicationGroupView(doc: ReplicationGroupDoc): Record<string, unknown> {
  const { internal: _internal, Tags: _tags, ...view } = doc;
  return view;
}

export function snapshotView(doc: SnapshotDoc): Record<string, unknown> {
  const { internal: _internal, Tags: _tags, ...view } = doc;
  return view;
}

export function subnetGroupView(doc: SubnetGroupDoc): Record<string, unknown> {
  const { internal: _internal, Tags: _tags, ...view } = doc;
  return view;
}
