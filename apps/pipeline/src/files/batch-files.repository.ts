import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  copyFile,
  mkdir,
  open,
  readdir,
  rename,
  rm,
  stat,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@des/shared';
import { PipelineConfig, pipelinePaths, PipelinePaths } from '../config';
import { completeUtf8Length, encodingProblem } from '../intake/text-encoding';
import { fsyncPath } from './csv-part-writer';

export interface FileIdentity {
  sha256: string;
  size: number;
  mtimeMs: number;
  /** Why the bytes are not UTF-8 text, if they are not. */
  encodingProblem?: string;
}

export interface RunOutputs {
  successful: string;
  failed: string;
}

/** A file's header bytes, skipped when parts are joined after the first. */
export interface OutputPart {
  path: string;
  headerBytes: number;
}

/** Everything the pipeline does on disk: incoming files, output parts, publishing, moves. */
@Injectable()
export class BatchFilesRepository {
  readonly paths: PipelinePaths;

  constructor(@Inject(APP_CONFIG) config: PipelineConfig) {
    this.paths = pipelinePaths(config);
  }

  async ensureFolders(): Promise<void> {
    for (const folder of Object.values(this.paths)) await mkdir(folder, { recursive: true });
  }

  /**
   * SHA-256 of the content and whether it is valid UTF-8, in one pass through one reused
   * buffer (no garbage per chunk, so memory stays flat whatever the file size). Only a file
   * that fails the check is read again, to name the line of its first bad byte; a `.csv.gz` is
   * hashed as stored and its decompressed text checked.
   */
  async identify(path: string, gzip = false): Promise<FileIdentity> {
    const handle = await open(path, 'r');
    let identity: FileIdentity;
    try {
      const before = await handle.stat();
      const hash = createHash('sha256');
      const buffer = Buffer.allocUnsafe(1 << 20);
      let carried = 0; // bytes of an unfinished character kept at the buffer's start
      let valid = true;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, carried, buffer.length - carried, null);
        if (bytesRead === 0) break;
        const end = carried + bytesRead;
        hash.update(buffer.subarray(carried, end));
        if (gzip || !valid) continue;
        const cut = completeUtf8Length(buffer.subarray(0, end));
        valid = isUtf8(buffer.subarray(0, cut));
        buffer.copy(buffer, 0, cut, end);
        carried = end - cut;
      }
      identity = { sha256: hash.digest('hex'), size: before.size, mtimeMs: before.mtimeMs };
      valid = valid && carried === 0;
      if (gzip || !valid) identity.encodingProblem = await encodingProblem(path, gzip);
    } finally {
      await handle.close();
    }
    return identity;
  }

  /** True when the file still has the size and modification time it had when identified. */
  async unchangedSince(path: string, identity: FileIdentity): Promise<boolean> {
    const now = await stat(path).catch(() => undefined);
    return now !== undefined && now.size === identity.size && now.mtimeMs === identity.mtimeMs;
  }

  /**
   * Where a run writes one input's parts: in its work folder, never in a published folder, so
   * no reader can take a part of a run that may still reject the file or fail.
   */
  partPaths(runId: string, fileIndex: number) {
    return {
      successPart: join(this.workDir(runId), `successful.part${fileIndex}.csv`),
      failedPart: join(this.workDir(runId), `failed.part${fileIndex}.csv`),
      spillPath: join(this.workDir(runId), `ambiguous-dates.${fileIndex}.jsonl`),
    };
  }

  /** A run's own work folder (spill files), deleted with its temporaries. */
  workDir(runId: string): string {
    return join(this.paths.work, runId);
  }

  async prepareRun(runId: string): Promise<void> {
    await this.ensureFolders();
    await mkdir(this.workDir(runId), { recursive: true });
  }

  outputPaths(runId: string): RunOutputs {
    return {
      successful: join(this.paths.successful, `applications_${runId}.csv`),
      failed: join(this.paths.failed, `applications_${runId}.csv`),
    };
  }

  /**
   * Joins a run's parts into each output's temporary file (`.<name>.tmp`, beside the final
   * name so the later rename is atomic) and makes it durable. One part is simply renamed.
   */
  async assemble(
    runId: string,
    successParts: OutputPart[],
    failedParts: OutputPart[],
  ): Promise<void> {
    const outputs = this.outputPaths(runId);
    await joinParts(successParts, temporaryOf(outputs.successful));
    await joinParts(failedParts, temporaryOf(outputs.failed));
  }

  /** Renames the temporary outputs into place (idempotent, so recovery can repeat it). */
  async publish(runId: string): Promise<RunOutputs> {
    const outputs = this.outputPaths(runId);
    for (const final of [outputs.successful, outputs.failed]) {
      const temporary = temporaryOf(final);
      if (await exists(temporary)) {
        await rename(temporary, final);
        await fsyncPath(dirname(final));
      }
    }
    return outputs;
  }

  /** A free path for a file in a folder, keeping its name when nothing is there yet. */
  async destinationFor(
    folder: 'processed' | 'rejected',
    fileName: string,
    runId: string,
  ): Promise<string> {
    const wanted = join(this.paths[folder], fileName);
    if (!(await exists(wanted))) return wanted;
    const extension = extname(fileName);
    return join(this.paths[folder], `${basename(fileName, extension)}.${runId}${extension}`);
  }

  /**
   * Moves an input to its destination (with a reason file beside it when given). Idempotent:
   * an input already moved is left alone, so a crashed run's moves can be redone.
   */
  async moveInput(fileName: string, destination: string, reason?: string): Promise<boolean> {
    const source = join(this.paths.incoming, fileName);
    if (reason !== undefined) {
      const reasonFile = `${destination}.reason.txt`;
      await writeFile(`${reasonFile}.tmp`, `${fileName}: ${reason}\n`);
      await rename(`${reasonFile}.tmp`, reasonFile);
    }
    if (!(await exists(source)) || (await exists(destination))) return false;
    try {
      await rename(source, destination);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      // Another filesystem: copy durably, then remove the original.
      await copyFile(source, destination);
      await fsyncPath(destination);
      await unlink(source);
    }
    await fsyncPath(dirname(destination));
    return true;
  }

  async incomingIdentity(fileName: string): Promise<FileIdentity | undefined> {
    const path = join(this.paths.incoming, fileName);
    return (await exists(path)) ? this.identify(path, /\.gz$/i.test(fileName)) : undefined;
  }

  async removeParts(paths: string[]): Promise<void> {
    await Promise.all(paths.map((path) => rm(path, { force: true })));
  }

  /** Deletes every temporary file a run may have left: parts, temporary outputs, spills. */
  async removeTemporaries(runId: string): Promise<void> {
    const prefix = `.applications_${runId}.`;
    for (const folder of [this.paths.successful, this.paths.failed]) {
      const names = await readdir(folder).catch(() => [] as string[]);
      for (const name of names.filter((n) => n.startsWith(prefix))) {
        await rm(join(folder, name), { force: true });
      }
    }
    await rm(this.workDir(runId), { recursive: true, force: true });
  }
}

export function temporaryOf(finalPath: string): string {
  return join(dirname(finalPath), `.${basename(finalPath)}.tmp`);
}

async function joinParts(parts: OutputPart[], target: string): Promise<void> {
  if (parts.length === 1) {
    try {
      await rename(parts[0].path, target);
      await fsyncPath(target);
      return;
    } catch (error) {
      // A work folder on another filesystem: copy the part instead.
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    }
  }
  const out = await open(target, 'wx');
  try {
    for (const [index, part] of parts.entries()) {
      const start = index === 0 ? 0 : part.headerBytes;
      for await (const chunk of createReadStream(part.path, { start, highWaterMark: 1 << 16 })) {
        await out.write(chunk as Buffer);
      }
    }
    await out.sync();
  } finally {
    await out.close();
  }
  for (const part of parts) await rm(part.path, { force: true });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
