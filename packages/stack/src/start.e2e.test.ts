import assert from 'node:assert/strict';
import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '@des/shared';
import { STACK_APPS } from './apps';

const START = join(__dirname, 'start.js');

function processesMentioning(text: string): string[] {
  return execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(text) && !line.includes('ps -eo'));
}

/** Pids of the processes in a process group other than its leader. */
function groupMembers(groupId: number): number[] {
  return execFileSync('ps', ['-eo', 'pid=,pgid='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([pid, pgid]) => pgid === groupId && pid !== groupId)
    .map(([pid]) => pid!);
}

function waitForLine(child: ChildProcess, pattern: RegExp, output: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (pattern.test(output.join(''))) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('exit', (code) => reject(new Error(`stack exited (${code}):\n${output.join('')}`)));
  });
}

describe('npm start (the stack)', () => {
  let workDir: string;
  let stack: ChildProcess;
  const output: string[] = [];
  const ports: Record<string, number> = {};

  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'stack-test-'));
    await chmod(workDir, 0o755);
    for (const app of STACK_APPS) ports[app.name] = await freePort();
  });

  after(async () => {
    if (stack?.exitCode === null) process.kill(-stack.pid!, 'SIGKILL');
    await rm(workDir, { recursive: true, force: true });
  });

  it('starts PostgreSQL and every app, all healthy; Ctrl-C to the process group stops all, says so and exits 0 within 3 s of the last process', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PGDATA_DIR: join(workDir, 'postgres'),
      DEMO_DATA: 'false',
      SALES_DEMO_LOGINS_FILE: join(workDir, 'sales-db-demo-logins.txt'),
    };
    delete env.DATABASE_URL; // the embedded server is what `npm start` uses by default
    for (const app of STACK_APPS) env[app.portVariable] = String(ports[app.name]);
    // Its own process group, as a terminal starts it: Ctrl-C signals every process in the group.
    stack = spawn(process.execPath, [START], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    await waitForLine(stack, /All apps are healthy/, output);

    for (const app of STACK_APPS) {
      const response = await fetch(`http://127.0.0.1:${ports[app.name]}/health`);
      assert.equal(response.status, 200, `${app.name} /health`);
    }
    const printed = output.join('');
    for (const app of STACK_APPS)
      assert.match(printed, new RegExp(`http://localhost:${ports[app.name]}/`));
    assert.ok(processesMentioning(workDir).length > 0, 'postgres runs from the test directory');

    // Demo mode (the embedded server): one sales-db login per team, printed with the URLs, and
    // the printed password answers a report as the README's curl does.
    const logins = [...printed.matchAll(/^ {2}(\w+) +(demo_\w+) +(\S+)$/gm)];
    assert.deepEqual(
      logins.map(([, team]) => team),
      ['logistics', 'analytics', 'sales', 'checkout'],
    );
    const [, , user, password] = logins.find(([, team]) => team === 'analytics')!;
    const report = await fetch(`http://127.0.0.1:${ports['sales-db']}/reports/top-members`, {
      headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
    });
    assert.equal(report.status, 200);

    assert.ok(
      groupMembers(stack.pid!).length >= STACK_APPS.length,
      'apps and PostgreSQL in the group',
    );
    let exitedAt = 0;
    const exited = new Promise<number | null>((resolve) =>
      stack.once('exit', (code) => {
        exitedAt = Date.now();
        resolve(code);
      }),
    );
    process.kill(-stack.pid!, 'SIGINT');
    let lastStoppedAt = Date.now();
    while (exitedAt === 0 && groupMembers(stack.pid!).length > 0) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      lastStoppedAt = Date.now();
    }
    assert.equal(await exited, 0);
    assert.match(output.join(''), /Stopped: apps and PostgreSQL are down\./);
    assert.ok(
      exitedAt - lastStoppedAt < 3_000,
      `exited ${exitedAt - lastStoppedAt} ms after the last app or PostgreSQL process stopped`,
    );
    assert.deepEqual(processesMentioning(workDir), [], 'no postgres left');
    for (const app of STACK_APPS) {
      await assert.rejects(
        fetch(`http://127.0.0.1:${ports[app.name]}/health`),
        `${app.name} is down`,
      );
    }
  });

  for (const [variable, value, problem] of [
    ['BANNER_API_PORT', 'abc', /BANNER_API_PORT: must be a port number/],
    ['DATABASE_URL', 'mysql://u@127.0.0.1/x', /DATABASE_URL: must be a URL like postgres:\/\//],
  ] as const) {
    it(`refuses a malformed ${variable} before starting anything, naming it`, () => {
      const result = spawnSync(process.execPath, [START], {
        env: { ...process.env, DATABASE_URL: 'postgres://u@127.0.0.1:1/x', [variable]: value },
        encoding: 'utf8',
        timeout: 20_000,
      });
      assert.equal(result.status, 1);
      assert.match(result.stderr, problem);
    });
  }
});
