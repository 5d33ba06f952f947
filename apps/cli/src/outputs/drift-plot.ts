import type { Quantity } from '@brokenrecord/core';

export interface DriftSample {
  time: number;
  drifts: Record<Quantity, number>;
}

const LABELS: Record<Quantity, string> = { energy: 'energy', momentum: 'momentum', angularMomentum: 'angular momentum' };

/**
 * An SVG of each quantity's relative drift against time, one panel per quantity with its own y
 * scale (energy drifts by 1e-6 where momentum drifts by 1e-9: one shared axis would flatten one).
 * Rendered by Vega-Lite → Vega with the headless 'none' renderer: no browser, no canvas, no native
 * code. The libraries load only when a plot is asked for, so every other command starts fast.
 */
export async function renderDriftPlot(samples: readonly DriftSample[], title: string, subtitle: string): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const quantities = Object.keys(LABELS) as Quantity[];
  const values = samples.flatMap((s) =>
    quantities
      // A drift is Infinity when its scale was zero at the start: nothing sensible to draw.
      .filter((q) => Number.isFinite(s.drifts[q]))
      .map((q) => ({ time: s.time, quantity: LABELS[q], drift: s.drifts[q] })),
  );
  const spec: import('vega-lite').TopLevelSpec = {
    title: { text: title, subtitle },
    data: { values },
    facet: { row: { field: 'quantity', type: 'nominal', title: null, sort: quantities.map((q) => LABELS[q]) } },
    spec: {
      width: 560,
      height: 140,
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        x: { field: 'time', type: 'quantitative', title: 'simulated time' },
        y: { field: 'drift', type: 'quantitative', title: 'relative drift', axis: { format: '.1e' } },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
