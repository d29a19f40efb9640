/**
 * `/v1/avatars`: presenters for renders. An uploaded image (base64 in the JSON body) is checked by
 * its bytes (PNG or JPEG by magic number, the size limit, a face-sized resolution) and stored in
 * the media store; or a D-ID presenter id. Each has a voice profile, a background and an aspect ratio.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, uuidParam } from '../../core/api/common';
import { avatarBody, avatarList, avatarPatch, avatarSchema } from '../../core/api/renders';
import { AppError } from '../../core/errors';
import { mediaKeys } from '../../core/renders';
import { Avatar } from '../../db/entities';
import { deleteAvatar, getAvatar, getVoiceProfile, listAvatars, patchRow } from '../../db/repos';
import { checkPresenterImage } from '../../renders/avatar-image';
import type { AppDeps } from '../deps';
import { recordChange } from '../plugins/audit';
import { avatarDto, renderMedia } from '../services/renders';

const notFound = () => new AppError('not_found', 'avatar not found', { field: 'id' });

export const avatarRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['videos'];
    const dto = (a: Avatar) => avatarDto(deps.config, a);
    const checkVoiceProfile = async (em: Parameters<typeof getVoiceProfile>[0], id: string | null | undefined) => {
      if (id && !(await getVoiceProfile(em, id))) throw new AppError('not_found', 'voice profile not found', { field: 'voiceProfileId' });
    };

    app.get('/v1/avatars', { schema: { tags, summary: 'Avatars', response: { 200: avatarList, ...errorResponses } } }, async (request) => ({
      items: await Promise.all((await listAvatars(request.em)).map(dto)),
    }));

    app.post(
      '/v1/avatars',
      {
        // Base64 makes a file a third larger.
        bodyLimit: Math.ceil(deps.config.AVATAR_MAX_BYTES * 1.37) + 64 * 1024,
        schema: { tags, summary: 'Add an avatar: a presenter image (base64 PNG/JPEG, checked) or a D-ID presenter id', body: avatarBody, response: { 201: avatarSchema, ...errorResponses } },
      },
      async (request, reply) => {
        const { image, voiceProfileId, ...fields } = request.body;
        await checkVoiceProfile(request.em, voiceProfileId);
        const id = randomUUID();
        let imageFields = {};
        if (image) {
          const checked = checkPresenterImage(Buffer.from(image, 'base64'), deps.config.AVATAR_MAX_BYTES);
          if (!checked.ok) throw new AppError('bad_request', checked.reason, { field: 'image' });
          const key = mediaKeys.avatar(request.tenantId, id, checked.image.ext);
          await renderMedia(deps.config).put(key, Buffer.from(image, 'base64'), checked.image.contentType);
          imageFields = { imageKey: key, imageContentType: checked.image.contentType, imageWidth: checked.image.width, imageHeight: checked.image.height, imageSha256: checked.image.sha256 };
        }
        const row = request.em.create(Avatar, { id, tenant: request.tenantId, ...fields, voiceProfile: voiceProfileId ?? null, presenterId: fields.presenterId ?? null, ...imageFields } as never) as Avatar;
        await request.em.flush();
        recordChange(request, { targetType: 'avatar', targetId: row.id, after: { name: row.name, source: image ? 'image' : 'presenter' } });
        return reply.status(201).send(await dto(row));
      },
    );

    app.get('/v1/avatars/:id', { schema: { tags, summary: 'An avatar (a signed URL of its image)', params: uuidParam, response: { 200: avatarSchema, ...errorResponses } } }, async (request) => {
      const row = await getAvatar(request.em, request.params.id);
      if (!row) throw notFound();
      return dto(row);
    });

    app.patch('/v1/avatars/:id', { schema: { tags, summary: "Change an avatar's name, voice, background or aspect ratio", params: uuidParam, body: avatarPatch, response: { 200: avatarSchema, ...errorResponses } } }, async (request) => {
      const row = await getAvatar(request.em, request.params.id);
      if (!row) throw notFound();
      await checkVoiceProfile(request.em, request.body.voiceProfileId);
      const before = { name: row.name, voiceProfileId: row.voiceProfile ?? null, background: row.background, aspectRatio: row.aspectRatio };
      const { voiceProfileId, ...rest } = request.body;
      await patchRow(request.em, row, { ...rest, ...(voiceProfileId !== undefined ? { voiceProfile: voiceProfileId } : {}) } as Partial<Avatar>);
      recordChange(request, { targetType: 'avatar', targetId: row.id, before, after: { name: row.name, voiceProfileId: row.voiceProfile ?? null, background: row.background, aspectRatio: row.aspectRatio } });
      return dto(row);
    });

    app.delete('/v1/avatars/:id', { schema: { tags, summary: 'Delete an avatar and its image (finished renders keep their videos)', params: uuidParam, response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
      const row = await getAvatar(request.em, request.params.id);
      if (!row) throw notFound();
      await deleteAvatar(request.em, row.id);
      if (row.imageKey) await renderMedia(deps.config).delete(row.imageKey).catch(() => undefined);
      return reply.status(204).send(null);
    });
  };
