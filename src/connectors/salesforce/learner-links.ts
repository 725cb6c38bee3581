/**
 * Finds the Salesforce User or Contact of each learner by e-mail (SOQL, 100 addresses per query) and, when
 * exports are linked with Contacts, creates the missing ones first (the spec: "users who are present in
 * Learning Manager but not in Salesforce will be created"), through sObject Collections create:
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_create.htm
 */
import type { HttpClient } from '../../kit/http/index.ts';
import { query, soqlString } from './client.ts';

export interface Learner {
  email: string;
  name: string;
}

export class LearnerLinks {
  /** lower-case e-mail -> record id (null: looked up, none). */
  private readonly ids = new Map<string, string | null>();
  created = 0;
  /** Why a contact could not be created, by e-mail. */
  readonly failures = new Map<string, string>();

  constructor(
    private readonly http: HttpClient,
    readonly object: 'User' | 'Contact',
  ) {}

  get(email: string): string | null {
    return this.ids.get(email.toLowerCase()) ?? null;
  }

  /** Looks up (and for Contacts creates) the learners not known yet. */
  async resolve(learners: Learner[]): Promise<void> {
    const todo = [...new Map(learners.filter((l) => l.email && !this.ids.has(l.email.toLowerCase())).map((l) => [l.email.toLowerCase(), l])).values()];
    for (let i = 0; i < todo.length; i += 100) {
      const part = todo.slice(i, i + 100);
      for (const l of part) this.ids.set(l.email.toLowerCase(), null);
      const soql = `SELECT Id, Email FROM ${this.object} WHERE Email IN (${part.map((l) => soqlString(l.email)).join(', ')})${this.object === 'User' ? ' AND IsActive = true' : ''}`;
      for await (const r of query<{ Id: string; Email: string | null }>(this.http, soql)) {
        const key = (r.Email ?? '').toLowerCase();
        if (key && this.ids.get(key) === null) this.ids.set(key, r.Id);
      }
    }
    if (this.object === 'Contact') await this.createContacts(todo.filter((l) => this.ids.get(l.email.toLowerCase()) === null));
  }

  private async createContacts(missing: Learner[]): Promise<void> {
    for (let i = 0; i < missing.length; i += 200) {
      const part = missing.slice(i, i + 200);
      const records = part.map((l) => {
        const words = l.name.trim().split(/\s+/);
        const last = words.length > 1 ? words.pop()! : words[0] || l.email.split('@')[0];
        return { attributes: { type: 'Contact' }, FirstName: words.length && words[0] !== last ? words.join(' ') : null, LastName: last, Email: l.email };
      });
      const res = await this.http.post<Array<{ id: string | null; success: boolean; errors: Array<{ statusCode: string; message: string }> }>>('/composite/sobjects', { allOrNone: false, records });
      res.forEach((r, k) => {
        const key = part[k].email.toLowerCase();
        if (r.success && r.id) {
          this.ids.set(key, r.id);
          this.created++;
        } else this.failures.set(key, r.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; '));
      });
    }
  }
}
