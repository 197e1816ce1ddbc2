// Every operation of the models of the services iamd speaks has a handler in a started server:
// none answers NotImplemented for want of one.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceModel } from '../../src/protocol/model.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server.close());

for (const service of ['iam', 'sts'] as const) {
  test(`every ${service} operation of the model has a handler`, () => {
    const operations = [...serviceModel(service).operations.keys()];
    assert.ok(operations.length > 0);
    const missing = operations.filter((op) => !server.iamd.dispatcher.has(service, op));
    assert.deepEqual(missing, []);
  });
}
