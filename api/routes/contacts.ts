/**
 * Contacts and their consent, and the CSV import. Everyone reads; admins, marketers and approvers
 * write (api/plugins/roles.ts). A consent given here is recorded with the caller's kind as its
 * method (`console` for a signed-in user, `api` for a key) unless the body names one.
 */
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { consentBody, consentParams, contactBody, contactPage, contactPatch, contactQuery, contactSchema, importMapping, importQuery, importResult, type ContactBody } from '../../core/api/audiences';
import { errorResponses, uuidParam } from '../../core/api/common';
import type { CampaignChannel, ConsentMethod } from '../../core/campaigns';
import { AppError } from '../../core/errors';
import { createContact, deleteContact, getContactRecord, getSegment, listContacts, optIn, optOut, updateContact, type ContactRecord } from '../../db/repos';
import { importContacts } from '../services/contact-import';
import { multipartError } from '../services/multipart';
import { MAX_DOCUMENT_BYTES } from '../../core/api/knowledge';

const tags = ['contacts'];
const notFound = () => new AppError('not_found', 'contact not found', { field: 'id' });

export const contactDto = (c: ContactRecord) => ({
  ...c,
  lastSeenAt: c.lastSeenAt ? c.lastSeenAt.toISOString() : null,
  createdAt: c.createdAt.toISOString(),
});

const callerMethod = (request: FastifyRequest): ConsentMethod => (request.principal.kind === 'session' ? 'console' : 'api');

async function applyConsent(request: FastifyRequest, contactId: string, consent: ContactBody['consent']) {
  for (const [channel, status] of Object.entries(consent ?? {})) {
    const how = { method: callerMethod(request), source: request.principal.label };
    if (status === 'opted_in') await optIn(request.em, contactId, channel as CampaignChannel, how);
    else await optOut(request.em, contactId, channel as CampaignChannel, how);
  }
}

async function found(request: FastifyRequest, id: string) {
  const contact = await getContactRecord(request.em, id);
  if (!contact) throw notFound();
  return contactDto(contact);
}

/** The file of a multipart import and its optional `mapping` field (JSON: column → field). */
async function readMultipart(request: FastifyRequest) {
  let file: { bytes: Buffer; name: string } | null = null;
  let mapping: unknown;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') throw new AppError('bad_request', `unexpected file field "${part.fieldname}": send the CSV as "file"`, { field: part.fieldname });
        file = { bytes: await part.toBuffer(), name: part.filename };
      } else if (part.fieldname === 'mapping') {
        try {
          mapping = JSON.parse(String(part.value));
        } catch {
          throw new AppError('bad_request', 'mapping must be JSON: {"column": "field"}', { field: 'mapping' });
        }
      }
    }
  } catch (err) {
    throw multipartError(err, () => new AppError('payload_too_large', `the file is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB`, { field: 'file' }));
  }
  if (!file || !file.bytes.length) throw new AppError('bad_request', 'file is required (a CSV in a multipart field named "file")', { field: 'file' });
  const parsed = mapping === undefined ? undefined : importMapping.safeParse(mapping);
  if (parsed && !parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError('bad_request', `mapping${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`, { field: 'mapping' });
  }
  return { bytes: file.bytes, name: file.name, mapping: parsed?.data };
}

export const contactRoutes: FastifyPluginAsyncZod = async (app) => {
  // A CSV sent as the body itself (`text/csv`), header row naming the fields; only this plugin's routes take it.
  app.addContentTypeParser('text/csv', { parseAs: 'buffer', bodyLimit: MAX_DOCUMENT_BYTES }, (_request, body, done) => done(null, body));

  app.get('/v1/contacts', { schema: { tags, summary: 'Contacts, newest first: search, tag and segment filters', querystring: contactQuery, response: { 200: contactPage, ...errorResponses } } }, async (request) => {
    const { segmentId, ...query } = request.query;
    const segment = segmentId ? await getSegment(request.em, segmentId) : undefined;
    if (segment === null) throw new AppError('not_found', 'segment not found', { field: 'segmentId' });
    const page = await listContacts(request.em, { ...query, ...(segment ? { filter: segment.filter } : {}) });
    return { items: page.items.map(contactDto), nextCursor: page.nextCursor };
  });

  app.post('/v1/contacts', { schema: { tags, summary: 'Add a contact', body: contactBody, response: { 201: contactSchema, ...errorResponses } } }, async (request, reply) => {
    const { consent, ...fields } = request.body;
    const id = await createContact(request.em, request.tenantId, fields);
    await applyConsent(request, id, consent);
    return reply.status(201).send(await found(request, id));
  });

  app.get('/v1/contacts/:id', { schema: { tags, summary: 'A contact with its consent per channel', params: uuidParam, response: { 200: contactSchema, ...errorResponses } } }, async (request) =>
    found(request, request.params.id),
  );

  app.patch(
    '/v1/contacts/:id',
    { schema: { tags, summary: 'Change a contact (attributes merge; a null attribute removes it)', params: uuidParam, body: contactPatch, response: { 200: contactSchema, ...errorResponses } } },
    async (request) => {
      const { consent, ...fields } = request.body;
      if (!(await updateContact(request.em, request.params.id, fields))) throw notFound();
      await applyConsent(request, request.params.id, consent);
      return found(request, request.params.id);
    },
  );

  app.delete('/v1/contacts/:id', { schema: { tags, summary: 'Delete a contact (its conversations stay, without it)', params: uuidParam, response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
    try {
      if (!(await deleteContact(request.em, request.params.id))) throw notFound();
    } catch (err) {
      if ((err as { code?: string }).code === '23503') throw new AppError('conflict', 'the contact is a recipient of a campaign: it stays for the campaign’s results', { field: 'id' });
      throw err;
    }
    return reply.status(204).send(null);
  });

  app.put(
    '/v1/contacts/:id/consent/:channel',
    { schema: { tags, summary: 'Set the contact’s consent on one channel', params: consentParams, body: consentBody, response: { 200: contactSchema, ...errorResponses } } },
    async (request) => {
      const { id, channel } = request.params;
      if (!(await getContactRecord(request.em, id))) throw notFound();
      const how = { method: request.body.method ?? callerMethod(request), source: request.body.source ?? request.principal.label };
      if (request.body.status === 'opted_in') await optIn(request.em, id, channel, how);
      else await optOut(request.em, id, channel, how);
      return found(request, id);
    },
  );

  app.post(
    '/v1/contacts/import',
    {
      bodyLimit: MAX_DOCUMENT_BYTES + 64 * 1024,
      schema: {
        tags,
        summary: 'Import contacts from a CSV',
        description:
          'Either `multipart/form-data` with the CSV as `file` and an optional `mapping` field (JSON {"column": "field"}; fields: id, name, firstName, lastName, email, phone, ' +
          'messengerPsid, tags, timezone, locale, attributes.<key>, consent.<channel>, skip), or the CSV itself as `text/csv` whose header row names the fields ' +
          '(other columns become attributes). Rows are known by the id column, else the phone, email or Messenger id: a re-import updates them. ' +
          `Up to 50,000 rows; phones are normalized to E.164 (\`defaultCountry\` for national numbers).`,
        querystring: importQuery,
        response: { 200: importResult, ...errorResponses },
      },
    },
    async (request) => {
      const { defaultCountry } = request.query;
      if (request.isMultipart()) {
        const upload = await readMultipart(request);
        return importContacts(request.em, upload.bytes, { mapping: upload.mapping, defaultCountry, source: `csv:${upload.name || 'upload'}` });
      }
      if (!Buffer.isBuffer(request.body) || !request.body.length) throw new AppError('bad_request', 'send the CSV as text/csv or as multipart/form-data with a "file" field', { field: 'file' });
      return importContacts(request.em, request.body, { defaultCountry, source: 'csv' });
    },
  );
};
