// Calling a core the way a host does (through dispatch, with the contract's types) and adding an emulator
// cluster to it with the demo seed's login: shared by the integration suites.
import assert from 'node:assert/strict';
import type { Core } from '../../electron/core/index.ts';
import type { ArgsOf, MethodName, ResultOf } from '../../electron/shared/contract.ts';
import type { EmulatorHandle } from '../kazoo-emulator/index.ts';

/** Dispatches a contract method and returns its value; an error value fails the test with its code and message. */
export async function call<M extends MethodName>(core: Core, method: M, args: ArgsOf<M>): Promise<ResultOf<M>> {
  const r = await core.dispatch(method, args);
  if (!r.ok) assert.fail(`${method} failed: ${r.error.code}: ${r.error.message}`);
  return r.value as ResultOf<M>;
}

/** Adds the emulator as a cluster profile logged in as the demo seed's master admin; it must answer. */
export async function addCluster(core: Core, name: string, emu: EmulatorHandle): Promise<void> {
  const v = await call(core, 'clusters.add', { name, url: emu.url, auth: { kind: 'user', accountName: 'Master', username: 'admin', password: 'demo-admin-pass' } });
  assert.equal(v.reachability, 'online', `cluster ${name} should answer: ${v.lastError?.message}`);
}
