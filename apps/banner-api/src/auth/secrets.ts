import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError, findRepoRoot } from '@des/shared';
import { BannerApiConfig } from '../config';

export interface BannerSecrets {
  /** Token name -> token. */
  importTokens: Map<string, string>;
  cookieSecret: string;
  /** Variables that were not set and came from (or were written to) the secrets file. */
  generated: Array<'BANNER_IMPORT_TOKEN' | 'BANNER_COOKIE_SECRET'>;
  file: string;
}

export const secretsFile = () => join(findRepoRoot(), '.data', 'banner-api', 'secrets.json');

/**
 * The import token(s) and the cookie secret. Production refuses to start without them (one
 * message naming both); elsewhere a missing one is generated once, stored in
 * `.data/banner-api/secrets.json` (mode 0600) and reused, so restarts and local replicas agree.
 */
export function resolveSecrets(config: BannerApiConfig, file = secretsFile()): BannerSecrets {
  const missing = (['BANNER_IMPORT_TOKEN', 'BANNER_COOKIE_SECRET'] as const).filter(
    (name) => !config[name],
  );
  if (config.NODE_ENV === 'production' && missing.length) {
    throw new ConfigError(missing.map((name) => `${name}: required in production (it is not set)`));
  }
  let stored: Partial<Record<(typeof missing)[number], string>> = {};
  if (missing.length) stored = readOrCreate(file);
  return {
    importTokens: parseTokens(config.BANNER_IMPORT_TOKEN ?? stored.BANNER_IMPORT_TOKEN!),
    cookieSecret: config.BANNER_COOKIE_SECRET ?? stored.BANNER_COOKIE_SECRET!,
    generated: missing,
    file,
  };
}

function readOrCreate(file: string): Record<string, string> {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    mkdirSync(dirname(file), { recursive: true });
    const fresh = {
      BANNER_IMPORT_TOKEN: `demo=${randomBytes(18).toString('base64url')}`,
      BANNER_COOKIE_SECRET: randomBytes(32).toString('base64url'),
    };
    try {
      // 'wx': two processes starting together keep the first one's file.
      writeFileSync(file, JSON.stringify(fresh, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
      return fresh;
    } catch {
      return JSON.parse(readFileSync(file, 'utf8'));
    }
  }
}

/** `token` (named `operator`) or `name=token,name2=token2`. */
export function parseTokens(value: string): Map<string, string> {
  return new Map(
    value.split(',').map((pair) => {
      const at = pair.indexOf('=');
      return at < 0 ? ['operator', pair] : [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}
