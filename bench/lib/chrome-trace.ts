// Where a frame's time goes, from a Chromium trace (devtools.timeline categories): the renderer main thread's CPU
// time (thread time, so other processes on a shared machine inflate it far less than wall time) per frame and per
// phase of the frame (script, style, layout, paint, …). Used by the ui bench beside its frame intervals.
import { readFileSync } from 'node:fs';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** Trace categories the breakdown needs. */
export const FRAME_TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc'];

/** Top-level phases of a frame on the main thread, by the trace event that times each. */
const PHASES: Record<string, string> = {
  'FrameRequestCallbackCollection::ExecuteFrameCallbacks': 'script (animation frame callbacks and the updates they make)',
  EventDispatch: 'script (scroll and other events)',
  'EventHandler::handleMouseMoveEvent': 'hover update after scrolling (hit test)',
  'Blink.Style.UpdateTime': 'style',
  'Blink.Layout.UpdateTime': 'layout',
  PrePaint: 'pre-paint (property trees)',
  'Blink.Paint.UpdateTime': 'paint',
  'LocalFrameView::pushPaintArtifactToCompositor': 'layerize',
  Commit: 'commit to the compositor',
};

export interface FrameBreakdown {
  /** Main-thread CPU per frame in ms (the frame and any task run since the previous one). */
  cpu: number[];
  /** Mean CPU per frame in ms, by phase. */
  phases: Record<string, number>;
  /** Garbage collections on the renderer main thread during the trace: V8 scavenges (minor) and mark-compacts
   *  (major; with Blink's objects on the same heap, layout garbage triggers them too), and their CPU in ms. A major
   *  one runs as a task of its own between frames, so it lengthens a frame interval without showing in `cpu`. */
  gc: { minor: number; major: number; ms: number };
  /** Mean CPU per frame in ms of the renderer's other threads (compositor, raster workers) and the GPU process's
   *  compositor (software compositing under --disable-gpu): frame costs that are not on the main thread. */
  offMain: Record<string, number>;
}

export function frameBreakdown(path: string): FrameBreakdown {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(raw) ? raw : (raw.traceEvents ?? []);
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && events.some((x) => x.pid === e.pid && x.name === 'ProxyMain::BeginMainFrame'));
  if (!main) throw new Error('the trace has no renderer main thread with frames');
  const list = events.filter((e) => e.ph === 'X' && e.pid === main.pid && e.tid === main.tid && typeof e.dur === 'number').sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const cpuOf = (e: TraceEvent) => (e.tdur ?? e.dur!) / 1000;
  const cpu: number[] = [];
  const sums: Record<string, number> = {};
  const stack: TraceEvent[] = [];
  let since = 0;
  for (const e of list) {
    while (stack.length && stack.at(-1)!.ts + stack.at(-1)!.dur! <= e.ts) stack.pop();
    if (e.name === 'ProxyMain::BeginMainFrame') {
      cpu.push(cpuOf(e) + since);
      since = 0;
    } else if (stack.length === 1 && !stack.some((s) => s.name === 'ProxyMain::BeginMainFrame')) since += cpuOf(e);
    const phase = PHASES[e.name];
    if (phase && cpu.length > 0 && stack.some((s) => s.name === 'ProxyMain::BeginMainFrame') && !stack.some((s) => PHASES[s.name])) sums[phase] = (sums[phase] ?? 0) + cpuOf(e);
    stack.push(e);
  }
  const phases: Record<string, number> = {};
  for (const [k, v] of Object.entries(sums)) phases[k] = v / Math.max(1, cpu.length);
  const gc = { minor: 0, major: 0, ms: 0 };
  for (const e of list) {
    if (e.name !== 'MinorGC' && e.name !== 'MajorGC') continue;
    gc[e.name === 'MinorGC' ? 'minor' : 'major']++;
    gc.ms += cpuOf(e);
  }
  return { cpu, phases, gc, offMain: offMainCpu(events, main, Math.max(1, cpu.length)) };
}

/** Top-level CPU of the renderer's compositor and raster threads and of the GPU process's compositor, per frame. */
function offMainCpu(events: TraceEvent[], main: TraceEvent, frames: number): Record<string, number> {
  const threads = new Map<string, string>();
  const gpu = new Set(events.filter((e) => e.ph === 'M' && e.name === 'process_name' && e.args?.name === 'GPU Process').map((e) => e.pid));
  for (const e of events) {
    if (e.ph !== 'M' || e.name !== 'thread_name' || !e.args?.name) continue;
    const name = e.args.name;
    if (e.pid === main.pid && (name === 'Compositor' || name.startsWith('ThreadPoolForegroundWorker') || name.startsWith('CompositorTileWorker'))) threads.set(`${e.pid}:${e.tid}`, name === 'Compositor' ? 'compositor' : 'raster and other workers');
    else if (gpu.has(e.pid) && name === 'VizCompositorThread') threads.set(`${e.pid}:${e.tid}`, 'GPU process compositor');
  }
  const sums: Record<string, number> = {};
  const ends = new Map<string, number>();
  for (const e of events.filter((x) => x.ph === 'X' && typeof x.dur === 'number').sort((a, b) => a.ts - b.ts || b.dur! - a.dur!)) {
    const key = `${e.pid}:${e.tid}`;
    const label = threads.get(key);
    if (!label || e.ts < (ends.get(key) ?? 0)) continue; // nested in an event already counted
    ends.set(key, e.ts + e.dur!);
    sums[label] = (sums[label] ?? 0) + (e.tdur ?? e.dur!) / 1000 / frames;
  }
  return sums;
}
