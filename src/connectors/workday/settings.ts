import { z } from 'zod';
import { wsSecurityUsernameToken } from '../../kit/auth/ws-security.ts';

/** Workday Web Services version the connector speaks (the spec: "Learning Manager uses version 40.1 of Workday API"). */
export const WORKDAY_VERSION = 'v40.1';

/**
 * A Workday connection (spec "Configure Workday connector"): host URL and tenant from the Workday admin, the
 * integration system user (ISU) and its password (WS-Security UsernameToken, user name as "ISU_name@tenant").
 */
export const workdaySettings = z.object({
  hostUrl: z
    .string()
    .trim()
    .url()
    .describe('Host URL: the web-services host of your tenant, e.g. https://wd2-impl-services1.workday.com')
    .transform((u) => u.replace(/\/+$/, '')),
  tenant: z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "_", "-" or "." only').describe('Tenant: your Workday tenant name'),
  auth: wsSecurityUsernameToken.settings,
  /** Spec "Exclude Contingent Workers": temporary workers are not imported (Get_Workers' Exclude_Contingent_Workers). */
  excludeContingentWorkers: z.boolean().default(false).describe('Exclude contingent workers from the user import'),
  /** The skill item category the exported skills go under (the third of Workday's four skill levels). */
  skillItemCategory: z.string().trim().min(1).max(100).default('Learning Manager').describe('Skill item category in Workday for exported skills'),
  /** PEM certificates to trust besides the system's (a private PKI in front of the tenant). */
  caCertificates: z.string().max(100_000).optional().describe('Extra CA certificates (PEM) to trust'),
});
export type WorkdaySettings = z.infer<typeof workdaySettings>;

/** The web-service endpoint of one service: {host}/ccx/service/{tenant}/{Service}/v40.1. */
export const serviceRoot = (s: Pick<WorkdaySettings, 'hostUrl' | 'tenant'>) => `${s.hostUrl}/ccx/service/${encodeURIComponent(s.tenant)}`;

/** A stable key for "the same Workday account" (host, tenant, user): the skills export locks on it. */
export const workdayAccountKey = (s: WorkdaySettings) => `workday:${s.hostUrl.toLowerCase()}|${s.tenant.toLowerCase()}|${s.auth.username.toLowerCase()}`;
