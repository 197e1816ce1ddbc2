// Every service iamd speaks, once. The server installs them from here; scripts/generate-models.ts
// writes their models and wire facts from here. Adding a service is its folder (one descriptor,
// src/services/descriptor.ts) and one line below — then `npm run gen:models`.

import type { ServiceDescriptor } from './descriptor.ts';
import { service as iam } from './iam/index.ts';
import { service as sts } from './sts/index.ts';
import { service as elasticache } from './elasticache/index.ts';
import { service as memorydb } from './memorydb/index.ts';
import { service as mq } from './mq/index.ts';
import { service as ec2 } from './ec2/index.ts';
import { service as cloudwatch } from './cloudwatch/index.ts';
import { service as logs } from './logs/index.ts';
import { service as cloudtrail } from './cloudtrail/index.ts';
import { service as accessanalyzer } from './accessanalyzer/index.ts';

export const SERVICES: readonly ServiceDescriptor[] = [iam, sts, elasticache, memorydb, mq, ec2, cloudwatch, logs, cloudtrail, accessanalyzer];
