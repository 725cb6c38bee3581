import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OrgStore } from './store.ts';

/** What the Salesforce routes share: the org, its base URL, the error envelope and the session/limit guard. */
export interface SfContext {
  store: OrgStore;
  base(): string;
  /** Salesforce's REST error body: [{ message, errorCode, fields? }]. */
  error(reply: FastifyReply, status: number, errorCode: string, message: string, fields?: string[]): FastifyReply;
  /** False when it answered (401 INVALID_SESSION_ID, 403 REQUEST_LIMIT_EXCEEDED, an injected fault). */
  guard(req: FastifyRequest, reply: FastifyReply): Promise<boolean>;
  /** Records per query page (Salesforce: 2000 by default, 200..2000 with Sforce-Query-Options: batchSize). */
  queryPageSize: number;
  /** How long a Bulk API job takes to process after UploadComplete (ms). */
  bulkProcessMs: number;
  /** Benchmarks: ingest jobs validate and count records without keeping them. */
  discardIngest: boolean;
}

/** API versions this org serves (GET /services/data). */
export const VERSIONS = ['58.0', '59.0', '60.0', '61.0', '62.0'];
const LABELS: Record<string, string> = { '58.0': "Summer '23", '59.0': "Winter '24", '60.0': "Spring '24", '61.0': "Summer '24", '62.0': "Winter '25" };
export const versionList = () => VERSIONS.map((v) => ({ label: LABELS[v], url: `/services/data/v${v}`, version: v }));

/** 'v62.0' -> true when served. */
export const knownVersion = (v: string) => /^v\d+\.\d$/.test(v) && VERSIONS.includes(v.slice(1));
