// Native addons (onnxruntime-node) create typed arrays in the main realm, while Jest runs each test
// file in a vm realm, so `instanceof Float32Array` fails inside onnxruntime-common (jestjs/jest#11864,
// microsoft/onnxruntime#16622). Share the host realm's typed-array constructors with the test realm.
const { TestEnvironment } = require('jest-environment-node');
const SHARED = ['ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray',
  'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array',
  'BigUint64Array'];
module.exports = class SharedTypedArrayEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const k of SHARED) if (globalThis[k]) this.global[k] = globalThis[k];
  }
};
