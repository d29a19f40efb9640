/** Channel configuration through the API: validation by the adapter's schemas, encryption, DTOs. */
import type { z } from 'zod';
import type { Config } from '../../core/config';
import { AppError } from '../../core/errors';
import type { Channel } from '../../db/entities';
import { decryptCredentials, secretBox, webhookUrl } from '../../channels/directory';
import { providerUrlAllowed } from '../../channels/provider-urls';
import type { AnyAdapter } from '../../channels/registry';
import { configPolicy, OutboundRefusedError, resolveChecked } from '../../net/address-policy';

/** Parses `value` with an adapter schema; the first issue becomes a 400 naming `prefix.field`. */
export function validateWith<T>(schema: z.ZodType<T>, value: unknown, prefix: 'credentials' | 'settings'): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = [prefix, ...issue.path.map(String)].join('.');
  throw new AppError('validation_failed', `${field}: ${issue.message}`, { field });
}

/** A 400 naming `prefix.field` when a provider base URL is not the provider's (nor allowed by the deployment). */
export function checkProviderUrls(adapter: AnyAdapter, values: Record<string, unknown>, prefix: 'credentials' | 'settings', config: Config): void {
  for (const name of adapter.providerUrls?.fields ?? []) {
    const value = values[name];
    if (value === undefined || value === null) continue;
    const { domain } = adapter.providerUrls!;
    if (!providerUrlAllowed(String(value), domain, config.CHANNEL_PROVIDER_URLS_ALLOWED)) {
      const field = `${prefix}.${name}`;
      throw new AppError('validation_failed', `${field}: must be an https URL on ${domain} (https://*.${domain})`, { field });
    }
  }
}

/**
 * Settings validated by the adapter's schema, provider URLs included, and hosts the server would
 * connect to checked against the address policy (a host that does not resolve yet is left to the
 * connection test; the policy is applied again at every connection).
 */
export async function validSettings(adapter: AnyAdapter, settings: unknown, config: Config): Promise<Record<string, unknown>> {
  const valid = validateWith(adapter.settingsSchema, settings, 'settings') as Record<string, unknown>;
  checkProviderUrls(adapter, valid, 'settings', config);
  for (const name of adapter.hostFields ?? []) {
    if (typeof valid[name] !== 'string') continue;
    try {
      await resolveChecked(configPolicy(config), valid[name]);
    } catch (err) {
      if (err instanceof OutboundRefusedError) throw new AppError('validation_failed', `settings.${name}: ${err.message}`, { field: `settings.${name}` });
    }
  }
  return valid;
}

export interface SealedCredentials {
  credentialsEncrypted: string | null;
  credentialFields: string[];
}

/** Validated credentials, encrypted as one JSON blob; only the field names stay readable. */
export function sealCredentials(adapter: AnyAdapter, credentials: Record<string, unknown>, config: Config): SealedCredentials {
  const valid = validateWith(adapter.credentialsSchema, credentials, 'credentials') as Record<string, unknown>;
  checkProviderUrls(adapter, valid, 'credentials', config);
  const fields = Object.keys(valid).filter((k) => valid[k] !== undefined && valid[k] !== null && valid[k] !== '').sort();
  return { credentialsEncrypted: fields.length ? secretBox(config).encrypt(JSON.stringify(valid)) : null, credentialFields: fields };
}

/** An update's credentials merge into the stored ones, so one secret can be rotated without resending the rest. */
export function mergeCredentials(adapter: AnyAdapter, channel: Channel, patch: Record<string, unknown>, config: Config): SealedCredentials {
  const stored = decryptCredentials(config, channel.credentialsEncrypted);
  return sealCredentials(adapter, { ...stored, ...patch }, config);
}

const iso = (d: Date | string) => new Date(d).toISOString();

export function channelDto(channel: Channel, config: Config) {
  return {
    id: channel.id,
    type: channel.type,
    name: channel.name,
    flowId: channel.flow ?? null,
    settings: channel.settings ?? {},
    credentialFields: channel.credentialFields ?? [],
    webhookUrl: webhookUrl(config, channel.type, channel.id),
    createdAt: iso(channel.createdAt),
    updatedAt: iso(channel.updatedAt),
  };
}
