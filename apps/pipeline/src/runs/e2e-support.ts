import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

export const HEADER = 'name,email,date_of_birth,mobile_no\n';

export async function dropFile(
  dir: string,
  name: string,
  rows: string[],
  header = HEADER,
): Promise<void> {
  await writeFile(join(dir, 'incoming', name), header + rows.map((row) => `${row}\n`).join(''));
}

/** Names in a folder that downstream readers would see (not hidden). */
export async function visible(dir: string, folder: string): Promise<string[]> {
  const names = await readdir(join(dir, folder)).catch(() => [] as string[]);
  return names.filter((name) => !name.startsWith('.')).sort();
}

export async function hidden(dir: string, folder: string): Promise<string[]> {
  const names = await readdir(join(dir, folder)).catch(() => [] as string[]);
  return names.filter((name) => name.startsWith('.')).sort();
}

export async function readCsv(path: string): Promise<Array<Record<string, string>>> {
  return parse(await readFile(path), { columns: true }) as Array<Record<string, string>>;
}

export function pipelineEnv(databaseUrl: string, dataDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    PIPELINE_DATA_DIR: dataDir,
    PIPELINE_CRON: 'off',
    DEMO_DATA: 'false',
    // Test files are complete when dropped; the quiet period has tests of its own.
    PIPELINE_QUIET_SECONDS: '0',
  };
}
