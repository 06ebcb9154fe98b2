import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { contentSha256 } from './delivery-folders.repository';
import { LoadError } from './errors';
import { ChecksummedDelivery, Delivery, SourceFile } from './warehouse-job';

/** Reads the whole file to take its SHA-256. */
async function readSha256(file: SourceFile): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(file.path)) hash.update(chunk as Buffer);
  } catch (error) {
    throw new LoadError(`${file.path}: cannot read (${(error as Error).message})`);
  }
  return hash.digest('hex');
}

function checksummed(
  delivery: Delivery,
  sha256: (file: SourceFile) => string,
): ChecksummedDelivery {
  const files = delivery.files.map((file) => ({ ...file, sha256: sha256(file) }));
  return { ...delivery, files, contentSha256: contentSha256(files.map((file) => file.sha256)) };
}

/** Every file of the delivery read once for its SHA-256 (before a load, for the skip rule). */
export async function checksumDelivery(delivery: Delivery): Promise<ChecksummedDelivery> {
  const hashes = new Map<string, string>();
  for (const file of delivery.files) hashes.set(file.path, await readSha256(file));
  return checksummed(delivery, (file) => hashes.get(file.path) as string);
}

/**
 * The SHA-256 of a run's files, taken from the very bytes the job loads: a job streaming a file
 * puts `tap(file)` right after its read stream, so the file is read once and the recorded
 * checksum is of exactly what was loaded. Files a job reads otherwise (Parquet, by random access)
 * are read for their checksum when the run completes.
 */
export class FileChecksums {
  private readonly loaded = new Map<string, string>();

  /** `before`: the delivery as checksummed before the run (when the skip rule needed it). */
  constructor(private readonly before?: ChecksummedDelivery) {}

  /** A pass-through stream hashing a file's bytes as read from disk (a gzip before gunzip). */
  tap(file: SourceFile): Transform {
    const hash = createHash('sha256');
    const loaded = this.loaded;
    return new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        callback(null, chunk);
      },
      flush(callback) {
        loaded.set(file.path, hash.digest('hex'));
        callback();
      },
    });
  }

  /**
   * Every file's checksum: as loaded, else read now. A file whose loaded bytes differ from its
   * checksum before the run changed while it was loaded: the run fails rather than record one
   * content and load another.
   */
  async complete(delivery: Delivery): Promise<ChecksummedDelivery> {
    for (const file of delivery.files) {
      if (!this.loaded.has(file.path)) this.loaded.set(file.path, await readSha256(file));
      const before = this.before?.files.find((earlier) => earlier.path === file.path)?.sha256;
      if (before !== undefined && before !== this.loaded.get(file.path)) {
        throw new LoadError(`${file.path}: changed while it was loaded (SHA-256 differs)`);
      }
    }
    return checksummed(delivery, (file) => this.loaded.get(file.path) as string);
  }
}
