// Signing certificates: UploadSigningCertificate, ListSigningCertificates, UpdateSigningCertificate,
// DeleteSigningCertificate — X.509 certificates a user (or the root) registers for services that
// verify signatures with them. Public material: stored as given, with the certificate's SHA-256
// fingerprint so the same certificate is refused a second time anywhere in the account.

import type { CallContext } from '../../common/call.ts';
import type { Entity, Tx } from '../../store/types.ts';
import { cannotSetExpired, duplicateCertificate, invalidCertificate, malformedSigningCertificate, noSuchCertificate } from '../credential-errors.ts';
import type { IamDeps } from '../deps.ts';
import { quotaExceeded } from '../errors.ts';
import { KIND, newRandomId, type AccessKeyStatus } from '../model.ts';
import { signingCertificateOwnerRef } from '../user-credentials.ts';
import { paginate, pageMembers, type PageInput } from '../pagination.ts';
import { parseCertificate, withinValidity } from '../x509.ts';
import { credentialOwner, credentialOwnerCheck } from './credential-owner.ts';
import { defineOp, nowIso } from './define.ts';

export interface SigningCertificateDoc {
  CertificateId: string;
  /** Absent for the root's certificates. */
  userName?: string;
  CertificateBody: string;
  fingerprint: string;
  Status: AccessKeyStatus;
  UploadDate: string;
}

/** What the credential report shows of a user's signing certificates: oldest first. */
export interface SigningCertificateSummary {
  certificateId: string;
  status: AccessKeyStatus;
  uploadDate: Date;
}

/** A user's (or, with no name, the root's) signing certificates, oldest first, for the credential report. */
export async function listSigningCertificates(tx: Tx, account: string, userName: string | undefined): Promise<SigningCertificateSummary[]> {
  const certs = await tx.listByRef<SigningCertificateDoc>(account, KIND.signingCertificate, signingCertificateOwnerRef(userName));
  return certs
    .map((e) => ({ certificateId: e.doc.CertificateId, status: e.doc.Status, uploadDate: new Date(e.doc.UploadDate) }))
    .sort((a, b) => a.uploadDate.getTime() - b.uploadDate.getTime() || (a.certificateId < b.certificateId ? -1 : 1));
}

const certificateOut = (doc: SigningCertificateDoc) => {
  const out: Record<string, unknown> = {};
  if (doc.userName !== undefined) out.UserName = doc.userName;
  return { ...out, CertificateId: doc.CertificateId, CertificateBody: doc.CertificateBody, Status: doc.Status, UploadDate: new Date(doc.UploadDate) };
};

async function requireOwnCertificate(tx: Tx, ctx: CallContext, owner: string | undefined, id: string): Promise<Entity<SigningCertificateDoc>> {
  const e = await tx.get<SigningCertificateDoc>(ctx.account, KIND.signingCertificate, id);
  if (!e || e.ref !== signingCertificateOwnerRef(owner)) throw noSuchCertificate(id);
  return e;
}

export function signingCertificateOperations(deps: IamDeps) {
  const { quotas } = deps.config;

  const upload = defineOp<{ UserName?: string; CertificateBody: string }>('UploadSigningCertificate', {
    authorize: async (input, ctx, tx) => [await credentialOwnerCheck(tx, ctx, 'UploadSigningCertificate', input.UserName)],
    async handle(input, ctx, tx) {
      const owner = await credentialOwner(tx, ctx, input.UserName);
      const certificate = parseCertificate(input.CertificateBody);
      if (!certificate) throw malformedSigningCertificate(input.CertificateBody);
      if (!withinValidity(certificate, ctx.now)) throw invalidCertificate();
      const all = await tx.list<SigningCertificateDoc>(ctx.account, KIND.signingCertificate);
      if (all.some((e) => e.doc.fingerprint === certificate.fingerprint256)) throw duplicateCertificate();
      const ref = signingCertificateOwnerRef(owner);
      if (all.filter((e) => e.ref === ref).length >= quotas.signingCertificatesPerUser) {
        throw quotaExceeded('CertificatesPerUser', quotas.signingCertificatesPerUser);
      }
      const doc: SigningCertificateDoc = {
        CertificateId: newRandomId('', 28),
        CertificateBody: input.CertificateBody,
        fingerprint: certificate.fingerprint256,
        Status: 'Active',
        UploadDate: nowIso(ctx),
      };
      if (owner !== undefined) doc.userName = owner;
      await tx.insert(ctx.account, KIND.signingCertificate, doc.CertificateId, doc, ref);
      await tx.bumpGeneration(ctx.account);
      return { Certificate: certificateOut(doc) };
    },
  });

  const list = defineOp<{ UserName?: string } & PageInput>('ListSigningCertificates', {
    readOnly: true,
    authorize: async (input, ctx, tx) => [await credentialOwnerCheck(tx, ctx, 'ListSigningCertificates', input.UserName)],
    async handle(input, ctx, tx) {
      const owner = await credentialOwner(tx, ctx, input.UserName);
      const certs = await tx.listByRef<SigningCertificateDoc>(ctx.account, KIND.signingCertificate, signingCertificateOwnerRef(owner));
      const page = paginate(certs, (e) => e.key, input);
      return { Certificates: page.items.map((e) => certificateOut(e.doc)), ...pageMembers(page) };
    },
  });

  const update = defineOp<{ UserName?: string; CertificateId: string; Status: AccessKeyStatus | 'Expired' }>('UpdateSigningCertificate', {
    authorize: async (input, ctx, tx) => [await credentialOwnerCheck(tx, ctx, 'UpdateSigningCertificate', input.UserName)],
    async handle(input, ctx, tx) {
      const owner = await credentialOwner(tx, ctx, input.UserName);
      const e = await requireOwnCertificate(tx, ctx, owner, input.CertificateId);
      if (input.Status === 'Expired') throw cannotSetExpired();
      if (e.doc.Status !== input.Status) {
        await tx.update(ctx.account, KIND.signingCertificate, e.key, { ...e.doc, Status: input.Status }, e.ref);
        await tx.bumpGeneration(ctx.account);
      }
      return {};
    },
  });

  const del = defineOp<{ UserName?: string; CertificateId: string }>('DeleteSigningCertificate', {
    authorize: async (input, ctx, tx) => [await credentialOwnerCheck(tx, ctx, 'DeleteSigningCertificate', input.UserName)],
    async handle(input, ctx, tx) {
      const owner = await credentialOwner(tx, ctx, input.UserName);
      const e = await requireOwnCertificate(tx, ctx, owner, input.CertificateId);
      await tx.delete(ctx.account, KIND.signingCertificate, e.key);
      await tx.bumpGeneration(ctx.account);
      return {};
    },
  });

  return [upload, list, update, del];
}
