import { createReadStream } from 'node:fs';
import { Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Client, DatabaseError } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { SourceFileError } from '../loads/errors';
import { FileChecksums } from '../loads/file-checksums';
import { SourceFile } from '../loads/warehouse-job';
import { copyStatement, SUPPLIER_COLUMNS } from './supplier-columns';

const PIPE = 0x7c;
const NEWLINE = 0x0a;
/** Enough for any first line (a supplier line is under 300 bytes). */
const HEAD_LIMIT = 64 * 1024;

/** What one part contributed: rows COPY stored and lines read from the file (independently). */
export interface PartResult {
  rowsCopied: number;
  linesRead: number;
  bytesRead: number;
}

/** Counts bytes and lines on their way to COPY, and reports progress. */
class LineCounter extends Transform {
  lines = 0;
  bytes = 0;
  private lastByte = NEWLINE;

  constructor(private readonly onChunk: (bytes: number, lines: number) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let at = chunk.indexOf(NEWLINE);
    while (at !== -1) {
      this.lines += 1;
      at = chunk.indexOf(NEWLINE, at + 1);
    }
    this.bytes += chunk.length;
    this.lastByte = chunk[chunk.length - 1];
    this.onChunk(chunk.length, this.lines);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    // A last line without its newline is still a line.
    if (this.bytes > 0 && this.lastByte !== NEWLINE) this.lines += 1;
    callback();
  }
}

/**
 * How many fields the first line has decides the COPY: 7 (no trailing pipe) or 8 with an empty
 * last one (dbgen's trailing `|`). Reads only the head of the file.
 */
async function hasTrailingPipe(file: SourceFile): Promise<boolean> {
  const head = await readHead(file);
  const newline = head.indexOf(NEWLINE);
  const line = head.subarray(0, newline === -1 ? head.length : newline);
  let pipes = 0;
  for (const byte of line) if (byte === PIPE) pipes += 1;
  const fields = pipes + 1;
  if (fields === SUPPLIER_COLUMNS.length) return false;
  if (fields === SUPPLIER_COLUMNS.length + 1 && line[line.length - 1] === PIPE) return true;
  throw new SourceFileError(
    file.name,
    `expected ${SUPPLIER_COLUMNS.length} fields separated by "|" (optionally ending with "|"), found ${fields}`,
    { line: 1 },
  );
}

async function readHead(file: SourceFile): Promise<Buffer> {
  const source = createReadStream(file.path);
  const stream = file.name.endsWith('.gz') ? source.pipe(createGunzip()) : source;
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      if ((chunk as Buffer).includes(NEWLINE) || length > HEAD_LIMIT) break;
    }
  } catch (error) {
    throw gzipError(file, error);
  } finally {
    source.destroy();
  }
  return Buffer.concat(chunks);
}

/**
 * Streams one `.tbl` / `.tbl.gz` part into the stage by COPY; nothing is held whole in memory.
 * The file's bytes are checksummed on that same read (a gzip's before gunzip).
 */
export async function copyTblPart(
  client: Client,
  file: SourceFile,
  checksums: FileChecksums,
  onRead: (bytes: number, lines: number) => void,
): Promise<PartResult> {
  const gzip = file.name.endsWith('.gz');
  return copyIntoStage(client, {
    file,
    trailing: await hasTrailingPipe(file),
    sources: [createReadStream(file.path), checksums.tap(file), ...(gzip ? [createGunzip()] : [])],
    position: (line) => ({ line }),
    onRead,
  });
}

export interface StageCopy {
  file: SourceFile;
  /** Whether each line ends with dbgen's trailing "|". */
  trailing: boolean;
  /** The streams producing the part's pipe-delimited text, in pipeline order. */
  sources: Array<NodeJS.ReadableStream | NodeJS.ReadWriteStream>;
  /** Where line N of the COPY text is in the file (a line, or a row of a row group). */
  position(line: number): SourceFileError['position'];
  /** Bytes of the part's text so far and its lines so far. */
  onRead(bytes: number, lines: number): void;
}

/** COPYs one part's text into the stage, counting its lines, naming the place of any error. */
export async function copyIntoStage(client: Client, part: StageCopy): Promise<PartResult> {
  const copy = client.query(copyFrom(copyStatement(part.trailing)));
  const counter = new LineCounter(part.onRead);
  try {
    await pipeline([...part.sources, counter, copy] as NodeJS.ReadWriteStream[]);
  } catch (error) {
    throw partError(part, error, counter.lines + 1);
  }
  return { rowsCopied: copy.rowCount, linesRead: counter.lines, bytesRead: counter.bytes };
}

/**
 * COPY errors carry `line N, column C` in their context (the part is this file); `line` is where
 * the text stopped, for errors of the streams before COPY (gzip).
 */
function partError(part: StageCopy, error: unknown, line: number): Error {
  if (error instanceof DatabaseError) {
    const where = /line (\d+)(?:, column (\w+))?/.exec(error.where ?? '');
    const { problem, column } = copyProblem(error, part.trailing);
    return new SourceFileError(part.file.name, problem, {
      ...(where ? part.position(Number(where[1])) : {}),
      column: where?.[2] ?? column,
    });
  }
  return gzipError(part.file, error, line);
}

/** PostgreSQL's own wording, made about the file rather than the table. */
function copyProblem(
  error: DatabaseError,
  trailing: boolean,
): { problem: string; column?: string } {
  const expected = `${SUPPLIER_COLUMNS.length} fields${trailing ? ' and a trailing "|" (like line 1)' : ' (like line 1)'}`;
  if (/extra data after last expected column/.test(error.message)) {
    return {
      problem: `more fields than ${expected}`,
      column: `after ${trailing ? 's_comment|' : 's_comment'}`,
    };
  }
  const missing = /missing data for column "(\w+)"/.exec(error.message);
  if (missing) return { problem: `fewer fields than ${expected}`, column: missing[1] };
  // A not-null violation names its column in the error, not in COPY's context.
  return { problem: error.message, column: error.column };
}

function gzipError(file: SourceFile, error: unknown, line?: number): Error {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (code.startsWith('Z_') || /unexpected end of file|incorrect header/.test(String(error))) {
    return new SourceFileError(
      file.name,
      `truncated or corrupt gzip (${(error as Error).message})`,
      { line },
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
