import { Dirent } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A file of the incoming folder that looks complete: a run may claim it. */
export interface IncomingFile {
  name: string;
  path: string;
  /** `.csv.gz`: read through gunzip. */
  gzip: boolean;
}

/** An entry of the incoming folder a run did not take, and why (listed in the run summary). */
export interface NotTaken {
  name: string;
  reason: string;
}

export interface IncomingScan {
  files: IncomingFile[];
  notTaken: NotTaken[];
}

const CSV = /\.csv$/i;
const GZIPPED_CSV = /\.csv\.gz$/i;

/**
 * The incoming folder's entries, split into the files a run may take and the rest, each with
 * why. A file is taken only when it looks complete: it has not changed for `quietMs` (a file
 * changed more recently is waited for, once, then checked again), and a plain CSV's last line
 * has its line ending (a producer that stalls half way through a row is never read).
 */
export async function scanIncoming(folder: string, quietMs: number): Promise<IncomingScan> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as Dirent[];
      throw error;
    },
  );
  entries.sort((a, b) => a.name.localeCompare(b.name));
  const notTaken: NotTaken[] = [];
  const candidates: Array<IncomingFile & { size: number; mtimeMs: number }> = [];
  for (const entry of entries) {
    const reason = entryProblem(entry);
    if (reason) {
      notTaken.push({ name: entry.name, reason });
      continue;
    }
    const path = join(folder, entry.name);
    const info = await stat(path).catch(() => undefined);
    if (!info) continue; // taken by another run meanwhile
    candidates.push({
      name: entry.name,
      path,
      gzip: GZIPPED_CSV.test(entry.name),
      size: info.size,
      mtimeMs: info.mtimeMs,
    });
  }

  const youngest = Math.max(0, ...candidates.map((file) => file.mtimeMs));
  const wait = youngest + quietMs - Date.now();
  if (quietMs > 0 && candidates.length && wait > 0) await sleep(wait);

  const files: IncomingFile[] = [];
  for (const { size, mtimeMs, ...file } of candidates) {
    const info = quietMs > 0 ? await stat(file.path).catch(() => undefined) : { size, mtimeMs };
    if (!info) continue;
    if (info.size !== size || info.mtimeMs !== mtimeMs) {
      notTaken.push({
        name: file.name,
        reason: `still being written: it changed within the quiet period (${quietMs / 1000} s); left for the next run`,
      });
    } else if (!file.gzip && size > 0 && !(await endsWithLineBreak(file.path, size))) {
      notTaken.push({
        name: file.name,
        reason: 'incomplete: its last line has no line ending; left for the next run',
      });
    } else {
      files.push(file);
    }
  }
  return { files, notTaken };
}

/** Why an entry is not a batch to read, if it is not. */
function entryProblem(entry: Dirent): string | undefined {
  if (entry.name.startsWith('.')) return 'hidden: a producer is still writing it';
  if (entry.isDirectory()) return 'a folder: only files directly in the incoming folder are read';
  if (!entry.isFile()) return 'not a regular file';
  if (!CSV.test(entry.name) && !GZIPPED_CSV.test(entry.name)) {
    return 'not a CSV batch: only *.csv and *.csv.gz are read';
  }
  return undefined;
}

async function endsWithLineBreak(path: string, size: number): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] === 0x0a || last[0] === 0x0d;
  } finally {
    await handle.close();
  }
}
