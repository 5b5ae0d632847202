import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanWorkspace } from '../../src/core/context/scan';

// Issue 6, "nothing leaked": ignore rules fail closed, whatever the workspace's own ignore files say.
describe('security: secret files never reach the scan', () => {
  let root: string;
  let outside: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'baton-ignore-'));
    outside = mkdtempSync(join(tmpdir(), 'baton-outside-'));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });
  const write = (path: string, text = 'x\n'): void => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };

  it('leaves out env files, keys, certificates and credential files, even when .gitignore re-includes them', async () => {
    const secretFiles = [
      '.env',
      '.env.local',
      'prod.env',
      '.envrc',
      'certs/server.pem',
      'certs/server.key',
      'certs/server.crt',
      'certs/ca.cer',
      'certs/client.p12',
      'certs/client.pfx',
      'android/release.keystore',
      'java/app.jks',
      'keys/id_rsa',
      'keys/id_rsa.pub',
      'keys/id_ed25519',
      'keys/apple.p8',
      'keys/putty.ppk',
      'home/.aws/credentials',
      'home/.aws/config',
      'home/.docker/config.json',
      'home/.kube/config',
      'deploy/kubeconfig',
      '.npmrc',
      '.pypirc',
      '.netrc',
      '.git-credentials',
      'gcp/service-account-prod.json',
      'gcp/images-service-account.json',
      'oauth/client_secret_123.json',
      'config/credentials.json',
      'infra/terraform.tfstate',
      'infra/terraform.tfstate.backup',
      'infra/prod.tfvars',
      'vpn/office.ovpn',
      'web/.htpasswd',
      'secrets.yaml',
      'db/.pgpass',
    ];
    for (const path of secretFiles) write(path);
    write('.gitignore', '!.env\n!*.pem\n');
    write('src/app.py', 'print(1)\n');
    const scan = await scanWorkspace(root);
    assert.deepEqual(
      scan.files.map((f) => f.path),
      ['.gitignore', 'src/app.py'],
    );
    const secret = new Set(scan.skipped.filter((s) => s.reason === 'secret').map((s) => s.path));
    assert.deepEqual(
      secretFiles.filter((p) => !secret.has(p)),
      [],
      'each is left out as a secret',
    );
  });

  it('resolves links first: a link to .env (or to a key in another folder) is out', async () => {
    write('.env', 'API_KEY=abc\n');
    write('certs/deploy.key', 'key\n');
    symlinkSync(join(root, '.env'), join(root, 'settings.txt'));
    mkdirSync(join(root, 'src'));
    symlinkSync(join('..', 'certs', 'deploy.key'), join(root, 'src', 'notes.md'));
    const scan = await scanWorkspace(root);
    assert.deepEqual(
      scan.files.map((f) => f.path),
      [],
    );
    const reasons = Object.fromEntries(scan.skipped.map((s) => [s.path, `${s.reason}: ${s.detail}`]));
    assert.match(reasons['settings.txt']!, /^secret: link to \.env/);
    assert.match(reasons['src/notes.md']!, /^secret: link to certs\/deploy\.key/);
  });

  it('refuses paths outside the workspace: links to files and folders outside are left out', async () => {
    writeFileSync(join(outside, 'notes.md'), 'outside\n');
    mkdirSync(join(outside, 'lib'));
    writeFileSync(join(outside, 'lib', 'x.py'), 'x = 1\n');
    symlinkSync(join(outside, 'notes.md'), join(root, 'notes.md'));
    symlinkSync(join(outside, 'lib'), join(root, 'lib'));
    write('app.py', 'y = 2\n');
    const scan = await scanWorkspace(root);
    assert.deepEqual(
      scan.files.map((f) => f.path),
      ['app.py'],
    );
    for (const path of ['notes.md', 'lib']) {
      assert.equal(scan.skipped.find((s) => s.path === path)?.detail, 'link leads outside the workspace');
    }
  });

  it('leaves out whatever .batonignore names', async () => {
    write('.batonignore', 'customer-data/\n*.sqlite\n');
    write('customer-data/export.csv', 'a,b\n');
    write('app.sqlite', 'db\n');
    write('app.py', 'z = 3\n');
    const scan = await scanWorkspace(root);
    assert.deepEqual(
      scan.files.map((f) => f.path),
      ['.batonignore', 'app.py'],
    );
  });
});
