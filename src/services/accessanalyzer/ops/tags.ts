// An analyzer's tags (TagResource, UntagResource, ListTagsForResource on its ARN).

import type { CallContext, Operation } from '../../../common/call.ts';
import { byArn, onAnalyzer, save } from './analyzer-store.ts';

export function tagOperations(): Operation[] {
  const byResource = (input: { resourceArn: string }, ctx: CallContext) => byArn({ analyzerArn: input.resourceArn }, ctx);
  return [
    onAnalyzer<{ resourceArn: string; tags: Record<string, string> }>('TagResource', byResource, {
      async handle(input, a, ctx, tx) {
        a.tags = { ...a.tags, ...input.tags };
        await save(tx, ctx, a);
      },
    }),
    onAnalyzer<{ resourceArn: string; tagKeys: string[] }>('UntagResource', byResource, {
      async handle(input, a, ctx, tx) {
        a.tags = Object.fromEntries(Object.entries(a.tags).filter(([k]) => !input.tagKeys.includes(k)));
        await save(tx, ctx, a);
      },
    }),
    onAnalyzer<{ resourceArn: string }>('ListTagsForResource', byResource, {
      readOnly: true,
      handle: async (_input, a) => ({ tags: a.tags }),
    }),
  ];
}
