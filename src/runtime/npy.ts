// NumPy .npy files (format versions 1.0, 2.0 and 3.0) read into and written from float32/int32 arrays,
// for `kerasc run`'s --input and --output. Reading never throws: every problem is an NpyError with an offset.
//
// Decisions (documented for users in the messages themselves):
// - float32 and int32 are read as they are, in either byte order.
// - Other numeric dtypes NumPy makes by default or commonly are converted rather than refused, because
//   `np.save(path, np.random.rand(3))` writes float64 and integer arrays default to int64:
//   float16 and float64 become float32 (a finite float64 beyond float32's range is an error, not Infinity);
//   int8/int16/uint8/uint16 become int32 exactly; int64/uint32/uint64 become int32 when every value fits
//   (the first that does not is an error naming it); bool becomes int32 0/1.
// - complex, strings, objects, datetimes and structured dtypes are refused with the dtype named.
// - fortran_order=True data is transposed to C order (what NumPy's own reader presents to Python).
// - Bytes after the data are an error: they mean the header and the data disagree.
import { elementCount, float16BitsToNumber, type NumericArray, readLittleEndian32 } from "./binary.js";
import type { NpyError, NpyErrorCode, Outcome } from "./errors.js";

/** A dense array as the runtime uses it: C (row-major) order, float32 or int32. */
export interface NpyArray {
  readonly dtype: "float32" | "int32";
  readonly shape: readonly number[];
  readonly data: NumericArray;
}

/**
 * A parsed .npy file. `sourceDtype` is the NumPy name of the dtype stored in the file ("float64", "int64",
 * ...) so a caller can say when values were converted.
 */
export type NpyParseResult = Outcome<{ readonly array: NpyArray; readonly sourceDtype: string }, NpyError>;

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const SUPPORTED = "kerasc reads float32 and int32";

/** Reads a .npy file's bytes. Never throws. */
export function parseNpy(bytes: Uint8Array): NpyParseResult {
  try {
    return { ok: true, ...readNpy(bytes) };
  } catch (problem) {
    if (problem instanceof NpyProblem) return { ok: false, error: problem.error };
    // A bug in this reader, not in the file: still no exception for the caller (SPEC §7).
    const message = `could not read the .npy file: ${problem instanceof Error ? problem.message : String(problem)}`;
    return { ok: false, error: { kind: "npy", code: "malformed-header", message, offset: 0 } };
  }
}

/** Internal early exit carrying the error parseNpy returns. */
class NpyProblem {
  constructor(readonly error: NpyError) {}
}

function fail(code: NpyErrorCode, offset: number, message: string): never {
  throw new NpyProblem({ kind: "npy", code, message, offset });
}

function readNpy(bytes: Uint8Array): { array: NpyArray; sourceDtype: string } {
  const header = readHeader(bytes);
  const { dtype, shape, fortranOrder, dataStart } = header;
  const shapeText = pythonTuple(shape);
  const count = elementCount(shape);
  if (count === undefined)
    fail("malformed-header", header.shapeOffset, `shape ${shapeText} has more elements than kerasc can hold`);
  const expected = count * dtype.itemSize;
  const found = bytes.length - dataStart;
  if (found < expected)
    fail(
      "truncated",
      bytes.length,
      `expected ${expected} bytes of data for shape ${shapeText} ${dtype.name}, found ${found}`,
    );
  if (found > expected)
    fail(
      "trailing-bytes",
      dataStart + expected,
      `${found - expected} bytes follow the ${expected} bytes of data for shape ${shapeText} ${dtype.name}; ` +
        "the header and the data disagree",
    );
  const fileOrder = decodeElements(bytes, dataStart, count, dtype);
  const data = fortranOrder ? fortranToC(fileOrder, shape) : fileOrder;
  return { array: { dtype: dtype.target, shape, data }, sourceDtype: dtype.name };
}

// ---------------------------------------------------------------------------------------------------
// Preamble and header

interface Header {
  readonly dtype: SourceDtype;
  readonly shape: number[];
  readonly fortranOrder: boolean;
  readonly dataStart: number;
  /** File offset of the shape value, for messages about it. */
  readonly shapeOffset: number;
}

function readHeader(bytes: Uint8Array): Header {
  checkMagic(bytes);
  if (bytes.length < 8)
    fail("truncated", bytes.length, "the file ends inside the .npy preamble (version missing)");
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (minor !== 0 || major < 1 || major > 3)
    fail(
      "unsupported-version",
      6,
      `.npy format version ${major}.${minor} is not supported; kerasc reads versions 1.0, 2.0 and 3.0`,
    );
  // Version 1.0 stores the header length in 2 bytes; 2.0 and 3.0 in 4 (for huge structured headers).
  const lengthBytes = major === 1 ? 2 : 4;
  const headerStart = 8 + lengthBytes;
  if (bytes.length < headerStart)
    fail("truncated", bytes.length, "the file ends inside the .npy preamble (header length missing)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = headerStart + headerLength;
  if (bytes.length < dataStart)
    fail(
      "truncated",
      bytes.length,
      `the header says it is ${headerLength} bytes long, but the file ends ${bytes.length - headerStart} bytes into it`,
    );
  const headerBytes = bytes.subarray(headerStart, dataStart);
  const text = major === 3 ? decodeUtf8(headerBytes, headerStart) : latin1(headerBytes);
  // Offsets of characters in the header text → offsets in the file (they differ only for non-ASCII UTF-8).
  const fileOffset = (index: number) =>
    headerStart + (major === 3 ? new TextEncoder().encode(text.slice(0, index)).length : index);
  const dict = parseHeaderDict(text, fileOffset);
  return { ...interpretHeader(dict, fileOffset(0)), dataStart };
}

function checkMagic(bytes: Uint8Array): void {
  const length = Math.min(bytes.length, MAGIC.length);
  for (let i = 0; i < length; i++) {
    if (bytes[i] !== MAGIC[i]) fail("not-npy", 0, notNpyMessage(bytes));
  }
  if (bytes.length === 0) fail("truncated", 0, "the file is empty; expected a NumPy .npy file");
  if (bytes.length < MAGIC.length)
    fail("truncated", bytes.length, "the file ends inside the .npy magic string");
}

function notNpyMessage(bytes: Uint8Array): string {
  const base = "not a NumPy .npy file: it does not start with the .npy magic string \\x93NUMPY";
  // A zip archive here is almost always an .npz written by np.savez.
  if (bytes[0] === 0x50 && bytes[1] === 0x4b)
    return `${base} (it looks like an .npz archive; pass one .npy from it)`;
  return `${base} (write it with numpy.save)`;
}

function latin1(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
}

function decodeUtf8(bytes: Uint8Array, offset: number): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return fail("malformed-header", offset, "the version 3.0 header is not valid UTF-8");
  }
}

/** A Python literal from the header, with the file offset it starts at. */
type PyValue = { readonly at: number } & (
  | { readonly kind: "str"; readonly value: string }
  | { readonly kind: "int"; readonly value: number }
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "none" }
  | { readonly kind: "tuple" | "list"; readonly items: readonly PyValue[] }
  | { readonly kind: "dict"; readonly entries: readonly (readonly [PyValue, PyValue])[] }
);

/**
 * Parses the header: a Python dict literal (what `repr()` of a dict of str, bool, int tuples and, for
 * structured dtypes, lists writes), followed by padding spaces and a newline.
 */
function parseHeaderDict(
  text: string,
  fileOffset: (index: number) => number,
): Extract<PyValue, { kind: "dict" }> {
  let pos = 0;
  const malformed = (what: string): never => {
    const near = text.slice(pos, pos + 20).replace(/\n/g, "\\n");
    return fail(
      "malformed-header",
      fileOffset(pos),
      `malformed .npy header: ${what}${near ? ` at \`${near}\`` : " at the end of the header"}`,
    );
  };
  const skipSpace = () => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const expect = (char: string, what: string) => {
    skipSpace();
    if (text[pos] !== char) malformed(`expected ${what}`);
    pos++;
  };
  // Items of a dict, tuple or list: comma-separated, a trailing comma allowed (Python's repr writes one).
  const items = <T>(close: string, readItem: () => T): T[] => {
    const out: T[] = [];
    for (;;) {
      skipSpace();
      if (text[pos] === close) break;
      out.push(readItem());
      skipSpace();
      if (text[pos] === ",") pos++;
      else if (text[pos] !== close) malformed(`expected \`,\` or \`${close}\``);
    }
    pos++;
    return out;
  };
  const readValue = (): PyValue => {
    skipSpace();
    const at = fileOffset(pos);
    const char = text[pos];
    if (char === "{") {
      pos++;
      return {
        at,
        kind: "dict",
        entries: items("}", () => {
          const key = readValue();
          expect(":", "`:` after a dictionary key");
          return [key, readValue()] as const;
        }),
      };
    }
    if (char === "(" || char === "[") {
      pos++;
      return { at, kind: char === "(" ? "tuple" : "list", items: items(char === "(" ? ")" : "]", readValue) };
    }
    if (char === "'" || char === '"') return { at, kind: "str", value: readString(char) };
    const word = /^(?:True|False|None|-?\d+L?)/.exec(text.slice(pos))?.[0];
    if (word === undefined) return malformed("expected a Python value");
    pos += word.length;
    if (word === "True" || word === "False") return { at, kind: "bool", value: word === "True" };
    if (word === "None") return { at, kind: "none" };
    // Python 2 era NumPy wrote long integers with an L suffix, e.g. (3L, 4L).
    const value = Number(word.replace("L", ""));
    if (!Number.isSafeInteger(value)) {
      pos -= word.length;
      return malformed(`the integer ${word} is too large`);
    }
    return { at, kind: "int", value };
  };
  const readString = (quote: string): string => {
    pos++;
    let value = "";
    while (pos < text.length && text[pos] !== quote) {
      // Escapes only matter for field names of structured dtypes, which are refused anyway.
      if (text[pos] === "\\") pos++;
      value += text[pos] ?? "";
      pos++;
    }
    if (pos >= text.length) malformed("a string is not closed");
    pos++;
    return value;
  };

  skipSpace();
  if (text[pos] !== "{") malformed("the header must be a Python dictionary starting with `{`");
  const dict = readValue();
  skipSpace();
  if (pos < text.length) malformed("unexpected text after the header dictionary");
  return dict as Extract<PyValue, { kind: "dict" }>;
}

const HEADER_KEYS = ["descr", "fortran_order", "shape"] as const;

function interpretHeader(
  dict: Extract<PyValue, { kind: "dict" }>,
  headerOffset: number,
): Omit<Header, "dataStart"> {
  const found = new Map<string, PyValue>();
  for (const [key, value] of dict.entries) {
    if (key.kind !== "str") fail("malformed-header", key.at, "malformed .npy header: a key is not a string");
    if (!(HEADER_KEYS as readonly string[]).includes(key.value))
      fail(
        "malformed-header",
        key.at,
        `malformed .npy header: unexpected entry '${key.value}' (NumPy writes exactly 'descr', 'fortran_order' and 'shape')`,
      );
    found.set(key.value, value);
  }
  for (const key of HEADER_KEYS) {
    if (!found.has(key))
      fail("malformed-header", headerOffset, `malformed .npy header: it has no '${key}' entry`);
  }
  const descr = found.get("descr")!;
  const fortran = found.get("fortran_order")!;
  const shape = found.get("shape")!;
  if (fortran.kind !== "bool")
    fail("malformed-header", fortran.at, "malformed .npy header: 'fortran_order' must be True or False");
  if (shape.kind !== "tuple")
    fail(
      "malformed-header",
      shape.at,
      "malformed .npy header: 'shape' must be a tuple of integers, e.g. (1, 784)",
    );
  const dims = shape.items.map((item) => {
    if (item.kind !== "int" || item.value < 0)
      fail("malformed-header", item.at, "malformed .npy header: 'shape' must hold non-negative integers");
    return item.value;
  });
  return { dtype: readDescr(descr), shape: dims, fortranOrder: fortran.value, shapeOffset: shape.at };
}

// ---------------------------------------------------------------------------------------------------
// Dtypes

/** A dtype kerasc can read: how its elements are stored and what they become. */
interface SourceDtype {
  /** NumPy's name, e.g. "float64". */
  readonly name: string;
  readonly kind: "f" | "i" | "u" | "b";
  readonly itemSize: number;
  readonly littleEndian: boolean;
  readonly target: "float32" | "int32";
}

const READABLE: Readonly<Record<string, { name: string; target: "float32" | "int32" }>> = {
  f2: { name: "float16", target: "float32" },
  f4: { name: "float32", target: "float32" },
  f8: { name: "float64", target: "float32" },
  i1: { name: "int8", target: "int32" },
  i2: { name: "int16", target: "int32" },
  i4: { name: "int32", target: "int32" },
  i8: { name: "int64", target: "int32" },
  u1: { name: "uint8", target: "int32" },
  u2: { name: "uint16", target: "int32" },
  u4: { name: "uint32", target: "int32" },
  u8: { name: "uint64", target: "int32" },
  b1: { name: "bool", target: "int32" },
};

/** NumPy names of dtypes kerasc refuses, so the message says what the file holds. */
const REFUSED_KINDS: Readonly<Record<string, (size: number) => string>> = {
  f: (size) => (size > 8 ? "longdouble" : `float${size * 8}`),
  c: (size) => `complex${size * 8}`,
  S: () => "bytes",
  a: () => "bytes",
  U: () => "str",
  O: () => "object",
  V: () => "void",
  M: () => "datetime64",
  m: () => "timedelta64",
  i: (size) => `int${size * 8}`,
  u: (size) => `uint${size * 8}`,
};

function refuse(descr: PyValue, what: string): never {
  return fail(
    "unsupported-dtype",
    descr.at,
    `${what} is not supported; ${SUPPORTED}. Convert it first, e.g. np.save(path, x.astype(np.float32))`,
  );
}

function readDescr(descr: PyValue): SourceDtype {
  if (descr.kind === "list") refuse(descr, "a structured dtype (records with named fields)");
  if (descr.kind !== "str")
    fail("malformed-header", descr.at, "malformed .npy header: 'descr' must be a string");
  const match = /^([<>|=]?)([a-zA-Z?])(\d*)(.*)$/.exec(descr.value);
  if (!match)
    return fail("malformed-header", descr.at, `malformed .npy header: '${descr.value}' is not a dtype`);
  const [, order, kindChar, sizeText, rest] = match as unknown as [string, string, string, string, string];
  // '?' is the one-character code of bool.
  const code = kindChar === "?" ? "b1" : `${kindChar}${sizeText}`;
  const readable = READABLE[code];
  if (readable && rest === "") {
    const itemSize = Number(sizeText || "1");
    // '|' (not applicable) and '=' (native) never appear for multi-byte types in files NumPy writes;
    // every platform NumPy runs on today is little-endian, so they are read as '<'.
    return { ...readable, kind: code[0] as SourceDtype["kind"], itemSize, littleEndian: order !== ">" };
  }
  const name = REFUSED_KINDS[kindChar]?.(Number(sizeText || "0"));
  return refuse(descr, name ? `dtype '${descr.value}' (${name})` : `dtype '${descr.value}'`);
}

// ---------------------------------------------------------------------------------------------------
// Data

function decodeElements(bytes: Uint8Array, start: number, count: number, dtype: SourceDtype): NumericArray {
  // The common case, float32/int32 little-endian, is a plain copy.
  if (dtype.itemSize === 4 && dtype.littleEndian && (dtype.kind === "f" || dtype.kind === "i"))
    return readLittleEndian32(bytes, start, count, dtype.target);
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, count * dtype.itemSize);
  const out = dtype.target === "float32" ? new Float32Array(count) : new Int32Array(count);
  const read = elementReader(view, dtype, (index, value) =>
    fail(
      "value-out-of-range",
      start + index * dtype.itemSize,
      `element ${index} of this ${dtype.name} array is ${value}, which does not fit ${dtype.target}; ${SUPPORTED}`,
    ),
  );
  for (let i = 0; i < count; i++) out[i] = read(i);
  return out;
}

/**
 * A function reading element `index` of `view` as a number its target type holds exactly (float32 targets
 * round, as the Float32Array store does); `outOfRange` is called for a value the target cannot hold.
 */
function elementReader(
  view: DataView,
  dtype: SourceDtype,
  outOfRange: (index: number, value: string) => never,
): (index: number) => number {
  const le = dtype.littleEndian;
  const size = dtype.itemSize;
  switch (`${dtype.kind}${size}`) {
    case "f2":
      return (i) => float16BitsToNumber(view.getUint16(i * size, le));
    case "f4":
      return (i) => view.getFloat32(i * size, le);
    case "f8":
      return (i) => {
        const value = view.getFloat64(i * size, le);
        // Rounding to float32 loses precision (expected); overflowing to Infinity would change the model's answer.
        if (Number.isFinite(value) && !Number.isFinite(Math.fround(value))) outOfRange(i, String(value));
        return value;
      };
    case "i1":
      return (i) => view.getInt8(i);
    case "i2":
      return (i) => view.getInt16(i * size, le);
    case "i4":
      return (i) => view.getInt32(i * size, le);
    case "u1":
      return (i) => view.getUint8(i);
    case "u2":
      return (i) => view.getUint16(i * size, le);
    case "u4":
      return (i) => {
        const value = view.getUint32(i * size, le);
        if (value > 0x7fffffff) outOfRange(i, String(value));
        return value;
      };
    case "i8":
    case "u8":
      return (i) => {
        // Two 32-bit halves: the value fits int32 exactly when the high half is the low half's sign extension.
        const at = i * size;
        const low = view.getUint32(le ? at : at + 4, le);
        const highAt = le ? at + 4 : at;
        const high = dtype.kind === "i" ? view.getInt32(highAt, le) : view.getUint32(highAt, le);
        const fits = (high === 0 && low <= 0x7fffffff) || (high === -1 && low > 0x7fffffff);
        if (!fits) outOfRange(i, String((BigInt(high) << 32n) + BigInt(low)));
        return low | 0;
      };
    default: // b1: NumPy stores bools as bytes 0/1; any non-zero byte is True.
      return (i) => (view.getUint8(i) === 0 ? 0 : 1);
  }
}

/** Reorders column-major (Fortran) data into row-major (C) order. */
function fortranToC(data: NumericArray, shape: readonly number[]): NumericArray {
  if (shape.length < 2) return data;
  const out = data instanceof Float32Array ? new Float32Array(data.length) : new Int32Array(data.length);
  // Column-major strides: axis 0 varies fastest in the file.
  const strides: number[] = [];
  let stride = 1;
  for (const dim of shape) {
    strides.push(stride);
    stride *= dim;
  }
  // Walk the C-order index with an odometer, keeping the matching Fortran offset up to date.
  const index = shape.map(() => 0);
  let source = 0;
  for (let target = 0; target < out.length; target++) {
    out[target] = data[source]!;
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      index[axis]!++;
      source += strides[axis]!;
      if (index[axis]! < shape[axis]!) break;
      source -= strides[axis]! * shape[axis]!;
      index[axis] = 0;
    }
  }
  return out;
}

/** A shape as Python prints a tuple: `()`, `(3,)`, `(1, 784)`. */
function pythonTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

// ---------------------------------------------------------------------------------------------------
// Writing

/** NumPy pads the preamble plus header to a multiple of this, so the data starts aligned. */
const ARRAY_ALIGN = 64;
/** NumPy leaves room for the growth axis to reach this many digits, so headers can be rewritten in place. */
const GROWTH_AXIS_MAX_DIGITS = 21;

/**
 * The bytes `numpy.save` writes for `array` (C order, little-endian '<f4' / '<i4'; version 1.0 unless the
 * header needs 2.0's longer length field). Throws a RangeError when `data` does not hold exactly the
 * shape's number of elements: that is a bug in the caller, not bad user input.
 */
export function serializeNpy(array: NpyArray): Uint8Array {
  const count = elementCount(array.shape);
  if (count === undefined || count !== array.data.length)
    throw new RangeError(
      `serializeNpy: shape ${pythonTuple(array.shape)} needs ${count ?? "?"} elements, data has ${array.data.length}`,
    );
  const descr = array.dtype === "float32" ? "<f4" : "<i4";
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${pythonTuple(array.shape)}, }`;
  if (array.shape.length > 0) dict += " ".repeat(GROWTH_AXIS_MAX_DIGITS - String(array.shape[0]).length);
  const preamble = (lengthBytes: number) => {
    const unpadded = MAGIC.length + 2 + lengthBytes + dict.length + 1; // +1: the closing newline
    return { lengthBytes, headerLength: dict.length + 1 + (ARRAY_ALIGN - (unpadded % ARRAY_ALIGN)) };
  };
  let layout = preamble(2);
  if (layout.headerLength > 0xffff) layout = preamble(4);
  const header = `${dict.padEnd(layout.headerLength - 1, " ")}\n`;
  const dataStart = MAGIC.length + 2 + layout.lengthBytes + header.length;
  const out = new Uint8Array(dataStart + array.data.byteLength);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  out[6] = layout.lengthBytes === 2 ? 1 : 2;
  out[7] = 0;
  if (layout.lengthBytes === 2) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++)
    out[MAGIC.length + 2 + layout.lengthBytes + i] = header.charCodeAt(i);
  for (let i = 0; i < array.data.length; i++) {
    if (array.dtype === "float32") view.setFloat32(dataStart + i * 4, array.data[i]!, true);
    else view.setInt32(dataStart + i * 4, array.data[i]!, true);
  }
  return out;
}
