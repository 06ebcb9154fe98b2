import { resolve } from 'node:path';

/**
 * A path typed by the person at the terminal, made absolute against the folder they typed it in.
 * `npm run <cli> -w apps/<app>` runs in the app's folder; npm keeps the caller's in INIT_CWD.
 */
export function resolveUserPath(path: string): string {
  return resolve(process.env.INIT_CWD ?? process.cwd(), path);
}
