// ListPolicies' pages: the AWS managed policies (a fixed catalog) and the account's customer managed
// policies (read from the store by key range) merged in one order — by lower-cased name, then ARN —
// so a page reads only the customer policies it shows (and the next one), however many there are, and
// their usage counts from the store's ref counters, a batch of policies in two queries.

import type { Tx } from '../store/types.ts';
import type { AwsManagedPolicyCatalog, IamDeps } from './deps.ts';
import { underPath } from './lookups.ts';
import { awsPolicyView, customerPolicyView, usageCountsOf, type ManagedPolicyView, type UsageCounts } from './managed.ts';
import { KIND, nameKey, type PolicyDoc } from './model.ts';
import { pageCursor, pageOf, type PageInput, type PageOutput } from './pagination.ts';

export interface PolicyListing {
  Scope?: 'All' | 'AWS' | 'Local';
  OnlyAttached?: boolean;
  PathPrefix?: string;
  PolicyUsageFilter?: 'PermissionsPolicy' | 'PermissionsBoundary';
}

export interface ListedPolicy {
  view: ManagedPolicyView;
  counts: UsageCounts;
  key: string;
}

/** The order of the list and the key of its markers. Policy names hold no space and no character below it. */
const sortKey = (name: string, arn: string): string => `${name.toLowerCase()} ${arn}`;

interface Keyed {
  key: string;
  arn: string;
}

/** The catalog's policies in list order, sorted once per catalog. */
const sortedCatalogs = new WeakMap<AwsManagedPolicyCatalog, Keyed[]>();

function sortedAws(catalog: AwsManagedPolicyCatalog): Keyed[] {
  let sorted = sortedCatalogs.get(catalog);
  if (sorted === undefined) {
    sorted = catalog
      .list()
      .map((p) => ({ key: sortKey(p.PolicyName, p.Arn), arn: p.Arn }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    sortedCatalogs.set(catalog, sorted);
  }
  return sorted;
}

/** The index of the first item whose key sorts after `after`. */
function firstAfter(items: Keyed[], after: string | undefined): number {
  if (after === undefined) return 0;
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid]!.key > after) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The account's customer policies in list order from after `after`, read a chunk at a time. */
class CustomerPolicies {
  private buffer: { key: string; doc: PolicyDoc }[] = [];
  private storeCursor: string | undefined;
  private exhausted = false;
  private started = false;

  constructor(
    private readonly tx: Tx,
    private readonly account: string,
    private readonly after: string | undefined,
    private readonly chunk: number,
  ) {}

  async peek(): Promise<{ key: string; doc: PolicyDoc } | undefined> {
    if (this.buffer.length === 0 && !this.exhausted) await this.refill();
    return this.buffer[0];
  }

  take(): void {
    this.buffer.shift();
  }

  private async refill(): Promise<void> {
    if (!this.started) {
      this.started = true;
      if (this.after !== undefined) {
        // The marker's policy name: the store key at which the list resumes. The policy with exactly
        // that name sorts after the marker only if the marker named an AWS policy of the same name.
        const name = this.after.slice(0, this.after.indexOf(' '));
        this.storeCursor = name;
        const same = await this.tx.get<PolicyDoc>(this.account, KIND.policy, nameKey(name));
        const key = same && sortKey(same.doc.PolicyName, same.doc.Arn);
        if (same && key! > this.after) this.buffer.push({ key: key!, doc: same.doc });
        if (this.buffer.length > 0) return;
      }
    }
    const rows = await this.tx.list<PolicyDoc>(this.account, KIND.policy, { after: this.storeCursor, limit: this.chunk });
    if (rows.length < this.chunk) this.exhausted = true;
    if (rows.length > 0) this.storeCursor = rows[rows.length - 1]!.key;
    for (const e of rows) this.buffer.push({ key: sortKey(e.doc.PolicyName, e.doc.Arn), doc: e.doc });
  }
}

export async function listPolicies(tx: Tx, deps: IamDeps, account: string, input: PolicyListing & PageInput): Promise<{ items: ListedPolicy[] } & PageOutput> {
  const scope = input.Scope ?? 'All';
  const { after, size } = pageCursor(input);
  const aws = scope === 'Local' ? [] : sortedAws(deps.awsPolicies);
  let next = firstAfter(aws, after);
  const customers = scope === 'AWS' ? undefined : new CustomerPolicies(tx, account, after, size + 1);
  const found: ListedPolicy[] = [];
  let exhausted = false;
  while (found.length <= size && !exhausted) {
    // The next policies in list order under the path, as many as the page still lacks; their usage
    // counts are read together (two queries) and then filter them.
    const candidates: { view: ManagedPolicyView; key: string }[] = [];
    while (found.length + candidates.length <= size) {
      const customer = await customers?.peek();
      const fromAws = aws[next];
      let view: ManagedPolicyView;
      let key: string;
      if (customer !== undefined && (fromAws === undefined || customer.key < fromAws.key)) {
        customers!.take();
        view = customerPolicyView(customer.doc);
        key = customer.key;
      } else if (fromAws !== undefined) {
        next++;
        view = awsPolicyView(deps, fromAws.arn)!;
        key = fromAws.key;
      } else {
        exhausted = true;
        break;
      }
      if (underPath(view.Path, input.PathPrefix)) candidates.push({ view, key });
    }
    const counts = await usageCountsOf(tx, account, candidates.map((c) => c.view.Arn));
    candidates.forEach(({ view, key }, i) => {
      const c = counts[i]!;
      if (input.PolicyUsageFilter === 'PermissionsPolicy' && c.AttachmentCount === 0) return;
      if (input.PolicyUsageFilter === 'PermissionsBoundary' && c.PermissionsBoundaryUsageCount === 0) return;
      if (input.OnlyAttached && c.AttachmentCount === 0) return;
      found.push({ view, counts: c, key });
    });
  }
  return pageOf(found, size, (f) => f.key);
}
