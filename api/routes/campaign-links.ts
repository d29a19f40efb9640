/**
 * Public campaign links: `GET /l/:token` records a click and redirects to the URL the token
 * names; `GET /u/:token` shows the unsubscribe confirmation, `POST /u/:token` unsubscribes (the
 * page's button, or a mail client's one-click `List-Unsubscribe-Post`, RFC 8058). The signed token
 * is the credential; anything else is the same plain 404 page.
 */
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { configuredLinkKey, linkTargets, readToken } from '../../campaigns/links';
import { linkParts } from '../../campaigns/render';
import { linkTokenParams, ONE_CLICK_BODY } from '../../core/api/campaign-links';
import { systemEm, tenantEm } from '../../db/orm';
import { optOut } from '../../db/repos/audience';
import { linkRecipient, markRecipientOptedOut, recordClick } from '../../db/repos/campaign-links';
import type { AppDeps } from '../deps';

const publicRoute = { public: true };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>` +
  `<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}button{font-size:1rem;padding:.6rem 1.2rem}</style></head><body>${body}</body></html>`;

function notFound(reply: FastifyReply) {
  return reply.code(404).type('text/html; charset=utf-8').send(page('Link not found', '<h1>This link is not valid</h1><p>It may be mistyped or cut short.</p>'));
}

export const campaignLinkRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const key = configuredLinkKey(deps.config);
    // Mail clients post the one-click body as a form; the page's button too.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, body));

    const recipientOf = async (token: string, kind: 'link' | 'unsubscribe') => {
      const read = readToken(key, token);
      if (!read || read.kind !== kind) return null;
      const recipient = await linkRecipient(systemEm(deps.orm), read.recipientId);
      return recipient ? { read, recipient } : null;
    };

    app.get('/l/:token', { config: publicRoute, schema: { hide: true, params: linkTokenParams } }, async (request, reply) => {
      const found = await recipientOf(request.params.token, 'link');
      if (!found || found.read.kind !== 'link' || !found.recipient.channel || !found.recipient.content) return notFound(reply);
      const url = linkTargets(linkParts(found.recipient.content, found.recipient.channel))[found.read.index];
      if (!url) return notFound(reply);
      await recordClick(tenantEm(deps.orm, found.recipient.tenantId), found.recipient, url, request.headers['user-agent'] ?? null);
      return reply.header('cache-control', 'no-store').redirect(url, 302);
    });

    app.get('/u/:token', { config: publicRoute, schema: { hide: true, params: linkTokenParams } }, async (request, reply) => {
      const found = await recipientOf(request.params.token, 'unsubscribe');
      if (!found) return notFound(reply);
      const name = escapeHtml(found.recipient.campaignName);
      return reply
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(page('Unsubscribe', `<h1>Unsubscribe?</h1><p>You will no longer receive messages like “${name}”.</p><form method="post"><button type="submit">Unsubscribe</button></form>`));
    });

    app.post('/u/:token', { config: publicRoute, schema: { hide: true, params: linkTokenParams } }, async (request, reply) => {
      const found = await recipientOf(request.params.token, 'unsubscribe');
      if (!found) return notFound(reply);
      const { recipient } = found;
      const oneClick = typeof request.body === 'string' && request.body.includes(ONE_CLICK_BODY);
      const em = tenantEm(deps.orm, recipient.tenantId);
      await optOut(em, recipient.contactId, recipient.channel ?? 'all', { method: oneClick ? 'list-unsubscribe' : 'unsubscribe-link', source: `campaign:${recipient.campaignId}` });
      await markRecipientOptedOut(em, recipient.id);
      if (oneClick) return reply.code(200).type('text/plain; charset=utf-8').send('unsubscribed');
      return reply.type('text/html; charset=utf-8').send(page('Unsubscribed', '<h1>You are unsubscribed</h1><p>You will not receive these messages any more.</p>'));
    });
  };
