/**
 * The contract of a modality package's `presets`, shared by their tests: each entry is plain data
 * (JSON round trip, a NetSpec that parses back to itself) that `trainMle` and `chainInit` take as
 * it is. `core` is the caller's import of @ebm/core (the built package under test).
 */
/** A preset as the contract reads it (the packages' presets are `as const`, so readonly). */
type PresetData = { net: { input: readonly number[] }; sampler: object; init: object; train: { batchSize?: number } };

// The caller's built @ebm/core: typed loosely, its classes are not those of ../src.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function presetContract(core: () => Promise<any>, presets: Record<string, PresetData>): void {
  describe('presets', () => {
    it.each(Object.entries(presets))('%s is data that trainMle and chainInit take as it is', async (_, p: PresetData) => {
      const { chainInit, functionEnergy, parseNetSpec, tf, trainMle } = await core();
      expect(parseNetSpec(JSON.parse(JSON.stringify(p.net)))).toEqual(p.net);
      expect(JSON.parse(JSON.stringify(p))).toEqual(p);
      const shape = p.net.input;
      const data = tf.zeros([p.train.batchSize ?? 1, ...shape]);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const energy = functionEnergy((x: any) => tf.sum(tf.square(tf.reshape(x, [x.shape[0], -1])), 1));
      // iterations 0: every option is validated, no step is taken.
      const events: string[] = [];
      for await (const e of trainMle(energy, data, { ...p.train, iterations: 0, sampler: p.sampler, init: chainInit(shape, p.init) })) events.push(e.type);
      expect(events).toEqual(['done']);
      data.dispose();
    });
  });
}
