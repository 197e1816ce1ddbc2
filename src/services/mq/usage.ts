// What Amazon MQ tells IAM when its service-linked role is to be deleted: the regions that still have
// brokers — in any state, since a failed or deleting broker still needs the role to clean up — and, as
// Amazon MQ reports it, no list of resources.

import type { LinkedService } from '../../iam/service-linked-roles/index.ts';
import { listBrokers } from './model.ts';
import { PRINCIPAL } from './role.ts';

export const usage: LinkedService = {
  servicePrincipal: PRINCIPAL,
  async usage(tx, account) {
    const regions = new Set((await listBrokers(tx, account)).map((b) => b.region));
    return [...regions].sort().map((region) => ({ region }));
  },
};
