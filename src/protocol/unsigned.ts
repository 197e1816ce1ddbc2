// Which requests ask for an operation AWS serves without a signature (STS AssumeRoleWithWebIdentity,
// AssumeRoleWithSAML) — known before the input is decoded, so that such a request with bad input is
// answered with its validation error rather than asked for a signature it never needs.

import { serviceModel } from './model.ts';
import { parseForm } from './query.ts';
import { header, type ServiceTarget, type WireRequest } from './services.ts';

const unsigned = (service: ServiceTarget['service'], operation: string | undefined): boolean =>
  operation !== undefined && serviceModel(service).operations.get(operation)?.unsigned === true;

/** The operation a request names, read as its protocol names it (Query `Action`, JSON `X-Amz-Target`). */
function namedOperation(target: ServiceTarget, req: WireRequest): string | undefined {
  switch (target.protocol) {
    case 'query':
      return (req.method === 'POST' && req.body.length ? parseForm(req.body.toString('utf8')).get('Action') : undefined) ?? req.query.get('Action') ?? undefined;
    case 'json': {
      const t = header(req, 'x-amz-target');
      return t?.slice(t.lastIndexOf('.') + 1);
    }
    default:
      return undefined;
  }
}

export const asksUnsignedOperation = (target: ServiceTarget, req: WireRequest): boolean => unsigned(target.service, namedOperation(target, req));

/** The same answer for a request already decoded to `operation`, without reading its body again. */
export const decodedAsksUnsigned = (target: ServiceTarget, operation: string): boolean =>
  (target.protocol === 'query' || target.protocol === 'json') && unsigned(target.service, operation);
