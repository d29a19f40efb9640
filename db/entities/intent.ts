import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, updatedAt, uuidPk } from './common';
import { Tenant } from './tenant';

/** What a contact may want (`card_arrival`), taught by labelled example utterances (IntentExample). */
export const Intent = defineEntity({
  name: 'Intent',
  tableName: 'intents',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    name: p.string().length(100),
    description: p.text().default(''),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  uniques: [{ properties: ['tenant', 'name'] }],
});
export type Intent = InferEntity<typeof Intent>;

/** One labelled utterance of an intent; the offline classifier trains on these. */
export const IntentExample = defineEntity({
  name: 'IntentExample',
  tableName: 'intent_examples',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk().index(),
    intent: p.manyToOne(Intent).mapToPk().deleteRule('cascade'),
    text: p.text(),
    createdAt: createdAt(),
  },
  uniques: [{ properties: ['intent', 'text'] }],
});
export type IntentExample = InferEntity<typeof IntentExample>;
