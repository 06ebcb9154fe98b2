import { Inject, Injectable, Logger } from '@nestjs/common';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { APP_CONFIG } from '@des/shared';
import { UsersRepository } from '../auth/users.repository';
import { UsersService } from '../auth/users.service';
import { TEAMS } from '../auth/teams';
import { SalesDbConfig } from '../config';
import { SalesDatabase } from '../database/sales-database';

export interface DemoLogin {
  team: string;
  name: string;
  password: string;
}

/** `demo_<team>`: the demo's login of each team. */
export const demoLoginName = (team: string): string => `demo_${team}`;

/**
 * Demo mode only: one login per team, so a newcomer can call every route at once. Created on the
 * first start (a login that exists is left alone: its password was shown when it was made),
 * printed once in the start-up log and written to SALES_DEMO_LOGINS_FILE, mode 0600, one
 * `team<TAB>user<TAB>password` line each. Production (an external DATABASE_URL) gets none unless
 * SALES_DEMO_LOGINS=true asks for them.
 */
@Injectable()
export class DemoLoginsService {
  private readonly logger = new Logger(DemoLoginsService.name);

  constructor(
    @Inject(APP_CONFIG)
    private readonly config: Pick<
      SalesDbConfig,
      'SALES_DEMO_LOGINS' | 'SALES_DEMO_LOGINS_FILE' | 'DATABASE_URL' | 'PORT'
    >,
    private readonly database: SalesDatabase,
  ) {}

  get enabled(): boolean {
    const { SALES_DEMO_LOGINS: wanted, DATABASE_URL } = this.config;
    return wanted === 'true' || (wanted === 'auto' && !DATABASE_URL);
  }

  /** Creates the missing demo logins; returns those created now. */
  async ensure(): Promise<DemoLogin[]> {
    if (!this.enabled) return [];
    const client = await this.database.adminPool.connect();
    const created: DemoLogin[] = [];
    try {
      const { rows } = await client.query<{ name: string }>(
        'SELECT name FROM sales.api_users WHERE name = ANY($1)',
        [TEAMS.map(demoLoginName)],
      );
      const existing = new Set(rows.map((row) => row.name));
      const users = new UsersService(new UsersRepository(client));
      for (const team of TEAMS.filter((team) => !existing.has(demoLoginName(team)))) {
        created.push(await users.add(team, demoLoginName(team)));
      }
    } finally {
      client.release();
    }
    if (created.length > 0) await this.record(created);
    return created;
  }

  private async record(created: DemoLogin[]): Promise<void> {
    const file = this.config.SALES_DEMO_LOGINS_FILE;
    const lines = new Map<string, string>();
    const previous = await readFile(file, 'utf8').catch(() => '');
    for (const line of previous.split('\n').filter(Boolean)) lines.set(line.split('\t')[1], line);
    for (const login of created) {
      lines.set(login.name, `${login.team}\t${login.name}\t${login.password}`);
    }
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${[...lines.values()].join('\n')}\n`, { mode: 0o600 });
    await chmod(file, 0o600); // an older file keeps its mode on rewrite
    this.logger.log(
      {
        file,
        logins: created.map((login) => `${login.team}: ${login.name} / ${login.password}`),
      },
      `demo logins created, shown once (also in ${file}); try: curl -u ${demoLoginName('analytics')}:<password> http://127.0.0.1:${this.config.PORT}/reports/top-members`,
    );
  }
}
