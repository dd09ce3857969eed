// The offline world file of `carrier-desk route --offline FILE`: {"resources": [stored documents; "account_id" marks
// an account-local one], "classifiers"?, "stepswitch"?, "number_manager"?, "accounts"?, "on_net_numbers"?}. Pure:
// it reads the text, keeping the stored key order of the classifier and converter tables even for names made only of
// digits, which JSON.parse would move to the front (routing-spec §3.2, §10).
import { findNodeAtLocation, getNodeValue, parseTree, type Node } from 'jsonc-parser';
import { WorldInputError } from './failure.ts';
import { isObject } from './kz-json.ts';
import type { AccountRef, JsonObject, Ordered, RoutingFlavor, World } from './types.ts';
import { readJson } from '../../shared/json-limits.ts';

export const MAX_WORLD_FILE_BYTES = 64 * 1024 * 1024;
const KNOWN = new Set(['resources', 'classifiers', 'stepswitch', 'number_manager', 'accounts', 'on_net_numbers']);

export interface WorldFile {
  world: Omit<World, 'flavor'>;
  /** Keys the file has that the simulator does not read. */
  ignored: string[];
}

/** The members of the object at `path`, in the order the text has them; undefined when absent. */
function orderedAt(root: Node, path: string[], name: string): Ordered | undefined {
  const node = findNodeAtLocation(root, path);
  if (!node) return undefined;
  if (node.type !== 'object') throw new WorldInputError('world_file', `"${name}" must be a JSON object.`);
  return (node.children ?? []).map((p) => [String(p.children![0]!.value), getNodeValue(p.children![1]!)] as const);
}

export function parseWorldFile(text: string, source = 'the file'): WorldFile {
  if (text.length > MAX_WORLD_FILE_BYTES) throw new WorldInputError('world_file', `${source} is larger than ${MAX_WORLD_FILE_BYTES / 1024 / 1024} MB.`);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // Size and depth are checked before parsing (shared/json-limits.ts), so a hostile file cannot exhaust the stack.
  const read = readJson(body, { what: source.charAt(0).toUpperCase() + source.slice(1), maxChars: MAX_WORLD_FILE_BYTES });
  if (!read.ok) throw new WorldInputError('world_file', read.message);
  const value = read.value;
  if (Array.isArray(value)) return { world: { resources: value as JsonObject[] }, ignored: [] };
  if (!isObject(value)) throw new WorldInputError('world_file', `${source} must hold a JSON object with "resources" (a list of resource documents).`);
  if (!Array.isArray(value.resources)) throw new WorldInputError('world_file', `${source} has no "resources" list: give {"resources": [resource documents, ...]}.`);
  // The tables, in the order of the text (JSON.parse would move digit-only names first).
  const root = parseTree(body)!;
  const shape: WorldShape = { ...value, resources: value.resources as JsonObject[] };
  if (value.classifiers !== undefined) shape.classifiers = orderedAt(root, ['classifiers'], 'classifiers');
  if (isObject(value.number_manager)) {
    const nm: JsonObject = { ...value.number_manager };
    for (const k of ['classifiers', 'e164_converters']) if (nm[k] !== undefined) nm[k] = orderedAt(root, ['number_manager', k], `number_manager.${k}`);
    shape.number_manager = nm;
  }
  return { world: worldFromShape(shape), ignored: Object.keys(value).filter((k) => !KNOWN.has(k)) };
}

/**
 * The file's shape (also that of a cluster's stored routing data): tables may be objects or ordered [name, value]
 * pairs; number_manager may carry e164_converters and classifiers (top-level classifiers win).
 */
export interface WorldShape {
  resources: readonly JsonObject[];
  classifiers?: Ordered;
  stepswitch?: JsonObject;
  number_manager?: JsonObject;
  accounts?: unknown;
  on_net_numbers?: unknown;
}

export function worldFromShape(shape: WorldShape): Omit<World, 'flavor'> {
  const world: Omit<World, 'flavor'> = { resources: shape.resources };
  const nm = shape.number_manager;
  if (nm !== undefined && !isObject(nm)) throw new WorldInputError('world_file', '"number_manager" must be a JSON object.');
  const classifiers = shape.classifiers ?? (nm?.classifiers as Ordered | undefined);
  if (classifiers !== undefined) world.classifiers = tableOf(classifiers, 'classifiers');
  if (nm?.e164_converters !== undefined) world.e164Converters = tableOf(nm.e164_converters as Ordered, 'number_manager.e164_converters');
  if (shape.stepswitch !== undefined) {
    if (!isObject(shape.stepswitch)) throw new WorldInputError('world_file', '"stepswitch" must be a JSON object (system_config/stepswitch values).');
    world.stepswitch = shape.stepswitch;
  }
  if (shape.accounts !== undefined) world.accounts = accountsOf(shape.accounts);
  if (shape.on_net_numbers !== undefined) {
    if (!Array.isArray(shape.on_net_numbers) || shape.on_net_numbers.some((n) => typeof n !== 'string')) throw new WorldInputError('world_file', '"on_net_numbers" must be a list of E.164 numbers.');
    world.onNetNumbers = shape.on_net_numbers as string[];
  }
  return world;
}

function tableOf(v: Ordered, name: string): Ordered {
  if (Array.isArray(v)) {
    if (v.some((e) => !Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'string')) throw new WorldInputError('world_file', `"${name}" must be an object or a list of [name, value] pairs.`);
    return v;
  }
  if (!isObject(v)) throw new WorldInputError('world_file', `"${name}" must be a JSON object.`);
  return v;
}

function accountsOf(v: unknown): AccountRef[] {
  if (!Array.isArray(v)) throw new WorldInputError('world_file', '"accounts" must be a list of {"id", "parent_id"}.');
  return v.map((a, i) => {
    if (!isObject(a) || typeof a.id !== 'string' || a.id === '') throw new WorldInputError('world_file', `accounts[${i}] needs an "id".`);
    const parent = a.parent_id ?? null;
    if (parent !== null && typeof parent !== 'string') throw new WorldInputError('world_file', `accounts[${i}] (${a.id}) has a "parent_id" that is not an account id.`);
    const tree = a.tree ?? a.pvt_tree;
    if (tree !== undefined && (!Array.isArray(tree) || tree.some((t) => typeof t !== 'string'))) throw new WorldInputError('world_file', `accounts[${i}] (${a.id}) has a "tree" that is not a list of account ids.`);
    return { id: a.id, parent_id: parent, ...(tree ? { tree: tree as string[] } : {}) };
  });
}

/** 4.3, 5.0 (or master, the same line). */
export function parseFlavor(v: string | undefined): RoutingFlavor {
  if (v === '4.3') return '4.3';
  if (v === '5.0' || v === '5' || v === 'master') return '5.0';
  throw new WorldInputError('flavor', v === undefined ? 'Give the Kazoo version with --flavor 4.3 or --flavor 5.0.' : `Unknown Kazoo flavor ${JSON.stringify(v)}: use 4.3 or 5.0.`);
}
