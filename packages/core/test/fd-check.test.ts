/**
 * Every layer's hand-written ONNX backward against central finite differences in float64: the
 * graphs compileGraph emits are evaluated by a float64 reference interpreter (onnx-ref.ts), which is
 * itself checked against onnxruntime on the same graphs. For each tensor the net reads (x, every
 * parameter, every extra input) the directional derivative along a random direction must match
 * (L(θ + hv) − L(θ − hv)) / 2h with L = ⟨gy, y⟩. This is the only check of the layers that tfjs
 * cannot differentiate (conv3dTranspose).
 */
import { compileGraph, createNet, type CompileOptions, extraGradName, inferShapes, mulberry32, netSpec, paramGradName, paramInputName, stateInputName, type NetSpec } from '../src';
import { FD_ONLY_CASES, V1_CASES, V2_CASES, type Case } from './cases';
import { setup } from './helpers';
import { runReference, type T } from './onnx-ref';

beforeAll(setup);

const gauss = (n: number, seed: number) => {
  const r = mulberry32(seed);
  return Float64Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r()));
};
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, i) => s + v * b[i]!, 0);

interface Problem {
  spec: NetSpec;
  feeds: Record<string, T>;
  gy: T;
  /** Which graph input each checked tensor is, with the graph output of its gradient. */
  checks: { input: string; grad: string }[];
}

async function problem(c: Case): Promise<Problem> {
  const [, input, layers, extra] = c;
  const spec = netSpec(input, layers, undefined, extra ? { inputs: extra } : {});
  const { params, state, inputs, shapes } = inferShapes(spec);
  const net = createNet(spec, { seed: 7 });
  const w = await net.getWeights();
  net.dispose();
  const B = 2;
  const feeds: Record<string, T> = { x: { shape: [B, ...input], data: gauss(B * size(input), 1) } };
  const checks = [{ input: 'x', grad: 'gx' }];
  params.forEach((p, i) => {
    // Random γ and β: the defaults (1, 0) would hide mistakes in their gradients.
    const values = /gamma|beta/.test(p.name) ? gauss(size(p.shape), 50 + i).map((v) => (p.role === 'gamma' ? 1 : 0) + 0.3 * v) : Float64Array.from(w[p.name]!);
    feeds[paramInputName(p.name)] = { shape: p.shape, data: values };
    checks.push({ input: paramInputName(p.name), grad: paramGradName(p.name) });
  });
  state.forEach((s, i) => (feeds[stateInputName(s.name)] = { shape: s.shape, data: gauss(size(s.shape), 80 + i).map((v) => (s.role === 'runningVar' ? 0.5 + v * v : v)) }));
  Object.entries(inputs).forEach(([n, s], i) => {
    feeds[`in:${n}`] = { shape: [B, ...s], data: gauss(B * size(s), 90 + i) };
    checks.push({ input: `in:${n}`, grad: extraGradName(n) });
  });
  const out = shapes[shapes.length - 1]!;
  return { spec, feeds, gy: { shape: [B, ...out], data: gauss(B * size(out), 2) }, checks };
}

const hasState = (c: Case) => inferShapes(netSpec(c[1], c[2], undefined, c[3] ? { inputs: c[3] } : {})).state.length > 0;
type Lowering = Pick<CompileOptions, 'convInputGrad' | 'convWeightGrad'>;
const is3d = (c: Case) => JSON.stringify(c[2]).includes('"conv3d');
const hasConv = (c: Case) => /"conv[23]d/.test(JSON.stringify(c[2]));
// 3-D convs default to the depth-folded input gradient; the other two are checked on the same
// cases. 'auto' picks im2col weight gradients only for 8+ input channels, which few cases have,
// so every case with a conv is also checked with im2col forced.
const ALL: [string, Case, 'train' | 'eval', Lowering][] = [...V1_CASES, ...V2_CASES, ...FD_ONLY_CASES].flatMap((c) => [
  [c[0], c, 'train', {}],
  ...(hasState(c) ? [[`${c[0]} (eval mode)`, c, 'eval', {}]] : []),
  ...(is3d(c) ? (['convTranspose', 'col2im'] as const).map((l) => [`${c[0]} (${l})`, c, 'train', { convInputGrad: l }]) : []),
  ...(hasConv(c) ? [[`${c[0]} (im2col weight gradients)`, c, 'train', { convWeightGrad: 'im2col' }]] : []),
] as [string, Case, 'train' | 'eval', Lowering][]);

describe.each(ALL)('ONNX backward vs float64 finite differences: %s', (_, c, mode, lowering) => {
  it('every gradient matches its directional finite difference', async () => {
    const p = await problem(c);
    const extras = Object.keys(inferShapes(p.spec).inputs);
    const vjp = compileGraph(p.spec, { wrt: { x: true, params: true, inputs: extras }, upstream: { kind: 'input' }, mode, ...lowering }).model;
    const fwd = compileGraph(p.spec, { wrt: { x: false, params: false }, upstream: { kind: 'input' }, mode, ...lowering }).model;
    const grads = runReference(vjp, { ...p.feeds, gy: p.gy });
    const loss = (feeds: Record<string, T>) => dot(runReference(fwd, feeds).y!.data, p.gy.data);
    const h = 1e-6;
    p.checks.forEach(({ input, grad }, k) => {
      const base = p.feeds[input]!;
      const v = gauss(base.data.length, 1000 + k);
      const shifted = (sign: number) => ({ ...p.feeds, [input]: { shape: base.shape, data: base.data.map((x, i) => x + sign * h * v[i]!) } });
      const fd = (loss(shifted(1)) - loss(shifted(-1))) / (2 * h);
      const g = grads[grad]!.data;
      const analytic = dot(g, v);
      // Relative to the scale of the terms, so an exactly-zero gradient (a bias before a norm) passes.
      const scale = g.reduce((s, x, i) => s + Math.abs(x * v[i]!), 0) + 1e-8;
      expect({ input, ok: Math.abs(fd - analytic) <= 1e-6 * scale + 1e-9, fd, analytic }).toMatchObject({ input, ok: true });
    });
  });

  it('the reference interpreter agrees with onnxruntime on that graph', async () => {
    const ort = await import('onnxruntime-node');
    const p = await problem(c);
    const extras = Object.keys(inferShapes(p.spec).inputs);
    const model = compileGraph(p.spec, { wrt: { x: true, params: true, inputs: extras }, upstream: { kind: 'input' }, mode, ...lowering }).model;
    const feeds = { ...p.feeds, gy: p.gy };
    const want = runReference(model, feeds);
    const session = await ort.InferenceSession.create(model);
    const got = await session.run(Object.fromEntries(Object.entries(feeds).map(([n, v]) => [n, new ort.Tensor('float32', Float32Array.from(v.data), v.shape)])));
    // Relative to each output's norm, floored at 1e-2 of all outputs' norm: a bias right before a
    // normalisation has an exact gradient of 0, where float32 returns rounding noise.
    const floor = 1e-2 * Math.sqrt(Object.values(want).reduce((s, r) => s + dot(r.data, r.data), 0));
    for (const [n, r] of Object.entries(want)) {
      const o = got[n]!.data as Float32Array;
      const err = Math.sqrt(r.data.reduce((s, x, i) => s + (x - o[i]!) ** 2, 0));
      const norm = Math.sqrt(dot(r.data, r.data));
      expect({ n, ok: err <= 1e-4 * Math.max(norm, floor), err }).toMatchObject({ n, ok: true });
    }
    await session.release();
  });
});

it('covers every registered layer type', async () => {
  const { layerTypes } = await import('../src');
  const used = new Set<string>();
  const visit = (layers: { type: string; layers?: unknown }[]) => layers.forEach((l) => (used.add(l.type), Array.isArray(l.layers) && visit(l.layers as never)));
  for (const [, c] of ALL) visit(c[2] as never);
  expect(layerTypes().filter((t) => !used.has(t))).toEqual([]);
});
