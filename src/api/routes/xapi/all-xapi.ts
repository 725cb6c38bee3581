import type { FastifyReply, FastifyRequest } from 'fastify';
import { consistentThrough } from '../../../lrs/store-statements.ts';
import { XAPI_VERSIONS } from '../../../lrs/version.ts';
import { defineRoutes, type Api } from '../../types.ts';
import { activitiesResource, agentsResource, documentResource, ACTIVITY_PROFILE, AGENT_PROFILE, STATE } from './_documents.ts';
import { xapiCall, type XapiCall } from './_request.ts';
import { statementsResource } from './_statements.ts';

/**
 * The xAPI Learning Record Store at /xapi (xAPI 1.0.3 and 2.0.0). One route file so that the whole LRS
 * shares one encapsulated scope: its own body parsing (every body is kept as bytes: documents are opaque,
 * statements are parsed and validated by the LRS to answer with xAPI's error codes) and its own
 * authentication (HTTP Basic with the account's LRS keys, not the API's bearer tokens).
 */
const METHODS = ['GET', 'PUT', 'POST', 'DELETE'] as const;

type Handler = (app: Api, call: XapiCall, reply: FastifyReply) => Promise<unknown>;

export default defineRoutes(async (app) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  // The newest version until the LRS key is known (then the key's version, then the request's: _request.ts).
  app.addHook('onRequest', async (_req, reply) => {
    reply.header('X-Experience-API-Version', XAPI_VERSIONS[0]);
  });
  // Every statements response carries the time through which results are complete.
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.url.startsWith('/xapi/statements')) reply.header('X-Experience-API-Consistent-Through', consistentThrough().toISOString());
    return payload;
  });

  app.get('/xapi/about', {
    config: { public: true },
    schema: { tags: ['xapi'], summary: 'xAPI About resource: the versions this LRS speaks (no credentials needed)', security: [] },
  }, async (_req, reply) => {
    reply.type('application/json');
    return reply.send(JSON.stringify({ version: XAPI_VERSIONS, extensions: {} }));
  });

  const resource = (url: string, summary: string, handler: Handler, opts: { readsCheckMaintenanceAlongside?: boolean } = {}) => {
    app.route({
      method: [...METHODS],
      url,
      config: { public: true, learnerFacing: true },
      schema: { tags: ['xapi'], summary: `${summary} (HTTP Basic auth with an LRS key; X-Experience-API-Version: 2.0.0 or 1.0.3)`, security: [] },
      handler: async (req: FastifyRequest, reply: FastifyReply) => handler(app, await xapiCall(app, req, reply, opts), reply),
    });
  };
  // statement reads run the maintenance check alongside their query (getStatements awaits both)
  resource('/xapi/statements', 'xAPI Statement resource', statementsResource, { readsCheckMaintenanceAlongside: true });
  resource('/xapi/activities/state', 'xAPI State resource', (a, c, r) => documentResource(a, c, r, STATE));
  resource('/xapi/activities/profile', 'xAPI Activity Profile resource', (a, c, r) => documentResource(a, c, r, ACTIVITY_PROFILE));
  resource('/xapi/agents/profile', 'xAPI Agent Profile resource', (a, c, r) => documentResource(a, c, r, AGENT_PROFILE));
  resource('/xapi/activities', 'xAPI Activities resource', activitiesResource);
  resource('/xapi/agents', 'xAPI Agents resource', agentsResource);
});
