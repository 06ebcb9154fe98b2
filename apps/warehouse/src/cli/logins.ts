import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { resolveUserPath } from '@des/shared';
import { Client } from 'pg';
import { WAREHOUSE_ROLES, WarehouseRole } from '../database/roles';
import { LOGIN_NAME, LoginsRepository } from '../security/logins.repository';

export interface LoginCommand {
  action: 'create' | 'drop';
  name: string;
  role?: WarehouseRole;
  password?: string;
}

/**
 * `create-login --role load|analyst --name N [--password-file F]` (else WAREHOUSE_LOGIN_PASSWORD)
 * and `drop-login --name N`. The password never appears on the command line or in output.
 */
export async function parseLoginArgs(
  action: LoginCommand['action'],
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<LoginCommand> {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      'password-file': { type: 'string' },
    },
  });
  if (!values.name || !LOGIN_NAME.test(values.name)) {
    throw new Error('--name must be a lower-case identifier such as warehouse_loader');
  }
  if (action === 'drop') return { action, name: values.name };
  if (!values.role || !(values.role in WAREHOUSE_ROLES)) {
    throw new Error(`--role must be one of ${Object.keys(WAREHOUSE_ROLES).join(', ')}`);
  }
  const password = values['password-file']
    ? (await readFile(resolveUserPath(values['password-file']), 'utf8')).replace(/\r?\n$/, '')
    : env.WAREHOUSE_LOGIN_PASSWORD;
  if (!password || password.length < 12) {
    throw new Error(
      'the password comes from --password-file FILE or WAREHOUSE_LOGIN_PASSWORD, at least 12 characters',
    );
  }
  return { action, name: values.name, role: values.role as WarehouseRole, password };
}

/** Runs a login command on an administrator's connection (the DATABASE_URL login). */
export async function runLoginCommand(adminUrl: string, command: LoginCommand): Promise<string> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const logins = new LoginsRepository(client);
    if (command.action === 'create') {
      await logins.create(command.name, command.role!, command.password!);
      return `created login ${command.name} in ${WAREHOUSE_ROLES[command.role!]}`;
    }
    return (await logins.drop(command.name))
      ? `dropped login ${command.name}`
      : `no warehouse login named ${command.name}; nothing dropped`;
  } finally {
    await client.end();
  }
}
