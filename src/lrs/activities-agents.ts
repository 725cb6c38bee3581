import type { Database } from '../db/database.ts';

type Obj = Record<string, any>;

/**
 * The Activity object for GET /activities: the definitions of every statement about it, merged (language
 * maps combined), or just its id when no statement carried a definition.
 */
export async function getActivity(db: Database, accountId: number, activityId: string): Promise<Obj> {
  const row = await db.selectFrom('lrs_activities').select('activity').where('account_id', '=', accountId).where('activity_id', '=', activityId).executeTakeFirst();
  return row?.activity ?? { objectType: 'Activity', id: activityId };
}

/**
 * The Person object for GET /agents (Communication 2.4): every identifier as an array. This LRS does not
 * link agents to one another, so a person has the identifiers of the agent asked for.
 */
export function getPerson(agent: Obj): Obj {
  const p: Obj = { objectType: 'Person' };
  if (typeof agent.name === 'string') p.name = [agent.name];
  if (agent.mbox) p.mbox = [agent.mbox];
  if (agent.mbox_sha1sum) p.mbox_sha1sum = [agent.mbox_sha1sum];
  if (agent.openid) p.openid = [agent.openid];
  if (agent.account) p.account = [agent.account];
  return p;
}
