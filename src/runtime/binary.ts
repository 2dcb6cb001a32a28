// Little-endian typed-array I/O and float16 decoding shared by the .npy and TF.js weights readers.

/** Element types the runtime keeps weights and model inputs in. */
export type NumericArray = Float32Array | Int32Array;

/** True on every platform kerasc targets; checked so a big-endian host still reads files correctly. */
const hostIsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * `count` little-endian 4-byte elements starting at `bytes[offset]`, copied into a fresh array (so the
 * result is aligned and does not keep the file's buffer alive).
 */
export function readLittleEndian32(
  bytes: Uint8Array,
  offset: number,
  count: number,
  dtype: "float32" | "int32",
): NumericArray {
  // Uint8Array.prototype.slice, not `bytes.slice`: on a Node Buffer `slice` is a view into Node's shared
  // pool, whose `.buffer` holds other data.
  const copy = Uint8Array.prototype.slice.call(bytes, offset, offset + count * 4);
  if (hostIsLittleEndian)
    return dtype === "float32" ? new Float32Array(copy.buffer) : new Int32Array(copy.buffer);
  const view = new DataView(copy.buffer);
  const out = dtype === "float32" ? new Float32Array(count) : new Int32Array(count);
  for (let i = 0; i < count; i++)
    out[i] = dtype === "float32" ? view.getFloat32(i * 4, true) : view.getInt32(i * 4, true);
  return out;
}

/** The bytes of `data` in little-endian order (a copy). */
export function toLittleEndianBytes(data: NumericArray): Uint8Array {
  const bytes = new Uint8Array(data.byteLength);
  if (hostIsLittleEndian) {
    bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return bytes;
  }
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) {
    if (data instanceof Float32Array) view.setFloat32(i * 4, data[i]!, true);
    else view.setInt32(i * 4, data[i]!, true);
  }
  return bytes;
}

/** The value of an IEEE 754 half-precision number given as its 16 bits (exact: float16 ⊂ float32). */
export function float16BitsToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // zero or subnormal
  if (exponent === 0x1f) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/**
 * The number of elements of a shape (1 for a scalar), or undefined when a dim is not a non-negative
 * integer or the product is beyond exact integer arithmetic.
 */
export function elementCount(shape: readonly number[]): number | undefined {
  let count = 1;
  for (const dim of shape) {
    if (!Number.isSafeInteger(dim) || dim < 0) return undefined;
    count *= dim;
    if (!Number.isSafeInteger(count)) return undefined;
  }
  return count;
}
