/**
 * The NIR viewer: drop a `.nir` file (or choose one); the page reads it (h5wasm, in the page), builds
 * an snn-ts module with `fromNir` at the dt given, feeds it random input spikes and draws every spiking
 * layer's raster with `@snn/plot/browser`.
 *
 * For tests and readers, `body` carries `data-ready` once the backend runs and `data-ran` (the file's
 * name) after each run; every layer panel carries `data-layer` (the node's path) and `data-spikes`.
 */
import * as tf from '@tensorflow/tfjs';
import { fromNir, readNir, type NirDocument, type NirModule } from '@snn/nir';
import { embed, plotSpikes2d } from '@snn/plot/browser';
import { startBackend } from './backend.js';
import { randomInputs, spikingNodes } from './run.js';

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no element #${id}`);
  return el as T;
}

const status = byId('status');
const drop = byId('drop');
const fileInput = byId<HTMLInputElement>('file');
const dtInput = byId<HTMLInputElement>('dt');
const stepsInput = byId<HTMLInputElement>('steps');
const rateInput = byId<HTMLInputElement>('rate');
const rerun = byId<HTMLButtonElement>('rerun');
const table = byId<HTMLTableElement>('graph').tBodies[0]!;
const layers = byId('layers');

function say(text: string, error = false): void {
  status.textContent = text;
  status.className = error ? 'error' : '';
}

function showError(error: unknown): void {
  say(`Error: ${(error as Error)?.message ?? String(error)}`, true);
  console.error(error);
}
window.addEventListener('unhandledrejection', (e) => showError(e.reason));

let current: { name: string; doc: NirDocument } | undefined;
let backend = '';

function numberOf(input: HTMLInputElement, what: string): number {
  const v = Number(input.value);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${what} expects a positive number; received '${input.value}'`);
  return v;
}

/** Builds, runs and draws the current graph. */
async function run(): Promise<void> {
  if (!current) return;
  const { name, doc } = current;
  const dt = numberOf(dtInput, 'dt');
  const steps = Math.round(numberOf(stepsInput, 'time steps'));
  const rate = Number(rateInput.value);
  delete document.body.dataset['ran'];
  say(`Running ${name}…`);
  let net: NirModule | undefined;
  let inputs: Record<string, tf.Tensor> = {};
  let recorded: Record<string, tf.Tensor> = {};
  let outputs: Record<string, tf.Tensor> = {};
  try {
    net = fromNir(doc.graph, { dt });
    inputs = randomInputs(net.flat, steps, rate);
    const started = performance.now();
    const result = net.run(inputs, { record: true });
    recorded = result.recorded!;
    outputs = result.outputs;
    tf.dispose(Object.values(result.state.nodes).flatMap((s) => (s instanceof tf.Tensor ? [s] : Object.values(s as object))));
    tf.dispose(Object.values(result.state.previous));
    const spiking = spikingNodes(net.flat, net.order);
    const counts = new Map<string, number>();
    for (const p of net.order) counts.set(p, spiking.includes(p) ? (await recorded[p]!.sum().data())[0]! : NaN);
    const ms = performance.now() - started;
    table.replaceChildren(...net.order.map((p) => {
      const row = document.createElement('tr');
      const n = net!.flat.nodes.get(p)!;
      const c = counts.get(p)!;
      row.innerHTML = `<td></td><td>${n.node.type}</td><td>[${n.outputShape.join(', ')}]</td><td>${Number.isNaN(c) ? '' : c}</td>`;
      row.cells[0]!.textContent = p;
      return row;
    }));
    layers.replaceChildren();
    for (const p of spiking) {
      const panel = document.createElement('section');
      panel.className = 'layer';
      panel.dataset['layer'] = p;
      panel.dataset['spikes'] = String(counts.get(p));
      const title = document.createElement('h3');
      title.textContent = `${p} (${net.flat.nodes.get(p)!.node.type}): ${counts.get(p)} spikes`;
      const plot = document.createElement('div');
      panel.append(title, plot);
      layers.append(panel);
      await embed(plot, await plotSpikes2d(recorded[p]!, { dt, title: p, width: 640 }), { actions: false });
    }
    say(`${name} (NIR ${doc.version ?? 'version unknown'}): ${steps} steps of dt = ${dt} s on ${backend} in ${ms.toFixed(0)} ms; ${spiking.length} spiking layers.`);
    rerun.disabled = false;
    document.body.dataset['ran'] = name;
    document.body.dataset['tensors'] = String(tf.memory().numTensors);
  } finally {
    tf.dispose([...Object.values(inputs), ...Object.values(recorded), ...Object.values(outputs)]);
    net?.dispose();
  }
}

async function load(file: File): Promise<void> {
  say(`Reading ${file.name}…`);
  delete document.body.dataset['ran'];
  try {
    const doc = await readNir(new Uint8Array(await file.arrayBuffer()), { name: file.name });
    current = { name: file.name, doc };
    await run();
  } catch (error) {
    current = undefined;
    rerun.disabled = true;
    table.replaceChildren();
    layers.replaceChildren();
    showError(error);
  }
}

drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  const file = e.dataTransfer?.files[0];
  if (file) void load(file);
});
fileInput.addEventListener('change', () => {
  const file = fileInput.files?.[0];
  if (file) void load(file);
});
rerun.addEventListener('click', () => void run().catch(showError));

const params = new URLSearchParams(location.search);
if (params.get('dt')) dtInput.value = params.get('dt')!;
try {
  backend = await startBackend(location.search);
  byId('backend').textContent = backend;
  say('Drop a .nir file.');
  document.body.dataset['ready'] = 'true';
} catch (error) {
  showError(error);
}
