// --oidc-jwks as `loadConfig` reads it: ISSUER=FILE pairs from the flag (repeated or comma-separated)
// or IAMD_OIDC_JWKS, each file a JSON Web Key Set read at start; anything else stops iamd, naming it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/server/config.ts';
import { tempDir } from '../helpers/server.ts';

const dir = tempDir('iamd-oidc-config-');
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const KEY = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0', kid: 'k1' };
const good = file('good.json', JSON.stringify({ keys: [KEY] }));
const other = file('other.json', JSON.stringify({ keys: [{ ...KEY, kid: 'k2' }] }));

test('none by default', () => {
  assert.equal(loadConfig([], {}).oidcJwks, undefined);
});

test('pairs from the flag, repeated or comma-separated, or from the environment', () => {
  const twice = loadConfig(['--oidc-jwks', `https://a.example=${good}`, `--oidc-jwks=https://b.example/t=${other}`], {}).oidcJwks!;
  assert.deepEqual([...twice.keys()], ['https://a.example', 'https://b.example/t']);
  assert.equal(twice.get('https://b.example/t')!.keys[0]!.kid, 'k2');
  const listed = loadConfig([], { IAMD_OIDC_JWKS: `https://a.example=${good},https://b.example=${other}` }).oidcJwks!;
  assert.deepEqual([...listed.keys()], ['https://a.example', 'https://b.example']);
});

test('an issuer that is not https, a file that is missing, not JSON, not a key set, or empty: iamd does not start', () => {
  assert.throws(() => loadConfig(['--oidc-jwks', `http://a.example=${good}`], {}), new ConfigError(`--oidc-jwks takes ISSUER=FILE with an https issuer URL, got "http://a.example=${good}"`));
  assert.throws(() => loadConfig(['--oidc-jwks', good], {}), /takes ISSUER=FILE/);
  assert.throws(() => loadConfig(['--oidc-jwks', `https://a.example=${join(dir, 'missing.json')}`], {}), /missing\.json is not a readable JSON Web Key Set/);
  assert.throws(() => loadConfig(['--oidc-jwks', `https://a.example=${file('text.json', 'not json')}`], {}), /text\.json is not a readable JSON Web Key Set/);
  assert.throws(() => loadConfig(['--oidc-jwks', `https://a.example=${file('obj.json', '{"kty":"EC"}')}`], {}), /obj\.json is not a readable JSON Web Key Set/);
  assert.throws(() => loadConfig(['--oidc-jwks', `https://a.example=${file('empty.json', '{"keys":[]}')}`], {}), new ConfigError(`--oidc-jwks: ${join(dir, 'empty.json')} holds no keys`));
});
