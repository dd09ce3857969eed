// A cluster's connection state in words, from its two stored facts (did it answer; did it accept the login): the
// same words in the app and on the command line, and whether actions that need the cluster can run.
import type { ClusterLogin, Reachability } from './contract/clusters.ts';

export type ClusterStatusKind = 'ready' | 'login-refused' | 'unreachable' | 'login-unconfirmed' | 'not-checked';

export interface ClusterStatus {
  kind: ClusterStatusKind;
  /** e.g. 'reachable, logged in', 'reachable, login refused', 'unreachable', 'not checked yet'. */
  label: string;
  /** Whether actions that need the cluster should be offered (a refused login or no answer: no). */
  usable: boolean;
}

export function clusterStatus(reachability: Reachability, login: ClusterLogin): ClusterStatus {
  if (reachability === 'offline') return { kind: 'unreachable', label: 'unreachable', usable: false };
  if (login === 'refused') return { kind: 'login-refused', label: reachability === 'online' ? 'reachable, login refused' : 'login refused', usable: false };
  if (reachability === 'online') {
    return login === 'accepted'
      ? { kind: 'ready', label: 'reachable, logged in', usable: true }
      : { kind: 'login-unconfirmed', label: 'reachable, login not confirmed', usable: true };
  }
  return { kind: 'not-checked', label: 'not checked yet', usable: true };
}
