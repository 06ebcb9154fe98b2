import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** The bytes of a batch as the CSV reader sees them: decompressed when it is `.csv.gz`. */
export function readBatchBytes(path: string, gzip: boolean): Readable {
  const source = createReadStream(path, { highWaterMark: 1 << 16 });
  if (!gzip) return source;
  const gunzip = createGunzip({ chunkSize: 1 << 16 });
  source.on('error', (error) => gunzip.destroy(error));
  return source.pipe(gunzip);
}

/** Length of the prefix that ends on a character boundary (a split sequence waits for the next chunk). */
export function completeUtf8Length(bytes: Buffer): number {
  const end = bytes.length;
  for (let back = 1; back <= Math.min(3, end); back++) {
    const byte = bytes[end - back];
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: look further back
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? end - back : end;
  }
  return end;
}

/**
 * Why a batch's text is not UTF-8, naming the line of the first bad byte, or undefined. Reads
 * the (decompressed) bytes once; chunks are checked whole with `isUtf8`, and only a bad chunk is
 * walked byte by byte to find the line.
 */
export async function encodingProblem(path: string, gzip: boolean): Promise<string | undefined> {
  let line = 1;
  let carried = Buffer.alloc(0);
  let first = true;
  try {
    for await (const chunk of readBatchBytes(path, gzip) as AsyncIterable<Buffer>) {
      if (
        first &&
        chunk.length >= 2 &&
        ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))
      ) {
        return 'unreadable encoding: UTF-16 byte order mark at line 1; files must be UTF-8';
      }
      first = false;
      const bytes = carried.length ? Buffer.concat([carried, chunk]) : chunk;
      const cut = completeUtf8Length(bytes);
      const whole = bytes.subarray(0, cut);
      if (!isUtf8(whole)) return notUtf8(line + lineBreaksBefore(whole, firstInvalidByte(whole)));
      line += lineBreaksBefore(whole, whole.length);
      carried = Buffer.from(bytes.subarray(cut));
    }
  } catch (error) {
    if (gzip) return `unreadable gzip at line ${line}: ${(error as Error).message}`;
    throw error;
  }
  return carried.length ? notUtf8(line, 'a character cut off at the end of the file') : undefined;
}

function notUtf8(line: number, what = 'bytes that are not UTF-8'): string {
  return `unreadable encoding: ${what} at line ${line}; files must be UTF-8`;
}

function lineBreaksBefore(bytes: Buffer, end: number): number {
  let count = 0;
  for (let at = bytes.indexOf(0x0a); at !== -1 && at < end; at = bytes.indexOf(0x0a, at + 1)) {
    count += 1;
  }
  return count;
}

/** Offset of the first byte that starts no valid UTF-8 sequence (the bytes are known bad). */
function firstInvalidByte(bytes: Buffer): number {
  let at = 0;
  while (at < bytes.length) {
    const length = validSequenceLength(bytes, at);
    if (length === 0) return at;
    at += length;
  }
  return bytes.length;
}

/** Length of the valid UTF-8 sequence starting at `at`, 0 when there is none. */
function validSequenceLength(bytes: Buffer, at: number): number {
  const lead = bytes[at];
  if (lead < 0x80) return 1;
  const length = lead >= 0xf0 && lead <= 0xf4 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 ? 2 : 0;
  if (length === 0 || lead > 0xf4 || at + length > bytes.length) return 0;
  return isUtf8(bytes.subarray(at, at + length)) ? length : 0;
}
