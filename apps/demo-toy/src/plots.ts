import { Raster, scatterPanel } from '@ebm/core';

export interface SamplesFigure {
  data: Float32Array;
  samples: Float32Array;
  /** Learned log-density −U on a grid × grid lattice over the box, row 0 at the top. */
  logDensity: Float32Array;
  grid: number;
  box: number;
  modes?: Float32Array;
}

/** samples.png: data | model samples | learned log-density with the samples over it. */
export function samplesFigure(f: SamplesFigure): Raster {
  const size = 340;
  const r = new Raster(3 * size, size);
  const range: [number, number] = [-f.box, f.box];
  const modes = f.modes ? [{ points: f.modes, color: [0, 0, 0] as const, radius: 3, alpha: 0.9, label: 'mode centres' }] : [];
  scatterPanel(r, { x: 0, y: 0, w: size, h: size }, { title: `data (${f.data.length / 2} points)`, xRange: range, yRange: range, layers: [{ points: f.data, color: [31, 119, 180], radius: 1.2, alpha: 0.35 }, ...modes] });
  scatterPanel(r, { x: size, y: 0, w: size, h: size }, { title: `model samples (${f.samples.length / 2} chains)`, xRange: range, yRange: range, layers: [{ points: f.samples, color: [214, 39, 40], radius: 1.2, alpha: 0.35 }, ...modes] });
  scatterPanel(r, { x: 2 * size, y: 0, w: size, h: size }, {
    title: 'learned log-density -U + samples',
    xRange: range,
    yRange: range,
    field: { values: f.logDensity, rows: f.grid, cols: f.grid },
    layers: [{ points: f.samples, color: [255, 255, 255], radius: 0.8, alpha: 0.5 }],
  });
  return r;
}
