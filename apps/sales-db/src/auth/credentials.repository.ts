import { Injectable } from '@nestjs/common';
import { RequestDatabase } from '../database/request-database';
import { Team } from './teams';

export interface StoredCredential {
  team: Team;
  passwordHash: string;
}

/** Reads API credentials as the app's own role (the only role allowed to). */
@Injectable()
export class CredentialsRepository {
  constructor(private readonly database: RequestDatabase) {}

  find(name: string): Promise<StoredCredential | undefined> {
    return this.database.asApp(async (sql) => {
      const [row] = await sql<StoredCredential>(
        'SELECT team, password_hash AS "passwordHash" FROM sales.api_users WHERE name = $1',
        [name],
      );
      return row;
    });
  }
}
