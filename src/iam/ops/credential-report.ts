// GenerateCredentialReport and GetCredentialReport. A report is made from the account as it is when
// generated — users, passwords, MFA devices, access keys and their last use — and kept: for four
// hours GenerateCredentialReport answers COMPLETE and reuses it, as AWS documents; after that
// GetCredentialReport answers ReportExpired until a new one is generated. iamd writes the report
// inside the Generate call, so the first call's STARTED is followed by a report already complete.

import type { Tx } from '../../store/types.ts';
import { check } from '../checks.ts';
import { credentialReportCsv, type ReportKey, type ReportRow } from '../credential-report.ts';
import { reportExpired, reportNotPresent } from '../errors.ts';
import { accessKeyOwnerRef, GLOBAL, KIND, rootArn, type AccessKeyDoc, type AccountDoc, type UserDoc } from '../model.ts';
import { mfaOwnerRef, type MfaDeviceDoc } from '../mfa/devices.ts';
import { findPasswordPolicy, nextRotation } from '../password-policy.ts';
import { defineOp } from './define.ts';
import type { LoginProfileDoc } from './login-profiles.ts';
import { listSigningCertificates } from './signing-certificates.ts';

interface CredentialReportDoc {
  GeneratedTime: string;
  content: string;
}

const REPORT_KEY = 'report';
/** AWS: a report younger than four hours is reused; an older one has expired. */
export const REPORT_LIFETIME_MS = 4 * 3600_000;

async function keysOf(tx: Tx, account: string, userName: string | undefined): Promise<ReportKey[]> {
  const keys = await tx.listByRef<AccessKeyDoc>(GLOBAL, KIND.accessKey, accessKeyOwnerRef(account, userName));
  return keys
    .map((e) => e.doc)
    .sort((a, b) => a.CreateDate.localeCompare(b.CreateDate))
    .map((k) => ({ active: k.Status === 'Active', created: k.CreateDate, ...(k.lastUsed ? { lastUsed: k.lastUsed } : {}) }));
}

async function certificatesOf(tx: Tx, account: string, userName: string | undefined): Promise<ReportRow['certificates']> {
  return (await listSigningCertificates(tx, account, userName)).map((c) => ({ active: c.status === 'Active', uploaded: c.uploadDate }));
}

async function buildReport(tx: Tx, account: string): Promise<string> {
  const accountDoc = (await tx.get<AccountDoc>(GLOBAL, KIND.account, account))?.doc;
  const policy = await findPasswordPolicy(tx, account);
  const profiles = new Map((await tx.list<LoginProfileDoc>(account, KIND.loginProfile)).map((e) => [e.doc.UserId, e.doc]));
  const devicesInUse = new Set((await tx.list<MfaDeviceDoc>(account, KIND.mfaDevice)).flatMap((e) => (e.ref ? [e.ref] : [])));
  const rows: ReportRow[] = [
    {
      arn: rootArn(account),
      created: accountDoc?.CreateDate ?? new Date(0).toISOString(),
      mfaActive: devicesInUse.has(mfaOwnerRef({ type: 'root' })),
      keys: await keysOf(tx, account, undefined),
      certificates: await certificatesOf(tx, account, undefined),
    },
  ];
  for (const { doc: user } of await tx.list<UserDoc>(account, KIND.user)) {
    const profile = profiles.get(user.UserId);
    const row: ReportRow = {
      user: user.UserName,
      arn: user.Arn,
      created: user.CreateDate,
      mfaActive: devicesInUse.has(mfaOwnerRef({ type: 'user', id: user.UserId })),
      keys: await keysOf(tx, account, user.UserName),
      certificates: await certificatesOf(tx, account, user.UserName),
    };
    if (profile) {
      const next = nextRotation(policy, profile.passwordLastChanged);
      row.password = { lastChanged: profile.passwordLastChanged, ...(user.PasswordLastUsed ? { lastUsed: user.PasswordLastUsed } : {}), ...(next ? { nextRotation: next } : {}) };
    }
    rows.push(row);
  }
  return credentialReportCsv(rows);
}

export function credentialReportOperations() {
  const generate = defineOp<Record<string, never>>('GenerateCredentialReport', {
    authorize: () => [check('GenerateCredentialReport', '*')],
    async handle(_input, ctx, tx) {
      const existing = await tx.get<CredentialReportDoc>(ctx.account, KIND.credentialReport, REPORT_KEY);
      if (existing && ctx.now.getTime() - Date.parse(existing.doc.GeneratedTime) < REPORT_LIFETIME_MS) return { State: 'COMPLETE' };
      const doc: CredentialReportDoc = { GeneratedTime: ctx.now.toISOString(), content: await buildReport(tx, ctx.account) };
      if (existing) {
        await tx.update(ctx.account, KIND.credentialReport, REPORT_KEY, doc);
        return { State: 'STARTED' };
      }
      await tx.insert(ctx.account, KIND.credentialReport, REPORT_KEY, doc);
      return { State: 'STARTED', Description: 'No report exists. Starting a new report generation task' };
    },
  });

  const get = defineOp<Record<string, never>>('GetCredentialReport', {
    readOnly: true,
    authorize: () => [check('GetCredentialReport', '*')],
    async handle(_input, ctx, tx) {
      const report = (await tx.get<CredentialReportDoc>(ctx.account, KIND.credentialReport, REPORT_KEY))?.doc;
      if (!report) throw reportNotPresent();
      if (ctx.now.getTime() - Date.parse(report.GeneratedTime) >= REPORT_LIFETIME_MS) throw reportExpired();
      return { Content: Buffer.from(report.content, 'utf8'), ReportFormat: 'text/csv', GeneratedTime: new Date(report.GeneratedTime) };
    },
  });

  return [generate, get];
}
