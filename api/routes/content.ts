/** `/v1/content`: campaign content written from a brief, and the channel limits checked on an edit. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { generateCampaignContent } from '../../campaigns/content/generate';
import { checkVariant, smsSizingText } from '../../core/campaigns/limits';
import { personalizationVariables } from '../../core/campaigns/personalize';
import { smsSegments } from '../../core/campaigns/sms';
import { templateFromText } from '../../core/campaigns/whatsapp-templates';
import { errorResponses } from '../../core/api/common';
import { checkContentBody, contentCheckResult, generateContentBody, generatedContent } from '../../core/api/content';
import type { AppDeps } from '../deps';
import { withModel } from '../services/content';

const textsOf = (content: Record<string, unknown>): string[] =>
  Object.values(content).flatMap((value) => (typeof value === 'string' ? [value] : value && typeof value === 'object' ? textsOf(value as Record<string, unknown>) : []));

export const contentRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['content'];

    app.post(
      '/v1/content/generate',
      {
        schema: {
          tags,
          summary: "Write campaign content from a brief: the tenant's model, or the offline template-writer; limits enforced after",
          body: generateContentBody,
          response: { 200: generatedContent, ...errorResponses },
        },
      },
      async (request) => {
        const { brief, channelsOnly, previous } = request.body;
        return withModel(() => generateCampaignContent(deps, request.tenantId, brief, { channelsOnly, previous }));
      },
    );

    app.post(
      '/v1/content/check',
      { schema: { tags, summary: 'Check content against the channel limits (SMS segments, lengths, variables)', body: checkContentBody, response: { 200: contentCheckResult, ...errorResponses } } },
      async (request) => {
        const content = request.body;
        const variables = [...new Set(textsOf(content).flatMap(personalizationVariables))];
        return {
          warnings: checkVariant(content),
          sms: content.sms ? smsSegments(smsSizingText(content.sms.text)) : null,
          variables,
          whatsappTemplate: content.whatsapp ? templateFromText(content.whatsapp.text) : null,
        };
      },
    );
  };
