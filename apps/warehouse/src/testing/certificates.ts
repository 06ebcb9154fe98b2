import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface TestCertificates {
  /** The CA that signed the server certificate. */
  caFile: string;
  /** Another CA, which did not. */
  otherCaFile: string;
  serverCertFile: string;
  serverKeyFile: string;
}

const openssl = (dir: string, args: string[]) =>
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });

// prettier-ignore
function makeCa(dir: string, name: string): void {
  openssl(dir, [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
}

/**
 * A throwaway CA and a server certificate it signed for 127.0.0.1 and localhost (what
 * `sslmode=verify-full` checks), plus an unrelated CA, all made with the machine's openssl.
 */
// prettier-ignore
export async function makeTestCertificates(dir: string): Promise<TestCertificates> {
  makeCa(dir, 'test-ca');
  makeCa(dir, 'other-ca');
  openssl(dir, [
    'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1',
  ]);
  await writeFile(
    join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  openssl(dir, [
    'x509', '-req', '-in', 'server.csr', '-CA', 'test-ca.crt', '-CAkey', 'test-ca.key',
    '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'server.ext',
  ]);
  return {
    caFile: join(dir, 'test-ca.crt'),
    otherCaFile: join(dir, 'other-ca.crt'),
    serverCertFile: join(dir, 'server.crt'),
    serverKeyFile: join(dir, 'server.key'),
  };
}
