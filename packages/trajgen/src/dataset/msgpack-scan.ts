/**
 * Finds where one msgpack value ends without decoding it, so a shard (records concatenated with
 * no framing) can be walked record by record and a broken record located by its byte offset.
 */

/** Why a value could not be delimited; `at` is the offending byte offset. */
export class MsgpackScanError extends Error {
  readonly at: number;

  constructor(at: number, message: string) {
    super(message);
    this.name = 'MsgpackScanError';
    this.at = at;
  }
}

/**
 * Returns the offset just past the msgpack value that starts at `start` in `bytes[..end)`.
 * Throws a {@link MsgpackScanError} if the value runs past `end` (truncated), uses the reserved
 * byte 0xC1, or uses an extension type (dataset records never contain one).
 */
export function msgpackValueEnd(bytes: Uint8Array, start: number, end = bytes.length): number {
  let position = start;
  // Values still to skip; each takes at least one byte, which bounds the loop by the input size.
  let pending = 1;
  const need = (count: number, at: number) => {
    if (position + count > end) {
      throw new MsgpackScanError(at, `truncated: needs ${position + count - start} bytes from the record start, ${end - start} left in the file`);
    }
  };
  const uint = (size: 1 | 2 | 4, at: number): number => {
    need(size, at);
    let value = 0;
    for (let i = 0; i < size; i++) value = value * 256 + bytes[position + i];
    position += size;
    return value;
  };
  while (pending > 0) {
    if (pending > end - position) {
      throw new MsgpackScanError(position, `truncated: ${pending} more values expected but only ${end - position} bytes left in the file`);
    }
    const at = position;
    const type = bytes[position++];
    pending--;
    if (type <= 0x7f || type >= 0xe0 || type === 0xc0 || type === 0xc2 || type === 0xc3) continue;
    if (type >= 0x80 && type <= 0x8f) pending += 2 * (type & 0x0f);
    else if (type >= 0x90 && type <= 0x9f) pending += type & 0x0f;
    else if (type >= 0xa0 && type <= 0xbf) {
      need(type & 0x1f, at);
      position += type & 0x1f;
    } else {
      switch (type) {
        case 0xc4: case 0xd9: { const length = uint(1, at); need(length, at); position += length; break; }
        case 0xc5: case 0xda: { const length = uint(2, at); need(length, at); position += length; break; }
        case 0xc6: case 0xdb: { const length = uint(4, at); need(length, at); position += length; break; }
        case 0xca: need(4, at); position += 4; break;
        case 0xcb: need(8, at); position += 8; break;
        case 0xcc: case 0xd0: need(1, at); position += 1; break;
        case 0xcd: case 0xd1: need(2, at); position += 2; break;
        case 0xce: case 0xd2: need(4, at); position += 4; break;
        case 0xcf: case 0xd3: need(8, at); position += 8; break;
        case 0xdc: pending += uint(2, at); break;
        case 0xdd: pending += uint(4, at); break;
        case 0xde: pending += 2 * uint(2, at); break;
        case 0xdf: pending += 2 * uint(4, at); break;
        case 0xc1:
          throw new MsgpackScanError(at, `invalid msgpack byte 0xc1 at offset ${at}`);
        default:
          // 0xc7–0xc9 and 0xd4–0xd8: extension types, which dataset records never use.
          throw new MsgpackScanError(at, `unexpected msgpack extension type 0x${type.toString(16)} at offset ${at}`);
      }
    }
  }
  return position;
}
