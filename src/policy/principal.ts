// Principal / NotPrincipal of resource-based and trust policies.
//
// A caller is seen as a chain of identities, outermost first, the way AWS checks them:
//   IAM user          account → user ARN
//   role session      account → role ARN → session ARN (`arn:aws:sts::…:assumed-role/R/s`)
//   federated user    account → federated-user ARN
//   root              account
//   service           service principal name
// `Principal` names the caller when it names any identity of the chain (an account id or root
// ARN names every principal of the account; a role ARN names its sessions). `NotPrincipal` excludes
// the caller only when it names every identity of the chain — which is why AWS asks to list the
// account with the user, and the account and role with a session.

import type { PrincipalSpec, RequestPrincipal } from './types.ts';

/** What a matching Principal element named — decides which implicit denies a grant overrides. */
export type PrincipalGrant = 'wildcard' | 'account' | 'user' | 'role' | 'session' | 'service' | 'federated';

const ROOT_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):root$/;
const ACCOUNT_ID = /^\d{12}$/;

export class CompiledPrincipal {
  private readonly everyone: boolean;
  private readonly accounts = new Set<string>();
  private readonly arns = new Set<string>();
  private readonly services = new Set<string>();
  private readonly federated = new Set<string>();
  private readonly canonical = new Set<string>();

  constructor(readonly spec: PrincipalSpec) {
    if (spec === '*') {
      this.everyone = true;
      return;
    }
    let everyone = false;
    for (const value of spec.AWS ?? []) {
      if (value === '*') everyone = true;
      else if (ACCOUNT_ID.test(value)) this.accounts.add(value);
      else {
        const root = ROOT_ARN.exec(value);
        if (root) this.accounts.add(root[1]);
        else this.arns.add(value);
      }
    }
    for (const value of spec.Service ?? []) {
      if (value === '*') everyone = true;
      else this.services.add(value.toLowerCase());
    }
    for (const value of spec.Federated ?? []) this.federated.add(value);
    for (const value of spec.CanonicalUser ?? []) this.canonical.add(value);
    this.everyone = everyone;
  }

  /**
   * How `Principal` names the caller: the most specific identity it lists (a session or user grant
   * overrides more implicit denies than a role or account grant), or `undefined` when it does not.
   */
  grantFor(principal: RequestPrincipal): PrincipalGrant | undefined {
    switch (principal.kind) {
      case 'user':
        if (this.arns.has(principal.arn)) return 'user';
        break;
      case 'assumed-role':
        if (this.arns.has(principal.arn)) return 'session';
        if (principal.roleArn !== undefined && this.arns.has(principal.roleArn)) return 'role';
        break;
      case 'federated-user':
        if (this.arns.has(principal.arn)) return 'session';
        break;
      case 'service':
        if (this.services.has(principal.arn.toLowerCase())) return 'service';
        break;
      case 'root':
      case 'anonymous':
        break;
    }
    if (principal.federatedProvider !== undefined && this.federated.has(principal.federatedProvider)) {
      return 'federated';
    }
    if (principal.account !== undefined && this.accounts.has(principal.account)) return 'account';
    if (this.everyone) return 'wildcard';
    return undefined;
  }

  /** True when every identity of the caller's chain is listed (the caller is exempt from NotPrincipal). */
  listsWholeChain(principal: RequestPrincipal): boolean {
    if (this.everyone) return true;
    const accountListed = principal.account !== undefined && this.accounts.has(principal.account);
    switch (principal.kind) {
      case 'root':
        return accountListed;
      case 'user':
      case 'federated-user':
        return accountListed && this.arns.has(principal.arn);
      case 'assumed-role':
        return (
          accountListed &&
          principal.roleArn !== undefined &&
          this.arns.has(principal.roleArn) &&
          this.arns.has(principal.arn)
        );
      case 'service':
        return this.services.has(principal.arn.toLowerCase());
      case 'anonymous':
        return false;
    }
  }
}
