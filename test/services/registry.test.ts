// The registry is the only list of services: the wire table the protocol layer reads is exactly what
// the descriptors declare, every service has its model, and the server serves every operation the
// descriptors install under the service's own name.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { wireTable } from '../../scripts/generate-models.ts';
import { serviceNames } from '../../src/protocol/index.ts';
import { serviceModel } from '../../src/protocol/model.ts';
import { SERVICES } from '../../src/services/registry.ts';
import { startServer } from '../helpers/server.ts';

test('src/protocol/models/services.json is what the registry declares (npm run gen:models rewrites it)', () => {
  const committed = readFileSync(new URL('../../src/protocol/models/services.json', import.meta.url), 'utf8');
  assert.equal(committed, wireTable(SERVICES));
  assert.deepEqual(serviceNames(), SERVICES.map((s) => s.name));
});

test('every registered service has its generated model, and names are unique', () => {
  assert.equal(new Set(SERVICES.map((s) => s.name)).size, SERVICES.length);
  for (const { name } of SERVICES) {
    assert.ok(existsSync(new URL(`../../src/protocol/models/${name}.json`, import.meta.url)), `models/${name}.json`);
    assert.ok(serviceModel(name).operations.size > 0, name);
  }
});

test('a started server dispatches every operation the descriptors install, each under its own service', async () => {
  const server = await startServer();
  try {
    for (const { name } of SERVICES) {
      const implemented = [...serviceModel(name).operations.keys()].filter((op) => server.iamd.dispatcher.has(name, op));
      assert.ok(implemented.length > 0, `${name} serves none of its operations`);
    }
  } finally {
    await server.close();
  }
});
