import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface ScriptResult {
  /** The exit code (0 on success). */
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a built script (a CLI's dist/…/main.js) in its own node process, as `npm run <cli>`
 * does, and resolves with its exit code and output whether it succeeds or fails.
 */
export async function runNodeScript(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<ScriptResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [script, ...args], {
      env,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failure.code !== 'number') throw error;
    return { code: failure.code, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}
