/**
 * Python pickles that hold data (protocols 0–5, as Python 2's cPickle and Python 3 write them):
 * dicts, lists, tuples, strings, bytes, numbers, booleans, None and NumPy arrays. CIFAR-10/100's
 * python batches (`data_batch_1`: {data: uint8 (10000, 3072), labels: [...]}) are stored this way.
 * A pickle is a program for a small stack machine (Python's `pickletools` documents each opcode);
 * this reader runs the data opcodes and, of the globals a pickle may name, only the few that
 * rebuild NumPy arrays and bytes. Any other global is refused, never called: unpickling a file
 * from elsewhere must not run code, and here it cannot.
 */
import { FormatError } from './errors';
import { decodeNpy, npyHeader, type NpyArray } from './npy';

/** A value of a decoded pickle. Dict keys are strings (Python 2 byte-string keys decoded as latin1). */
export type PickleValue = null | boolean | number | bigint | string | Uint8Array | NpyArray | PickleValue[] | { [key: string]: PickleValue };

/** The globals this reader rebuilds (module.name), and what they stand for. */
const GLOBALS: Record<string, string> = {
  'numpy.core.multiarray._reconstruct': 'reconstruct',
  'numpy._core.multiarray._reconstruct': 'reconstruct',
  'numpy.ndarray': 'ndarray',
  'numpy.core.numeric._frombuffer': 'frombuffer',
  'numpy._core.numeric._frombuffer': 'frombuffer',
  'numpy.dtype': 'dtype',
  'numpy.core.multiarray.scalar': 'scalar',
  'numpy._core.multiarray.scalar': 'scalar',
  '_codecs.encode': 'encode',
  'collections.OrderedDict': 'dict',
  '__builtin__.set': 'set',
  'builtins.set': 'set',
  '__builtin__.frozenset': 'set',
  'builtins.frozenset': 'set',
  '__builtin__.bytearray': 'bytearray',
  'builtins.bytearray': 'bytearray',
};

class Global {
  constructor(readonly kind: string) {}
}
class Dtype {
  endian = '<';
  constructor(readonly code: string) {}
  descr(): string {
    const kind = this.code[0]!;
    // One-byte types and booleans have no byte order ('|'); '=' (native) is little endian here.
    const order = this.code.endsWith('1') || kind === 'b' || kind === 'O' ? '|' : this.endian === '>' ? '>' : '<';
    return `${order}${this.code}`;
  }
}
/** An array being rebuilt: `_reconstruct(ndarray, (0,), b'b')` makes it, BUILD gives it its state. */
class PendingArray {
  array?: NpyArray;
  /** An object array's elements (np.save of a list of arrays of different sizes), in C order. */
  objects?: Item[];
}
const MARK = Symbol('mark');
type Item = PickleValue | Global | Dtype | PendingArray | typeof MARK;

/** Opcodes a protocol 0 or 1 pickle may start with: ( } ] ) N I J K L F S T U V X c d l. */
const FIRST_OPCODES = new Set(Array.from('(})]NIJKLFSTUVXcdlG', (c) => c.charCodeAt(0)));

/** Values one pickled array may hold (as float32: 1 GiB). */
const MAX_VALUES = 2 ** 28;

/**
 * The value a pickle holds (see the file's comment for what is read).
 * @throws FormatError naming `name` when the bytes are not a pickle, are truncated, or name a
 * global this reader does not rebuild.
 */
export function decodePickle(bytes: Uint8Array, name = 'pickle data'): PickleValue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: Item[] = [];
  const memo = new Map<number, Item>();
  let at = 0;
  const fail = (why: string): never => {
    throw new FormatError(name, why);
  };
  const need = (n: number) => {
    if (at + n > bytes.length) fail('ends early (truncated pickle)');
  };
  const u8 = () => (need(1), bytes[at++]!);
  const u16 = () => (need(2), (at += 2), view.getUint16(at - 2, true));
  const i32 = () => (need(4), (at += 4), view.getInt32(at - 4, true));
  const u32 = () => (need(4), (at += 4), view.getUint32(at - 4, true));
  const u64 = () => {
    need(8);
    const v = view.getBigUint64(at, true);
    at += 8;
    if (v > BigInt(bytes.length)) fail('a length runs past the end of the file (truncated pickle)');
    return Number(v);
  };
  const take = (n: number) => (need(n), (at += n), bytes.subarray(at - n, at));
  const line = () => {
    const end = bytes.indexOf(10, at);
    if (end < 0) fail('ends early (truncated pickle)');
    const s = latin1(bytes.subarray(at, end));
    at = end + 1;
    return s;
  };
  const pop = (): Item => (stack.length ? stack.pop()! : fail('pops an empty stack (damaged pickle)'));
  const top = (): Item => (stack.length ? stack[stack.length - 1]! : fail('reads an empty stack (damaged pickle)'));
  const popMark = (): Item[] => {
    const k = stack.lastIndexOf(MARK);
    if (k < 0) fail('has no MARK where one is needed (damaged pickle)');
    return stack.splice(k).slice(1);
  };
  // An array being rebuilt counts as data: BUILD completes it in place, and STOP resolves it.
  const data = (v: Item, what: string): PickleValue => (v instanceof Global || v instanceof Dtype || v === MARK ? fail(`${what} is not data (damaged pickle)`) : (v as PickleValue));
  const key = (k: Item): string => {
    const v = data(k, 'a dict key');
    if (typeof v === 'string') return v;
    if (v instanceof Uint8Array) return latin1(v);
    if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v === null) return String(v);
    return fail('has a dict key that is not a string or number');
  };
  const setItems = (target: Item, items: Item[]) => {
    if (!isDict(target)) fail('sets items on something that is not a dict');
    for (let i = 0; i + 1 < items.length; i += 2) (target as Record<string, PickleValue>)[key(items[i]!)] = data(items[i + 1]!, 'a dict value');
  };
  const append = (target: Item, items: Item[]) => {
    if (!Array.isArray(target)) fail('appends to something that is not a list');
    for (const v of items) (target as PickleValue[]).push(data(v, 'a list item'));
  };
  const global = (module: string, attr: string): Global => {
    const kind = GLOBALS[`${module}.${attr}`];
    if (!kind) fail(`refers to ${module}.${attr}, which a data-only reader does not rebuild (only dicts, lists, numbers, strings and NumPy arrays are read)`);
    return new Global(kind!);
  };

  // Protocol 2 and later start with PROTO; protocols 0 and 1 with an opcode that builds a value.
  if (bytes.length === 0 || (bytes[0] !== 0x80 && !FIRST_OPCODES.has(bytes[0]!))) fail('is not a Python pickle');
  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        u8();
        break;
      case 0x95: // FRAME: a length; the frame's opcodes follow inline
        u64();
        break;
      case 0x2e: // STOP
        return resolve(data(pop(), 'the result'), fail);
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x30: // POP
        pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x49: {
        // INT (text): also protocol 0's booleans, 00 and 01
        const s = line();
        stack.push(s === '00' ? false : s === '01' ? true : intText(s, fail));
        break;
      }
      case 0x4a: // BININT
        stack.push(i32());
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x4c: // LONG (text, trailing L)
        stack.push(intText(line().replace(/L$/, ''), fail));
        break;
      case 0x8a: // LONG1
        stack.push(longBytes(take(u8())));
        break;
      case 0x8b: {
        // LONG4
        const n = i32();
        if (n < 0) fail('has a negative length (damaged pickle)');
        stack.push(longBytes(take(n)));
        break;
      }
      case 0x46: // FLOAT (text)
        stack.push(Number(line()));
        break;
      case 0x47: // BINFLOAT (big endian)
        need(8);
        stack.push(view.getFloat64(at, false));
        at += 8;
        break;
      case 0x53: // STRING (a quoted Python 2 literal)
        stack.push(stringLiteral(line(), fail));
        break;
      case 0x54: {
        // BINSTRING: Python 2 str, kept as bytes (CIFAR's array data)
        const n = i32();
        if (n < 0) fail('has a negative length (damaged pickle)');
        stack.push(take(n));
        break;
      }
      case 0x55: // SHORT_BINSTRING (Python 2 str: CIFAR's dict keys)
        stack.push(take(u8()));
        break;
      case 0x42: // BINBYTES
        stack.push(take(u32()));
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(take(u8()));
        break;
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        stack.push(take(u64()));
        break;
      case 0x56: // UNICODE (raw-unicode-escape text)
        stack.push(line().replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))));
        break;
      case 0x58: // BINUNICODE
        stack.push(utf8(take(u32())));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(utf8(take(u8())));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(utf8(take(u64())));
        break;
      case 0x7d: // EMPTY_DICT
        stack.push({});
        break;
      case 0x64: {
        // DICT
        const d = {};
        setItems(d, popMark());
        stack.push(d);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x6c: // LIST
        stack.push(popMark().map((v) => data(v, 'a list item')));
        break;
      case 0x61: {
        // APPEND
        const v = pop();
        append(top(), [v]);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        append(top(), items);
        break;
      }
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x74: // TUPLE
        stack.push(popMark() as PickleValue[]);
        break;
      case 0x85: // TUPLE1
        stack.push([pop()] as PickleValue[]);
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        stack.push([pop(), b] as PickleValue[]);
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        stack.push([pop(), b, c] as PickleValue[]);
        break;
      }
      case 0x8f: // EMPTY_SET: read as a list
        stack.push([]);
        break;
      case 0x90: {
        // ADDITEMS
        const items = popMark();
        append(top(), items);
        break;
      }
      case 0x91: // FROZENSET
        stack.push(popMark() as PickleValue[]);
        break;
      case 0x63: {
        // GLOBAL: "module\nname\n"
        const module = line();
        stack.push(global(module, line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const attr = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof attr !== 'string') fail('names a global with something other than strings');
        stack.push(global(module as string, attr as string));
        break;
      }
      case 0x52: {
        // REDUCE: callable(*args)
        const args = pop();
        stack.push(call(pop(), Array.isArray(args) ? (args as Item[]) : fail('calls with arguments that are not a tuple'), fail));
        break;
      }
      case 0x81: {
        // NEWOBJ: cls.__new__(cls, *args)
        const args = pop();
        stack.push(call(pop(), Array.isArray(args) ? (args as Item[]) : fail('calls with arguments that are not a tuple'), fail));
        break;
      }
      case 0x62: {
        // BUILD: obj.__setstate__(state)
        const state = pop();
        build(top(), state, fail);
        break;
      }
      case 0x70: // PUT (text index)
        memo.set(Number(line()), top());
        break;
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x67: // GET
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const k = op === 0x67 ? Number(line()) : op === 0x68 ? u8() : u32();
        if (!memo.has(k)) fail(`reads memo entry ${k}, which was never stored (damaged pickle)`);
        stack.push(memo.get(k)!);
        break;
      }
      case 0x97:
      case 0x98:
        return fail('holds out-of-band buffers (pickle protocol 5 with buffer_callback), which live outside the file');
      default:
        return fail(at === 1 ? 'is not a Python pickle' : `has opcode 0x${op.toString(16)} at byte ${at - 1}, which this reader does not know (damaged pickle?)`);
    }
  }
}

const isDict = (v: Item): boolean => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Global) && !(v instanceof Dtype) && !(v instanceof PendingArray) && !isArray(v);
const isArray = (v: unknown): v is NpyArray => typeof v === 'object' && v !== null && (v as NpyArray).data instanceof Float32Array && Array.isArray((v as NpyArray).shape);
const latin1 = (b: Uint8Array) => new TextDecoder('latin1').decode(b);
/** A str argument: Python 2 pickles write str as bytes (SHORT_BINSTRING), Python 3 as text. */
const text = (v: Item): string | undefined => (typeof v === 'string' ? v : v instanceof Uint8Array ? latin1(v) : undefined);
const utf8 = (b: Uint8Array) => new TextDecoder('utf-8').decode(b);

function intText(s: string, fail: (why: string) => never): number | bigint {
  if (!/^[+-]?\d+$/.test(s)) fail(`has "${s.slice(0, 20)}" where an integer belongs (damaged pickle)`);
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : BigInt(s);
}

/** Two's complement little endian, as LONG1 and LONG4 store integers. */
function longBytes(b: Uint8Array): number | bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  if (b.length && b[b.length - 1]! & 0x80) v -= 1n << BigInt(8 * b.length);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** A protocol-0 STRING: a quoted literal with Python's backslash escapes, as bytes. */
function stringLiteral(s: string, fail: (why: string) => never): Uint8Array {
  const q = s[0];
  if ((q !== "'" && q !== '"') || s[s.length - 1] !== q) fail('has a STRING that is not quoted (damaged pickle)');
  const body = s.slice(1, -1).replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return { n: '\n', t: '\t', r: '\r', '0': '\0' }[e] ?? e;
  });
  return Uint8Array.from(body, (c) => c.charCodeAt(0) & 0xff);
}

function call(f: Item, args: Item[], fail: (why: string) => never): Item {
  if (!(f instanceof Global)) return fail('calls something that is not a known global (damaged pickle)');
  switch (f.kind) {
    case 'reconstruct':
      return new PendingArray();
    case 'frombuffer': {
      // Protocol 5: _frombuffer(buffer, dtype, shape, order).
      const [buf, dtype, shape, order] = args;
      if (!(buf instanceof Uint8Array) || !(dtype instanceof Dtype) || !Array.isArray(shape)) fail('rebuilds a NumPy array from something other than bytes, a dtype and a shape');
      return ndarray(dtype as Dtype, shape as number[], text(order!) === 'F', buf as Uint8Array, fail);
    }
    case 'dtype': {
      const code = text(args[0]!);
      if (code === undefined) fail('builds a NumPy dtype without a type code');
      return new Dtype(code!);
    }
    case 'encode': {
      // Python 3 writes bytes at protocol 2 as _codecs.encode(latin1 text, 'latin1').
      const [value, codec] = args;
      if (typeof value !== 'string' || (codec !== 'latin1' && codec !== 'latin-1')) fail('encodes bytes in a way this reader does not know');
      return Uint8Array.from(value as string, (c) => c.charCodeAt(0) & 0xff);
    }
    case 'scalar': {
      const [dtype, raw] = args;
      if (!(dtype instanceof Dtype) || !(raw instanceof Uint8Array)) fail('builds a NumPy scalar from something other than a dtype and bytes');
      return ndarray(dtype as Dtype, [], false, raw as Uint8Array, fail).data[0]!;
    }
    case 'dict':
      return {};
    case 'set':
    case 'bytearray': {
      const v = args[0];
      if (f.kind === 'bytearray') return v instanceof Uint8Array ? v.slice() : typeof v === 'string' ? Uint8Array.from(v, (c) => c.charCodeAt(0) & 0xff) : new Uint8Array();
      return Array.isArray(v) ? [...(v as PickleValue[])] : [];
    }
    default:
      return fail(`calls ${f.kind} with arguments (damaged pickle)`);
  }
}

function build(target: Item, state: Item, fail: (why: string) => never): void {
  if (target instanceof Dtype) {
    // (version, byte order, subarray, names, fields, elsize, alignment, flags)
    if (Array.isArray(state) && text(state[1] as Item) !== undefined) target.endian = text(state[1] as Item)!;
    return;
  }
  if (target instanceof PendingArray) {
    // (version, shape, dtype, is_fortran, raw data)
    if (!Array.isArray(state) || state.length < 5) fail('gives a NumPy array a state it does not understand');
    const [, shape, dtype, fortran, raw] = state as Item[];
    if (!Array.isArray(shape) || !(shape as Item[]).every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) fail('gives a NumPy array a shape that is not a tuple of sizes');
    if (!(dtype instanceof Dtype)) fail('gives a NumPy array no dtype');
    if (Array.isArray(raw) && (dtype as Dtype).code.startsWith('O')) {
      target.objects = raw as Item[];
      return;
    }
    if (!(raw instanceof Uint8Array)) fail('gives a NumPy array no raw data');
    target.array = ndarray(dtype as Dtype, shape as number[], fortran === true || fortran === 1, raw as Uint8Array, fail);
    return;
  }
  if (isDict(target) && isDict(state)) Object.assign(target as object, state);
  // Other states (objects' __dict__) carry nothing this reader returns.
}

/** The values of raw array bytes, read by the .npy decoder (every dtype and byte order it knows). */
function ndarray(dtype: Dtype, shape: number[], fortran: boolean, raw: Uint8Array, fail: (why: string) => never): NpyArray {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count > MAX_VALUES) fail(`holds an array of shape (${shape.join(', ')}), more than this reader holds`);
  const header = `{'descr': '${dtype.descr()}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  const head = new TextEncoder().encode(`${header}${' '.repeat(pad % 64)}\n`);
  const npy = new Uint8Array(10 + head.length + raw.length);
  npy.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, head.length & 0xff, head.length >> 8]);
  npy.set(head, 10);
  npy.set(raw, 10 + head.length);
  try {
    return decodeNpy(npy, 'array');
  } catch (e) {
    return fail(`holds a NumPy array it cannot read (${e instanceof FormatError ? e.reason : String(e)})`);
  }
}

/**
 * Arrays rebuilt in place (PendingArray) replaced by their values, throughout a decoded value. A
 * value shared through the memo is resolved once; one that contains itself is refused (a list
 * appended to itself would otherwise recurse forever).
 */
function resolve(root: unknown, fail: (why: string) => never): PickleValue {
  const done = new Map<object, PickleValue>();
  const open = new Set<object>();
  const visit = (v: unknown): PickleValue => {
    if (v instanceof PendingArray) {
      if (v.objects) return visit(v.objects);
      return v.array ?? fail('leaves a NumPy array without its data (damaged pickle)');
    }
    if (!v || typeof v !== 'object' || v instanceof Uint8Array || isArray(v)) return v as PickleValue;
    if (done.has(v)) return done.get(v)!;
    if (open.has(v)) return fail('holds a value that contains itself');
    open.add(v);
    const out: PickleValue = Array.isArray(v) ? v.map(visit) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visit(x)]));
    open.delete(v);
    done.set(v, out);
    return out;
  };
  return visit(root);
}

/**
 * The elements of an .npy object array, in C order: what `np.save` writes for a list of arrays of
 * different sizes (point clouds of different lengths, grids of different sides) with
 * allow_pickle; the pickle after the header is read by `decodePickle`, so nothing in it runs.
 * @throws FormatError naming the file when it is not an object array or its pickle is damaged.
 */
export function decodeNpyObjects(bytes: Uint8Array, name = 'npy data'): PickleValue[] {
  const { descr, body } = npyHeader(bytes, name);
  if (descr !== '|O') throw new FormatError(name, `is a numeric array (${descr}), not an array of objects`);
  const v = decodePickle(bytes.subarray(body), name);
  if (!Array.isArray(v)) throw new FormatError(name, 'holds a pickle that is not an array of objects');
  return v;
}

/** Whether .npy bytes hold an object array (dtype |O). */
export function isObjectNpy(bytes: Uint8Array): boolean {
  try {
    return npyHeader(bytes).descr === '|O';
  } catch {
    return false;
  }
}
