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
    .meta({ title: 'Host URL', description: 'The web-services host of your tenant from your Workday administrator, e.g. https://wd2-impl-services1.workday.com' })
    .transform((u) => u.replace(/\/+$/, '')),
  tenant: z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "_", "-" or "." only').meta({ title: 'Tenant', description: 'Your Workday tenant name, e.g. acme_gms1' }),
  auth: wsSecurityUsernameToken.settings.meta({ title: 'Integration system user', description: 'username: the integration system user, written ISU_name@tenant; password: its password' }),
  /** Spec "Exclude Contingent Workers": temporary workers are not imported (Get_Workers' Exclude_Contingent_Workers). */
  excludeContingentWorkers: z.boolean().default(false).meta({ title: 'Exclude contingent workers', description: 'Leave temporary workers (contractors, consultants) out of the user import' }),
  /** The skill item category the exported skills go under (the third of Workday's four skill levels). */
  skillItemCategory: z.string().trim().min(1).max(100).default('Learning Manager').meta({ title: 'Skill item category', description: 'The Workday skill item category the exported skills go under' }),
  /** PEM certificates to trust besides the system's (a private PKI in front of the tenant). */
  caCertificates: z.string().max(100_000).optional().meta({ title: 'Extra CA certificates (advanced)', description: 'Only when your tenant sits behind a certificate of your own certificate authority (PEM)' }),
});
export type WorkdaySettings = z.infer<typeof workdaySettings>;

/** The web-service endpoint of one service: {host}/ccx/service/{tenant}/{Service}/v40.1. */
export const serviceRoot = (s: Pick<WorkdaySettings, 'hostUrl' | 'tenant'>) => `${s.hostUrl}/ccx/service/${encodeURIComponent(s.tenant)}`;

/** A stable key for "the same Workday account" (host, tenant, user): the skills export locks on it. */
export const workdayAccountKey = (s: WorkdaySettings) => `workday:${s.hostUrl.toLowerCase()}|${s.tenant.toLowerCase()}|${s.auth.username.toLowerCase()}`;
