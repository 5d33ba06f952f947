import './style.css';
import { DriftChart } from './drift-chart';
import { GpuParticleView } from './gpu-particle-view';
import { ParticleView } from './particle-view';
import { Runner } from './runner';
import { describeGravity, gravityMethodFrom } from './gravity-method';
import { findScenario, SCENARIOS } from './scenarios';

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`index.html has no #${id}`);
  return found as T;
}

const scenarioInput = element<HTMLSelectElement>('scenario');
const particlesInput = element<HTMLInputElement>('particles');
const playButton = element<HTMLButtonElement>('play');
const resetButton = element<HTMLButtonElement>('reset');
const status = {
  backend: element('backend'),
  gravity: element('gravity'),
  renderer: element('renderer'),
  why: element('why'),
  backends: element('backends'),
  summary: element('summary'),
  steps: element('steps'),
  rate: element('rate'),
  drift: element('drift'),
  readouts: element('readouts'),
  error: element('error'),
};

for (const s of SCENARIOS) scenarioInput.add(new Option(s.name, s.name));

const hostCanvas = element<HTMLCanvasElement>('view');
const gpuCanvas = element<HTMLCanvasElement>('gpu-view');
// A canvas keeps the first kind of context it gives out, so each renderer has its own canvas.
let gpuView: GpuParticleView | null = null;
const views = {
  host: new ParticleView(hostCanvas),
  gpu: () => (gpuView ??= new GpuParticleView(gpuCanvas)),
};

const runner = new Runner(views, new DriftChart(element('chart')), {
  loaded(choice, scenario, particles, renderer) {
    status.backend.textContent = choice.simulation.backend;
    const gravity = describeGravity(
      choice.simulation.system,
      particles,
      choice.backends.find((b) => b.name === choice.simulation.backend),
    );
    status.gravity.textContent = gravity ?? 'none';
    status.renderer.textContent = renderer.description;
    gpuCanvas.hidden = renderer.kind !== 'webgpu';
    hostCanvas.hidden = renderer.kind === 'webgpu';
    status.why.textContent = choice.why;
    status.backends.replaceChildren(
      ...choice.backends.map((b) => {
        const item = document.createElement('li');
        item.className = b.available ? 'available' : 'unavailable';
        item.textContent = `${b.name}: ${b.available ? `available${b.features.length ? ` (${b.features.join('; ')})` : ''}` : b.reason}`;
        return item;
      }),
    );
    status.summary.textContent = `${scenario.summary}: ${particles} particles, dt ${scenario.dt}`;
    status.steps.textContent = '0';
    status.rate.textContent = '0';
    status.drift.textContent = '0';
    status.error.textContent = '';
    document.body.dataset.ready = 'true';
  },
  progress({ steps, stepsPerSecond, drift }) {
    status.steps.textContent = String(steps);
    status.rate.textContent = stepsPerSecond.toFixed(0);
    status.drift.textContent = drift.toExponential(2);
  },
  readouts(values) {
    // One name/value pair per readout, in the stats grid's two columns.
    status.readouts.replaceChildren(
      ...values.flatMap((r) => {
        const name = document.createElement('span');
        const value = document.createElement('span');
        name.textContent = r.name;
        value.textContent = formatReadout(r.value);
        value.dataset.readout = r.name;
        return [name, value];
      }),
    );
  },
  failed(error) {
    status.error.textContent = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    showPlaying();
  },
});

/** Five significant digits: 1.4400, -5.3001, 2.3e-7. */
function formatReadout(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(5))) : String(value);
}

function showPlaying(): void {
  playButton.textContent = runner.playing ? 'Pause' : 'Play';
}

/** Shows the chosen scenario's particle count, and locks the input where the count is fixed. */
function syncParticles(): void {
  const scenario = findScenario(scenarioInput.value);
  particlesInput.value = String(scenario.defaultParticles);
  particlesInput.max = String(scenario.maxParticles);
  particlesInput.disabled = scenario.fixedParticles;
}

function particles(): number {
  const scenario = findScenario(scenarioInput.value);
  const asked = Math.round(Number(particlesInput.value));
  const n = Number.isFinite(asked) ? Math.min(Math.max(asked, 1), scenario.maxParticles) : scenario.defaultParticles;
  particlesInput.value = String(n);
  return n;
}

function reload(): void {
  document.body.dataset.ready = 'false';
  status.backend.textContent = 'choosing…';
  void runner.load(findScenario(scenarioInput.value), particles(), gravityMethod);
}

// The URL can pick the scenario and count (?scenario=galaxy&particles=500), so a view can be linked.
const query = new URLSearchParams(location.search);
// ?gravity=tree|direct|auto overrides the gravity method of the scenario's rules (default: the scenario's own).
const gravityMethod = gravityMethodFrom(query.get('gravity'));
scenarioInput.value = findScenario(query.get('scenario') ?? SCENARIOS[0].name).name;
syncParticles();
if (query.has('particles')) particlesInput.value = query.get('particles')!;

scenarioInput.addEventListener('change', () => {
  syncParticles();
  reload();
});
particlesInput.addEventListener('change', reload);
resetButton.addEventListener('click', reload);
playButton.addEventListener('click', () => {
  runner.setPlaying(!runner.playing);
  showPlaying();
});

runner.setPlaying(true);
showPlaying();
reload();
