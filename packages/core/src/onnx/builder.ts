/**
 * A small ONNX graph builder over the official onnx.proto schema (the `onnx-proto` package, encoded
 * with protobufjs). Names are generated; shapes are only declared on graph inputs and outputs.
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import onnxProto from 'onnx-proto';

// onnx-proto is CommonJS: Node's ESM loader only exposes its default export.
const onnx = onnxProto.onnx;
type INodeProto = OnnxTypes.INodeProto;
type IValueInfoProto = OnnxTypes.IValueInfoProto;
type ITensorProto = OnnxTypes.ITensorProto;
type IAttributeProto = OnnxTypes.IAttributeProto;

export const OPSET = 17;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

export type Dim = number | string;
export type AttrValue = number | number[] | string | { floats: number[] } | { int: number } | { float: number };

export class GraphBuilder {
  private readonly nodes: INodeProto[] = [];
  private readonly inputs: IValueInfoProto[] = [];
  private readonly outputs: IValueInfoProto[] = [];
  private readonly initializers: ITensorProto[] = [];
  private counter = 0;

  constructor(readonly name: string) {}

  /** A fresh value name with a readable prefix. */
  fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  input(name: string, shape: Dim[]): string {
    this.inputs.push(valueInfo(name, shape));
    return name;
  }

  output(name: string, shape: Dim[]): void {
    this.outputs.push(valueInfo(name, shape));
  }

  /** A float32 initializer (constant or weight). */
  floats(values: ArrayLike<number>, dims: number[], name = this.fresh('c')): string {
    const f = Float32Array.from(values);
    this.initializers.push({ name, dataType: FLOAT, dims, rawData: new Uint8Array(f.buffer) });
    return name;
  }

  /** An int64 initializer (shapes, axes). */
  ints(values: number[], name = this.fresh('i')): string {
    const b = new BigInt64Array(values.map((v) => BigInt(v)));
    this.initializers.push({ name, dataType: INT64, dims: [values.length], rawData: new Uint8Array(b.buffer) });
    return name;
  }

  scalar(v: number): string {
    return this.floats([v], []);
  }

  /**
   * Adds a node. Integer attributes are given as numbers or number lists (ints); use
   * `{ float: v }` / `{ floats: [...] }` for float attributes.
   */
  op(type: string, inputs: string[], attrs: Record<string, AttrValue> = {}, nOut = 1): string[] {
    const outs = Array.from({ length: nOut }, () => this.fresh(type.toLowerCase()));
    const attribute: IAttributeProto[] = Object.entries(attrs).map(([name, v]) => attr(name, v));
    this.nodes.push({ opType: type, input: inputs, output: outs, name: this.fresh(`n_${type}`), attribute });
    return outs;
  }

  /** Single-output op. */
  op1(type: string, inputs: string[], attrs: Record<string, AttrValue> = {}): string {
    return this.op(type, inputs, attrs)[0]!;
  }

  /** Renames a value to a graph output name with an Identity. */
  alias(value: string, name: string): void {
    this.nodes.push({ opType: 'Identity', input: [value], output: [name], name: this.fresh('n_Identity') });
  }

  encode(): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'ebm',
      opsetImport: [{ domain: '', version: OPSET }],
      graph: { name: this.name, node: this.nodes, input: this.inputs, output: this.outputs, initializer: this.initializers },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(name: string, shape: Dim[]): IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}

function attr(name: string, v: AttrValue): IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'number') return { name, type: T.INT, i: v };
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  if ('floats' in v) return { name, type: T.FLOATS, floats: v.floats };
  if ('float' in v) return { name, type: T.FLOAT, f: v.float };
  return { name, type: T.INT, i: v.int };
}
