// .npy reading and writing: headers built by hand per the NumPy format spec, bytes numpy.save wrote, every error.
import { describe, expect, it } from "vitest";
import type { NpyError } from "../../src/runtime/errors.js";
import { type NpyArray, parseNpy, serializeNpy } from "../../src/runtime/npy.js";

const MAGIC = [0x93, ...Array.from("NUMPY", (c) => c.charCodeAt(0))];

/** The bytes of an .npy file: magic, version, header length (2 bytes for 1.0, 4 otherwise), header, data. */
function npy(header: string, data: ArrayLike<number> = [], version: [number, number] = [1, 0]): Uint8Array {
  const headerBytes =
    version[0] === 3 ? new TextEncoder().encode(header) : Uint8Array.from(header, (c) => c.charCodeAt(0));
  const lengthBytes = version[0] === 1 ? 2 : 4;
  const out = new Uint8Array(8 + lengthBytes + headerBytes.length + data.length);
  out.set(MAGIC, 0);
  out.set(version, 6);
  const view = new DataView(out.buffer);
  if (lengthBytes === 2) view.setUint16(8, headerBytes.length, true);
  else view.setUint32(8, headerBytes.length, true);
  out.set(headerBytes, 8 + lengthBytes);
  out.set(Array.from(data), 8 + lengthBytes + headerBytes.length);
  return out;
}

/** A header as NumPy writes it (without the alignment padding, which readers must not rely on). */
const header = (descr: string, shape: string, fortran = false) =>
  `{'descr': '${descr}', 'fortran_order': ${fortran ? "True" : "False"}, 'shape': ${shape}, }\n`;

/** Little- or big-endian bytes of values written by a DataView setter. */
function bytesOf(
  values: readonly number[],
  size: number,
  set: (view: DataView, at: number, value: number) => void,
): Uint8Array {
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  values.forEach((value, i) => {
    set(view, i * size, value);
  });
  return out;
}

const f32le = (values: readonly number[]) => bytesOf(values, 4, (v, at, x) => v.setFloat32(at, x, true));
const hex = (text: string) => Uint8Array.from(text.match(/../g)!, (pair) => Number.parseInt(pair, 16));

function ok(bytes: Uint8Array) {
  const result = parseNpy(bytes);
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result;
}

function error(bytes: Uint8Array): NpyError {
  const result = parseNpy(bytes);
  if (result.ok) throw new Error("expected an error");
  return result.error;
}

// Written by numpy 2.4 `np.save(f, np.arange(6, dtype=np.float32).reshape(2, 3))`.
const NUMPY_F32_2x3 = hex(
  "934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a2046616c73652c" +
    "20277368617065273a2028322c2033292c207d20202020202020202020202020202020202020202020202020202020202020" +
    "2020202020202020202020202020202020202020202020202020200a000000000000803f0000004000004040000080400000" +
    "a040",
);
// `np.save(f, np.array(-7, dtype=np.int32))`: a 0-d array.
const NUMPY_I32_SCALAR = hex(
  "934e554d5059010076007b276465736372273a20273c6934272c2027666f727472616e5f6f72646572273a2046616c73652c" +
    "20277368617065273a2028292c207d2020202020202020202020202020202020202020202020202020202020202020202020" +
    "2020202020202020202020202020202020202020202020202020200af9ffffff",
);
// `np.save(f, np.zeros((0,), np.float32))`.
const NUMPY_F32_EMPTY = hex(
  "934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a2046616c73652c" +
    "20277368617065273a2028302c292c207d202020202020202020202020202020202020202020202020202020202020202020" +
    "2020202020202020202020202020202020202020202020202020200a",
);

describe("parseNpy", () => {
  it("reads files numpy.save wrote: a matrix, a 0-d array, an empty vector", () => {
    expect(ok(NUMPY_F32_2x3).array).toEqual({
      dtype: "float32",
      shape: [2, 3],
      data: new Float32Array([0, 1, 2, 3, 4, 5]),
    });
    expect(ok(NUMPY_I32_SCALAR).array).toEqual({ dtype: "int32", shape: [], data: new Int32Array([-7]) });
    expect(ok(NUMPY_F32_EMPTY).array).toEqual({ dtype: "float32", shape: [0], data: new Float32Array(0) });
  });

  it("reads big-endian float32 and int32", () => {
    const f = bytesOf([1.5, -2], 4, (v, at, x) => v.setFloat32(at, x, false));
    expect(ok(npy(header(">f4", "(2,)"), f)).array.data).toEqual(new Float32Array([1.5, -2]));
    const i = bytesOf([-3, 70000], 4, (v, at, x) => v.setInt32(at, x, false));
    expect(ok(npy(header(">i4", "(2,)"), i)).array.data).toEqual(new Int32Array([-3, 70000]));
  });

  it("reads format versions 2.0 and 3.0 (4-byte header length; 3.0 in UTF-8)", () => {
    const data = f32le([7]);
    expect(ok(npy(header("<f4", "(1,)"), data, [2, 0])).array.data).toEqual(new Float32Array([7]));
    expect(ok(npy(header("<f4", "(1,)"), data, [3, 0])).array.data).toEqual(new Float32Array([7]));
  });

  it("tolerates header spellings NumPy has written: no trailing comma or newline, double quotes, 3L", () => {
    const data = f32le([1, 2]);
    expect(ok(npy(`{"descr": "<f4", "shape": (2L,), "fortran_order": False}`, data)).array.shape).toEqual([
      2,
    ]);
    expect(ok(npy(`{'shape':(1,2),'fortran_order':False,'descr':'<f4'}`, data)).array.shape).toEqual([1, 2]);
  });

  it("transposes fortran_order=True data to C order", () => {
    // numpy: np.asfortranarray(np.arange(24, dtype='<i4').reshape(2, 3, 4)) stores it column-major.
    const fortranData = hex(
      "000000000c00000004000000100000000800000014000000010000000d00000005000000110000000900000015000000" +
        "020000000e00000006000000120000000a00000016000000030000000f00000007000000130000000b00000017000000",
    );
    const { array } = ok(npy(header("<i4", "(2, 3, 4)", true), fortranData));
    expect(array.shape).toEqual([2, 3, 4]);
    expect(Array.from(array.data)).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });

  it("converts float64 and float16 to float32, naming the source dtype", () => {
    const f8 = bytesOf([0.1, -1e30], 8, (v, at, x) => v.setFloat64(at, x, true));
    const result = ok(npy(header("<f8", "(2,)"), f8));
    expect(result.sourceDtype).toBe("float64");
    expect(result.array).toEqual({ dtype: "float32", shape: [2], data: new Float32Array([0.1, -1e30]) });
    // float16 bits: 1.5, -65504 (most negative finite), 1 (smallest subnormal, 2^-24), +Inf.
    const f2 = bytesOf([15872, 64511, 1, 0x7c00], 2, (v, at, x) => v.setUint16(at, x, true));
    expect(Array.from(ok(npy(header("<f2", "(4,)"), f2)).array.data)).toEqual([
      1.5,
      -65504,
      2 ** -24,
      Infinity,
    ]);
  });

  it("converts integer and bool dtypes to int32 when the values fit", () => {
    const i8 = bytesOf([-5, 2147483647, -2147483648], 8, (v, at, x) => v.setBigInt64(at, BigInt(x), true));
    expect(ok(npy(header("<i8", "(3,)"), i8)).array).toEqual({
      dtype: "int32",
      shape: [3],
      data: new Int32Array([-5, 2147483647, -2147483648]),
    });
    const i8be = bytesOf([-5, 9], 8, (v, at, x) => v.setBigInt64(at, BigInt(x), false));
    expect(ok(npy(header(">i8", "(2,)"), i8be)).array.data).toEqual(new Int32Array([-5, 9]));
    expect(ok(npy(header("|u1", "(2,)"), [0, 255])).array.data).toEqual(new Int32Array([0, 255]));
    expect(ok(npy(header("|i1", "(2,)"), [0xff, 3])).array.data).toEqual(new Int32Array([-1, 3]));
    const u2 = bytesOf([65535], 2, (v, at, x) => v.setUint16(at, x, true));
    expect(ok(npy(header("<u2", "(1,)"), u2)).array.data).toEqual(new Int32Array([65535]));
    const bools = ok(npy(header("|b1", "(3,)"), [1, 0, 1]));
    expect(bools.sourceDtype).toBe("bool");
    expect(bools.array.data).toEqual(new Int32Array([1, 0, 1]));
  });

  it("never throws on arbitrary bytes", () => {
    let seed = 1;
    for (let trial = 0; trial < 500; trial++) {
      const length = (trial * 7) % 200;
      const bytes = new Uint8Array(length).map(() => {
        seed = (seed * 1103515245 + 12345) >>> 0;
        return seed >>> 24;
      });
      if (trial % 2 === 0) bytes.set(MAGIC.slice(0, Math.min(6, length)));
      expect(() => parseNpy(bytes)).not.toThrow();
    }
  });
});

describe("parseNpy errors", () => {
  it("not an npy file (bad magic), with a hint for .npz archives", () => {
    const text = error(new TextEncoder().encode("1.0, 2.0\n"));
    expect(text).toMatchObject({ kind: "npy", code: "not-npy", offset: 0 });
    expect(text.message).toContain("not a NumPy .npy file");
    expect(error(Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0, 0, 0])).message).toContain(".npz");
  });

  it("an empty or cut-off preamble is truncated", () => {
    expect(error(new Uint8Array(0))).toMatchObject({ code: "truncated", offset: 0 });
    expect(error(Uint8Array.from(MAGIC.slice(0, 4)))).toMatchObject({ code: "truncated", offset: 4 });
    expect(error(Uint8Array.from([...MAGIC, 1, 0, 10]))).toMatchObject({ code: "truncated", offset: 9 });
  });

  it("unsupported version", () => {
    const bytes = npy(header("<f4", "(1,)"), f32le([1]));
    bytes[6] = 4;
    expect(error(bytes)).toMatchObject({
      code: "unsupported-version",
      offset: 6,
      message: ".npy format version 4.0 is not supported; kerasc reads versions 1.0, 2.0 and 3.0",
    });
  });

  it("a header longer than the file", () => {
    const bytes = npy(header("<f4", "(1,)")).slice(0, 30);
    expect(error(bytes)).toMatchObject({ code: "truncated", offset: 30 });
    expect(error(bytes).message).toMatch(
      /the header says it is \d+ bytes long, but the file ends 20 bytes into it/,
    );
  });

  it("malformed headers: syntax, missing and extra keys, wrong value types — located in the file", () => {
    const broken = npy("{'descr' '<f4', 'fortran_order': False, 'shape': (1,), }");
    const syntax = error(broken);
    expect(syntax.code).toBe("malformed-header");
    expect(syntax.offset).toBe(10 + "{'descr' ".length);
    expect(syntax.message).toContain("expected `:` after a dictionary key");

    expect(error(npy("{'descr': '<f4', 'shape': (1,), }")).message).toContain("no 'fortran_order' entry");
    const extra = error(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1, }", f32le([1])));
    expect(extra.message).toContain("unexpected entry 'x'");
    expect(extra.offset).toBe(10 + "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), ".length);
    expect(error(npy("{'descr': '<f4', 'fortran_order': 0, 'shape': (1,), }")).message).toContain(
      "'fortran_order' must be True or False",
    );
    expect(error(npy("{'descr': '<f4', 'fortran_order': False, 'shape': [1], }")).message).toContain(
      "'shape' must be a tuple",
    );
    expect(error(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }")).message).toContain(
      "non-negative integers",
    );
    expect(error(npy("['descr']")).message).toContain("must be a Python dictionary");
    expect(error(npy(`${header("<f4", "(1,)")} junk`, f32le([1]))).message).toContain(
      "unexpected text after",
    );
    expect(error(npy("{'descr': '<f4")).message).toContain("a string is not closed");
    expect(
      error(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }")).message,
    ).toContain("too large");
    const v3 = npy("{'descr': '<f4'", [], [3, 0]);
    v3[12] = 0xff; // not UTF-8
    expect(error(v3)).toMatchObject({ code: "malformed-header", offset: 12 });
  });

  it("unsupported dtypes are named", () => {
    expect(error(npy(header("<c8", "(1,)"), new Uint8Array(8)))).toMatchObject({
      code: "unsupported-dtype",
      offset: 10 + "{'descr': ".length,
    });
    expect(error(npy(header("<c8", "(1,)"))).message).toMatch(
      /^dtype '<c8' \(complex64\) is not supported; kerasc reads float32 and int32\./,
    );
    expect(error(npy(header("<U5", "(1,)"))).message).toContain("dtype '<U5' (str)");
    expect(error(npy(header("|O", "(1,)"))).message).toContain("(object)");
    expect(error(npy(header("<M8[ns]", "(1,)"))).message).toContain("(datetime64)");
    expect(error(npy(header("<f16", "(1,)"))).message).toContain("(longdouble)");
    const structured = "{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (1,), }";
    expect(error(npy(structured)).message).toContain("a structured dtype");
  });

  it("truncated data says how many bytes the shape needs and how many there are", () => {
    expect(error(npy(header("<f4", "(1, 784)"), new Uint8Array(1000)))).toMatchObject({
      code: "truncated",
      message: "expected 3136 bytes of data for shape (1, 784) float32, found 1000",
    });
    const e = error(npy(header("<f8", "(3,)"), new Uint8Array(20)));
    expect(e.message).toBe("expected 24 bytes of data for shape (3,) float64, found 20");
    expect(e.offset).toBe(npy(header("<f8", "(3,)"), new Uint8Array(20)).length);
  });

  it("trailing bytes after the data", () => {
    const bytes = npy(header("<f4", "()"), f32le([1, 2]));
    expect(error(bytes)).toMatchObject({ code: "trailing-bytes", offset: bytes.length - 4 });
    expect(error(bytes).message).toContain("4 bytes follow the 4 bytes of data for shape () float32");
  });

  it("values that do not fit the target type are errors, not silent wrap-around or Infinity", () => {
    const i8 = bytesOf([1, 2 ** 31], 8, (v, at, x) => v.setBigInt64(at, BigInt(x), true));
    const bytes = npy(header("<i8", "(2,)"), i8);
    expect(error(bytes)).toMatchObject({ code: "value-out-of-range", offset: bytes.length - 8 });
    expect(error(bytes).message).toBe(
      "element 1 of this int64 array is 2147483648, which does not fit int32; kerasc reads float32 and int32",
    );
    const negative = bytesOf([-(2 ** 40)], 8, (v, at, x) => v.setBigInt64(at, BigInt(x), true));
    expect(error(npy(header("<i8", "(1,)"), negative)).message).toContain("-1099511627776");
    const u8 = bytesOf([2 ** 32], 8, (v, at, x) => v.setBigUint64(at, BigInt(x), true));
    expect(error(npy(header("<u8", "(1,)"), u8)).code).toBe("value-out-of-range");
    const u4 = bytesOf([2 ** 31], 4, (v, at, x) => v.setUint32(at, x, true));
    expect(error(npy(header("<u4", "(1,)"), u4)).code).toBe("value-out-of-range");
    const f8 = bytesOf([1e39], 8, (v, at, x) => v.setFloat64(at, x, true));
    expect(error(npy(header("<f8", "(1,)"), f8)).message).toContain("is 1e+39, which does not fit float32");
    const nan = bytesOf([Number.NaN, -Infinity], 8, (v, at, x) => v.setFloat64(at, x, true));
    expect(Array.from(ok(npy(header("<f8", "(2,)"), nan)).array.data)).toEqual([Number.NaN, -Infinity]);
  });
});

describe("serializeNpy", () => {
  it("writes exactly what numpy.save writes", () => {
    const matrix: NpyArray = { dtype: "float32", shape: [2, 3], data: new Float32Array([0, 1, 2, 3, 4, 5]) };
    expect(serializeNpy(matrix)).toEqual(NUMPY_F32_2x3);
    expect(serializeNpy({ dtype: "int32", shape: [], data: new Int32Array([-7]) })).toEqual(NUMPY_I32_SCALAR);
    expect(serializeNpy({ dtype: "float32", shape: [0], data: new Float32Array(0) })).toEqual(
      NUMPY_F32_EMPTY,
    );
  });

  it("round-trips any shape, aligning the data to 64 bytes", () => {
    const shapes = [[], [0], [1], [5], [2, 0, 3], [1, 784], [2, 3, 4, 5], [1234567, 0]];
    for (const shape of shapes) {
      const count = shape.reduce((a, b) => a * b, 1);
      for (const array of [
        { dtype: "float32" as const, shape, data: Float32Array.from({ length: count }, (_, i) => i / 3 - 7) },
        {
          dtype: "int32" as const,
          shape,
          data: Int32Array.from({ length: count }, (_, i) => i * 1000 - 2 ** 31),
        },
      ]) {
        const bytes = serializeNpy(array);
        expect((bytes.length - array.data.byteLength) % 64).toBe(0);
        expect(ok(bytes)).toEqual({ ok: true, array, sourceDtype: array.dtype });
      }
    }
  });

  it("refuses data that does not match the shape (a caller bug)", () => {
    expect(() => serializeNpy({ dtype: "float32", shape: [2, 2], data: new Float32Array(3) })).toThrow(
      RangeError,
    );
  });
});

describe("reading from a Node Buffer", () => {
  it("reads exactly the array when the bytes are a slice of Node's shared buffer pool", () => {
    const bytes = serializeNpy({
      dtype: "float32",
      shape: [2, 4],
      data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]),
    });
    // Small Buffers share one pool: Buffer.from copies into it, so `.buffer` holds other allocations too.
    const pooled = Buffer.from(bytes);
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.byteLength);
    const parsed = parseNpy(pooled);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.array.shape).toEqual([2, 4]);
      expect(Array.from(parsed.array.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    }
  });
});
