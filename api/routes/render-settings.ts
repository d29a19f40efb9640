/** `/v1/settings/elevenlabs` and `/v1/settings/did`: the tenant's own voice and video accounts (admin only, like every setting). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../deps';
import * as s from '../services/render-settings';
import { resourceRoutes } from './settings';

export const renderSettingsRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    resourceRoutes(app, deps, {
      key: 'elevenlabs',
      noun: 'ElevenLabs account',
      without: 'renders use ELEVENLABS_API_KEY, else espeak-ng',
      body: s.elevenLabsSettingsBody,
      view: s.renderProviderView,
      testBody: s.elevenLabsSettingsBody.partial(),
      toView: s.elevenLabsView,
      merge: s.mergeElevenLabs,
      test: s.testElevenLabs,
    });
    resourceRoutes(app, deps, {
      key: 'did',
      noun: 'D-ID account',
      without: 'renders use DID_API_KEY, else the offline renderer',
      body: s.didSettingsBody,
      view: s.renderProviderView,
      testBody: s.didSettingsBody.partial(),
      toView: s.didView,
      merge: s.mergeDid,
      test: s.testDid,
    });
  };
