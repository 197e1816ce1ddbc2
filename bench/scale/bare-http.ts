// The platform's limit in the same run: a bare node:http server answering every request with a fixed
// 600-byte body, started as its own process like iamd. Prints its URL, then serves until killed.

import { createServer } from 'node:http';

const body = Buffer.alloc(600, 'x');
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/xml', 'content-length': body.length });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  console.log(`listening on http://127.0.0.1:${address.port}`);
});
