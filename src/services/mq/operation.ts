// One Amazon MQ operation: `mq:<Name>` checks and a handler, over plain objects named as in the model.

import { defineOperationFor } from '../../common/call.ts';

export const operation = defineOperationFor('mq');
