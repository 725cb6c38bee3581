type Obj = Record<string, any>;

function arrayContext(c: Obj | undefined): Obj | undefined {
  if (!c || typeof c !== 'object' || !c.contextActivities || typeof c.contextActivities !== 'object') return c;
  const ca: Obj = {};
  for (const [k, v] of Object.entries(c.contextActivities)) ca[k] = Array.isArray(v) ? v : [v];
  return { ...c, contextActivities: ca };
}

/**
 * The stored form of a valid statement: a single context activity becomes an array of one (the LRS
 * returns context activities as arrays, Data 2.4.6.2), in the statement and in its sub-statement.
 */
export function normalizeStatement<T extends Obj>(s: T): T {
  const o: Obj = { ...s };
  if (o.context) o.context = arrayContext(o.context);
  if (o.object?.objectType === 'SubStatement' && o.object.context) o.object = { ...o.object, context: arrayContext(o.object.context) };
  return o as T;
}
