// Routes one request in a worker thread for hostile-regex.test.ts: a pattern that backtracks exponentially blocks
// the thread that runs it, so the test runs it here and can give up (terminate the worker) instead of hanging.
import { parentPort, workerData } from 'node:worker_threads';
import { compileWorld, type RouteRequest, type World } from '../../../electron/core/routing/index.ts';

const { world, requests } = workerData as { world: World; requests: RouteRequest[] };
parentPort!.postMessage(requests.map((req) => compileWorld(world).route(req)));
